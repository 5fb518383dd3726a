//! The catalogue repository: every query, on every backend.

use super::backends;
use edubase::catalogue::model::*;
use edubase::catalogue::repo::{CatalogueRepo, ListQuery};
use edubase::catalogue::types::{Accession, BaseKind, Category, Level, MediaKind, Slug, Status};
use edubase::i18n::LocalizedText;
use edubase::repo::Visibility;

pub(super) fn slug(s: &str) -> Slug {
    Slug::parse(s).unwrap()
}

pub(super) fn text(zh: &str, en: &str) -> LocalizedText {
    LocalizedText::new(Some(zh.into()), None, Some(en.into()))
}

pub(super) fn base(s: &str, status: Status) -> BaseFields {
    BaseFields {
        slug: slug(s),
        kind: BaseKind::Museum,
        level: Some(Level::Banner),
        status,
        name: text(&format!("{s} 馆"), &format!("{s} hall")),
        town: text("甘旗卡镇", "Ganjig"),
        address: LocalizedText::default(),
        opening_hours: LocalizedText::default(),
        description: text("描述", "Description"),
        contact: None,
        website: Some("https://example.org".into()),
        coordinates: Some((42.95, 122.35)),
    }
}

pub(super) fn media(sha_seed: &str, kind: MediaKind) -> NewMedia {
    NewMedia {
        file: MediaFile {
            sha256: format!("{:0>64}", sha_seed),
            kind,
            mime: if kind == MediaKind::Image {
                "image/jpeg".into()
            } else {
                "audio/mpeg".into()
            },
            bytes: 1234,
            width: (kind == MediaKind::Image).then_some(960),
            height: (kind == MediaKind::Image).then_some(540),
            duration_ms: (kind == MediaKind::Audio).then_some(61_000),
            codecs: (kind == MediaKind::Audio).then(|| "MP3".to_owned()),
        },
        fields: MediaFields {
            original_name: format!("{sha_seed}.jpg"),
            alt: text(&format!("图 {sha_seed}"), &format!("Picture {sha_seed}")),
            caption: text("说明", "Caption"),
            credit: "Photographer".into(),
            rights: "https://creativecommons.org/publicdomain/zero/1.0/".into(),
            source: None,
        },
    }
}

pub(super) fn item(
    accession: &str,
    s: &str,
    base: &str,
    category: Category,
    status: Status,
    media: Vec<NewMedia>,
) -> NewItem {
    NewItem {
        fields: ItemFields {
            accession: Accession::parse(accession).unwrap(),
            slug: slug(s),
            status,
            category,
            protection_level: Some(Level::National),
            title: text(&format!("{s} 标题"), &format!("Title of {s}")),
            summary: text("简介", "Summary"),
            description: text("第一段\n\n第二段", "One\n\nTwo"),
            place: text("科尔沁", "Horqin"),
            period: LocalizedText::default(),
            year: Some(1990),
            inheritors: vec![text("某人", "Someone")],
            subjects: vec![text("音乐", "music")],
            rights: "https://creativecommons.org/publicdomain/zero/1.0/".into(),
        },
        base: slug(base),
        media,
    }
}

pub(super) fn stop(item: &str, media_index: Option<u32>) -> NewStop {
    NewStop {
        item: slug(item),
        media_index,
        audio_index: None,
        narrative: text(&format!("{item} 导览"), &format!("About {item}")),
    }
}

pub(super) fn exhibition(
    s: &str,
    base: &str,
    featured: bool,
    stops: Vec<NewStop>,
) -> NewExhibition {
    NewExhibition {
        slug: slug(s),
        base: slug(base),
        status: Status::Published,
        featured,
        title: text("展览", "Exhibition"),
        subtitle: text("副标题", "Subtitle"),
        introduction: text("介绍", "Introduction"),
        cover_item: None,
        stops,
    }
}

/// Two bases and five items: A1..A3 in `hall` (A2 a draft), B1, B2 in `school`.
pub(super) async fn seed(repo: &dyn CatalogueRepo) {
    repo.upsert_base(&base("hall", Status::Published))
        .await
        .unwrap();
    repo.upsert_base(&base("school", Status::Published))
        .await
        .unwrap();
    // A title with LIKE wildcards in it, to prove they are matched literally.
    let mut songs = item(
        "B2",
        "songs",
        "school",
        Category::TraditionalMusic,
        Status::Published,
        vec![],
    );
    songs.fields.title = text("百分之百_民歌", "100% songs");
    let items = [
        item(
            "A1",
            "fiddle",
            "hall",
            Category::TraditionalMusic,
            Status::Published,
            vec![
                media("a1", MediaKind::Image),
                media("a1b", MediaKind::Image),
            ],
        ),
        item(
            "A2",
            "secret",
            "hall",
            Category::TraditionalMusic,
            Status::Draft,
            vec![media("a2", MediaKind::Image)],
        ),
        item(
            "A3",
            "epic",
            "hall",
            Category::FolkLiterature,
            Status::Published,
            vec![media("a3", MediaKind::Audio)],
        ),
        item(
            "B1",
            "dance",
            "school",
            Category::TraditionalDance,
            Status::Published,
            vec![],
        ),
        songs,
    ];
    for i in items {
        repo.upsert_item(&i).await.unwrap();
    }
}

pub(super) fn accessions(items: &[ItemSummary]) -> Vec<&str> {
    items.iter().map(|i| i.accession.as_str()).collect()
}

#[tokio::test]
async fn bases_are_created_updated_and_listed_by_key() {
    for (name, db) in backends().await {
        let repo = db.catalogue;
        let id = repo
            .upsert_base(&base("hall", Status::Published))
            .await
            .unwrap();
        let mut changed = base("hall", Status::Published);
        changed.name = text("新名字", "New name");
        assert_eq!(
            repo.upsert_base(&changed).await.unwrap(),
            id,
            "{name}: update keeps the id"
        );
        repo.upsert_base(&base("school", Status::Published))
            .await
            .unwrap();
        repo.upsert_base(&base("hidden", Status::Draft))
            .await
            .unwrap();

        let b = repo
            .base(&slug("hall"), Visibility::Public)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            b.fields.name.get(edubase::i18n::Lang::Zh),
            "新名字",
            "{name}"
        );
        assert_eq!(b.fields.coordinates, Some((42.95, 122.35)), "{name}");
        assert_eq!(
            b.fields.website.as_deref(),
            Some("https://example.org"),
            "{name}"
        );
        assert!(
            repo.base(&slug("hidden"), Visibility::Public)
                .await
                .unwrap()
                .is_none(),
            "{name}: drafts are private"
        );
        assert!(
            repo.base(&slug("hidden"), Visibility::All)
                .await
                .unwrap()
                .is_some(),
            "{name}"
        );

        let first = repo
            .list_bases(&ListQuery::all(Visibility::Public, 1))
            .await
            .unwrap();
        assert_eq!(first.items.len(), 1, "{name}");
        let second = repo
            .list_bases(&ListQuery {
                after: first.next.clone(),
                ..ListQuery::all(Visibility::Public, 1)
            })
            .await
            .unwrap();
        assert_eq!(second.items[0].fields.slug.as_str(), "school", "{name}");
        assert!(
            second.next.is_none(),
            "{name}: the draft is not a next page"
        );
        let all = repo
            .list_bases(&ListQuery::all(Visibility::All, 10))
            .await
            .unwrap();
        assert_eq!(all.items.len(), 3, "{name}");
    }
}

#[tokio::test]
async fn settings_are_stored_and_overwritten() {
    for (name, db) in backends().await {
        let repo = db.meta;
        assert_eq!(repo.meta("k").await.unwrap(), None, "{name}");
        repo.set_meta("k", "one").await.unwrap();
        repo.set_meta("k", "two").await.unwrap();
        assert_eq!(
            repo.meta("k").await.unwrap().as_deref(),
            Some("two"),
            "{name}"
        );
        repo.ping().await.unwrap();
    }
}
