//! The catalogue repository: every query, on every backend.

use super::backends;
use edubase::catalogue::model::*;
use edubase::catalogue::repo::{CatalogueRepo, ItemQuery, ListQuery};
use edubase::catalogue::types::{Accession, BaseKind, Category, Level, MediaKind, Slug, Status};
use edubase::i18n::LocalizedText;
use edubase::repo::{Cursor, RepoError, Visibility};

fn slug(s: &str) -> Slug {
    Slug::parse(s).unwrap()
}

fn text(zh: &str, en: &str) -> LocalizedText {
    LocalizedText::new(Some(zh.into()), None, Some(en.into()))
}

fn base(s: &str, status: Status) -> BaseFields {
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

fn media(sha_seed: &str, kind: MediaKind) -> NewMedia {
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

fn item(
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

fn stop(item: &str, media_index: Option<u32>) -> NewStop {
    NewStop {
        item: slug(item),
        media_index,
        narrative: text(&format!("{item} 导览"), &format!("About {item}")),
    }
}

fn exhibition(s: &str, base: &str, featured: bool, stops: Vec<NewStop>) -> NewExhibition {
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
async fn seed(repo: &dyn CatalogueRepo) {
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

fn accessions(items: &[ItemSummary]) -> Vec<&str> {
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
async fn items_keep_their_media_in_order_and_count_revisions() {
    for (name, db) in backends().await {
        let repo = db.catalogue;
        seed(repo.as_ref()).await;
        let fiddle = repo
            .item(&slug("fiddle"), Visibility::Public)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(fiddle.revision, 1, "{name}");
        assert_eq!(fiddle.media.len(), 2, "{name}");
        assert_eq!(fiddle.media[0].sha256, format!("{:0>64}", "a1"), "{name}");
        assert_eq!(
            fiddle.media[1].fields.alt.en.as_deref(),
            Some("Picture a1b"),
            "{name}"
        );
        assert_eq!(
            fiddle.fields.inheritors,
            vec![text("某人", "Someone")],
            "{name}"
        );
        assert_eq!(fiddle.fields.year, Some(1990), "{name}");
        assert_eq!(fiddle.base.slug.as_str(), "hall", "{name}");

        let mut update = item(
            "A1",
            "fiddle",
            "school",
            Category::TraditionalMusic,
            Status::Published,
            vec![media("new", MediaKind::Image)],
        );
        update.fields.title = text("马头琴", "Morin khuur");
        let id = repo.upsert_item(&update).await.unwrap();
        assert_eq!(id, fiddle.id, "{name}: matched by accession");
        let after = repo
            .item(&slug("fiddle"), Visibility::Public)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(after.revision, 2, "{name}");
        assert_eq!(after.media.len(), 1, "{name}: media list replaced");
        assert_eq!(after.base.slug.as_str(), "school", "{name}");
        assert_eq!(
            after.fields.title.en.as_deref(),
            Some("Morin khuur"),
            "{name}"
        );

        assert!(
            repo.item(&slug("secret"), Visibility::Public)
                .await
                .unwrap()
                .is_none(),
            "{name}"
        );
        assert!(
            repo.item(&slug("secret"), Visibility::All)
                .await
                .unwrap()
                .is_some(),
            "{name}"
        );
    }
}

#[tokio::test]
async fn a_refused_item_writes_nothing() {
    for (name, db) in backends().await {
        let repo = db.catalogue;
        seed(repo.as_ref()).await;
        let orphan = item(
            "C1",
            "orphan",
            "nowhere",
            Category::FolkCustom,
            Status::Published,
            vec![media("c1", MediaKind::Image)],
        );
        assert!(
            matches!(repo.upsert_item(&orphan).await, Err(RepoError::Invalid(_))),
            "{name}"
        );
        let thief = item(
            "C2",
            "fiddle",
            "hall",
            Category::FolkCustom,
            Status::Published,
            vec![media("c2", MediaKind::Image)],
        );
        match repo.upsert_item(&thief).await {
            Err(RepoError::Conflict(what)) => {
                assert!(what.contains("item_slug_key"), "{name}: {what}")
            }
            other => panic!("{name}: expected a conflict, got {other:?}"),
        }
        let all = repo
            .list_items(&ItemQuery::all(Visibility::All, 50))
            .await
            .unwrap();
        assert_eq!(
            accessions(&all.items),
            ["A1", "A2", "A3", "B1", "B2"],
            "{name}"
        );
        assert!(
            repo.media_by_sha256(&format!("{:0>64}", "c2"), Visibility::All)
                .await
                .unwrap()
                .is_none(),
            "{name}"
        );
        let fiddle = repo
            .item(&slug("fiddle"), Visibility::All)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            fiddle.fields.accession.as_str(),
            "A1",
            "{name}: the slug's owner is untouched"
        );
    }
}

#[tokio::test]
async fn item_lists_filter_and_hide_drafts() {
    for (name, db) in backends().await {
        let repo = db.catalogue;
        seed(repo.as_ref()).await;
        let q = |f: fn(&mut ItemQuery)| {
            let mut query = ItemQuery::all(Visibility::Public, 50);
            f(&mut query);
            query
        };
        let all = repo.list_items(&q(|_| {})).await.unwrap();
        assert_eq!(accessions(&all.items), ["A1", "A3", "B1", "B2"], "{name}");
        let music = repo
            .list_items(&q(|q| q.category = Some(Category::TraditionalMusic)))
            .await
            .unwrap();
        assert_eq!(accessions(&music.items), ["A1", "B2"], "{name}");
        let school = repo
            .list_items(&q(|q| q.base = Some(Slug::parse("school").unwrap())))
            .await
            .unwrap();
        assert_eq!(accessions(&school.items), ["B1", "B2"], "{name}");
        let audio = repo
            .list_items(&q(|q| q.media = Some(MediaKind::Audio)))
            .await
            .unwrap();
        assert_eq!(accessions(&audio.items), ["A3"], "{name}");
        let images = repo
            .list_items(&q(|q| q.media = Some(MediaKind::Image)))
            .await
            .unwrap();
        assert_eq!(
            accessions(&images.items),
            ["A1"],
            "{name}: the draft's image does not count"
        );
        assert!(
            images.items[0].cover.is_some(),
            "{name}: cards carry their first image"
        );
        assert_eq!(
            images.items[0].cover.as_ref().unwrap().sha256,
            format!("{:0>64}", "a1"),
            "{name}"
        );

        let zh = repo
            .list_items(&q(|q| q.text = Some("epic 标".into())))
            .await
            .unwrap();
        assert_eq!(accessions(&zh.items), ["A3"], "{name}");
        let en = repo
            .list_items(&q(|q| q.text = Some("TITLE OF DANCE".into())))
            .await
            .unwrap();
        assert_eq!(accessions(&en.items), ["B1"], "{name}: case-insensitive");
        let percent = repo
            .list_items(&q(|q| q.text = Some("100%".into())))
            .await
            .unwrap();
        assert_eq!(
            accessions(&percent.items),
            ["B2"],
            "{name}: % is a character, not a wildcard"
        );
        let underscore = repo
            .list_items(&q(|q| q.text = Some("_".into())))
            .await
            .unwrap();
        assert_eq!(
            accessions(&underscore.items),
            ["B2"],
            "{name}: _ is a character, not a wildcard"
        );
        let by_accession = repo
            .list_items(&q(|q| q.text = Some("b1".into())))
            .await
            .unwrap();
        assert_eq!(accessions(&by_accession.items), ["B1"], "{name}");
        let nothing = repo
            .list_items(&q(|q| q.text = Some("secret".into())))
            .await
            .unwrap();
        assert!(
            nothing.items.is_empty(),
            "{name}: drafts are not found by text"
        );

        let counts = repo.category_counts(Visibility::Public).await.unwrap();
        assert_eq!(
            counts,
            vec![
                (Category::FolkLiterature, 1),
                (Category::TraditionalMusic, 2),
                (Category::TraditionalDance, 1)
            ],
            "{name}"
        );
    }
}

#[tokio::test]
async fn item_pages_are_stable_under_key_pagination() {
    for (name, db) in backends().await {
        let repo = db.catalogue;
        seed(repo.as_ref()).await;
        let mut seen = Vec::new();
        let mut after: Option<Cursor> = None;
        loop {
            let page = repo
                .list_items(&ItemQuery {
                    after: after.clone(),
                    ..ItemQuery::all(Visibility::Public, 3)
                })
                .await
                .unwrap();
            assert!(page.items.len() <= 3, "{name}");
            seen.extend(page.items.iter().map(|i| i.accession.to_string()));
            // A new item that sorts before the cursor must not shift the next page.
            if after.is_none() {
                repo.upsert_item(&item(
                    "0-NEW",
                    "early",
                    "hall",
                    Category::FolkCustom,
                    Status::Published,
                    vec![],
                ))
                .await
                .unwrap();
            }
            match page.next {
                Some(next) => after = Some(next),
                None => break,
            }
        }
        assert_eq!(seen, ["A1", "A3", "B1", "B2"], "{name}");
    }
}

#[tokio::test]
async fn accessions_lead_to_public_items_only() {
    for (name, db) in backends().await {
        let repo = db.catalogue;
        seed(repo.as_ref()).await;
        let a1 = Accession::parse("A1").unwrap();
        let a2 = Accession::parse("A2").unwrap();
        assert_eq!(
            repo.item_slug_by_accession(&a1, Visibility::Public)
                .await
                .unwrap(),
            Some(slug("fiddle")),
            "{name}"
        );
        assert_eq!(
            repo.item_slug_by_accession(&a2, Visibility::Public)
                .await
                .unwrap(),
            None,
            "{name}"
        );
        assert_eq!(
            repo.item_slug_by_accession(&a2, Visibility::All)
                .await
                .unwrap(),
            Some(slug("secret")),
            "{name}"
        );
    }
}

#[tokio::test]
async fn related_items_prefer_the_same_category_and_skip_drafts() {
    for (name, db) in backends().await {
        let repo = db.catalogue;
        seed(repo.as_ref()).await;
        let fiddle = repo
            .item(&slug("fiddle"), Visibility::Public)
            .await
            .unwrap()
            .unwrap();
        let related = repo.related_items(&fiddle, 10).await.unwrap();
        assert_eq!(
            accessions(&related),
            ["B2", "A3"],
            "{name}: same category first, then same base"
        );
    }
}

#[tokio::test]
async fn exhibitions_number_their_visible_stops() {
    for (name, db) in backends().await {
        let repo = db.catalogue;
        seed(repo.as_ref()).await;
        let mut ex = exhibition(
            "voices",
            "hall",
            true,
            vec![
                stop("epic", None),
                stop("secret", None),
                stop("fiddle", Some(2)),
                stop("dance", Some(9)),
            ],
        );
        ex.cover_item = Some(slug("fiddle"));
        repo.upsert_exhibition(&ex).await.unwrap();
        repo.upsert_exhibition(&exhibition(
            "quiet",
            "school",
            false,
            vec![stop("dance", None)],
        ))
        .await
        .unwrap();

        let shown = repo
            .exhibition(&slug("voices"), Visibility::Public)
            .await
            .unwrap()
            .unwrap();
        let order: Vec<_> = shown
            .stops
            .iter()
            .map(|s| (s.number, s.item.slug.to_string()))
            .collect();
        assert_eq!(
            order,
            [
                (1, "epic".to_owned()),
                (2, "fiddle".to_owned()),
                (3, "dance".to_owned())
            ],
            "{name}"
        );
        assert_eq!(shown.summary.stop_count, 3, "{name}");
        assert_eq!(
            shown.stops[1].focus.as_ref().unwrap().sha256,
            format!("{:0>64}", "a1b"),
            "{name}: focus on media 2"
        );
        assert!(
            shown.stops[2].focus.is_none(),
            "{name}: a missing focus and no cover means no picture"
        );
        assert_eq!(
            shown.summary.cover.as_ref().unwrap().sha256,
            format!("{:0>64}", "a1"),
            "{name}"
        );
        assert_eq!(
            shown.introduction.en.as_deref(),
            Some("Introduction"),
            "{name}"
        );
        let curator_view = repo
            .exhibition(&slug("voices"), Visibility::All)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(curator_view.stops.len(), 4, "{name}");

        let featured = repo
            .list_exhibitions(&ListQuery {
                featured_only: true,
                ..ListQuery::all(Visibility::Public, 10)
            })
            .await
            .unwrap();
        assert_eq!(
            featured
                .items
                .iter()
                .map(|e| e.slug.as_str())
                .collect::<Vec<_>>(),
            ["voices"],
            "{name}"
        );
        let at_school = repo
            .list_exhibitions(&ListQuery {
                base: Some(slug("school")),
                ..ListQuery::all(Visibility::Public, 10)
            })
            .await
            .unwrap();
        assert_eq!(at_school.items.len(), 1, "{name}");
        assert_eq!(
            at_school.items[0].cover, None,
            "{name}: no image anywhere, no cover"
        );
        let paged = repo
            .list_exhibitions(&ListQuery::all(Visibility::Public, 1))
            .await
            .unwrap();
        assert_eq!(paged.items.len(), 1, "{name}");
        let rest = repo
            .list_exhibitions(&ListQuery {
                after: paged.next,
                ..ListQuery::all(Visibility::Public, 1)
            })
            .await
            .unwrap();
        assert_eq!(rest.items[0].slug.as_str(), "quiet", "{name}");

        let dance = repo
            .item(&slug("dance"), Visibility::Public)
            .await
            .unwrap()
            .unwrap();
        let with_dance = repo.exhibitions_with_item(dance.id).await.unwrap();
        assert_eq!(with_dance.len(), 2, "{name}");
    }
}

#[tokio::test]
async fn a_refused_exhibition_keeps_its_previous_stops() {
    for (name, db) in backends().await {
        let repo = db.catalogue;
        seed(repo.as_ref()).await;
        repo.upsert_exhibition(&exhibition(
            "voices",
            "hall",
            true,
            vec![stop("epic", None)],
        ))
        .await
        .unwrap();
        let broken = exhibition(
            "voices",
            "hall",
            true,
            vec![stop("fiddle", None), stop("missing", None)],
        );
        match repo.upsert_exhibition(&broken).await {
            Err(RepoError::Invalid(m)) => assert!(m.contains("missing"), "{name}: {m}"),
            other => panic!("{name}: expected Invalid, got {other:?}"),
        }
        let kept = repo
            .exhibition(&slug("voices"), Visibility::All)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(kept.stops.len(), 1, "{name}");
        assert_eq!(kept.stops[0].item.slug.as_str(), "epic", "{name}");
        let replaced = exhibition(
            "voices",
            "hall",
            false,
            vec![stop("fiddle", None), stop("dance", None)],
        );
        repo.upsert_exhibition(&replaced).await.unwrap();
        let now = repo
            .exhibition(&slug("voices"), Visibility::All)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(now.stops.len(), 2, "{name}");
        assert!(!now.summary.featured, "{name}");
    }
}

#[tokio::test]
async fn media_is_public_only_through_a_published_item() {
    for (name, db) in backends().await {
        let repo = db.catalogue;
        seed(repo.as_ref()).await;
        let public = repo
            .media_by_sha256(&format!("{:0>64}", "a1"), Visibility::Public)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (public.kind, public.mime.as_str(), public.bytes),
            (MediaKind::Image, "image/jpeg", 1234),
            "{name}"
        );
        assert!(
            repo.media_by_sha256(&format!("{:0>64}", "a2"), Visibility::Public)
                .await
                .unwrap()
                .is_none(),
            "{name}"
        );
        assert!(
            repo.media_by_sha256(&format!("{:0>64}", "a2"), Visibility::All)
                .await
                .unwrap()
                .is_some(),
            "{name}"
        );
        assert!(
            repo.media_by_sha256(&format!("{:0>64}", "ff"), Visibility::All)
                .await
                .unwrap()
                .is_none(),
            "{name}"
        );
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
