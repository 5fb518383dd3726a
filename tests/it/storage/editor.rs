//! The editor repository: revisions, optimistic locking, history, media operations — on
//! every backend.

use super::backends;
use edubase::catalogue::editor::Move;
use edubase::catalogue::model::*;
use edubase::catalogue::types::{Accession, BaseKind, Category, MediaKind, Slug, Status};
use edubase::i18n::LocalizedText;
use edubase::repo::{Actor, RepoError, Stale, Visibility};

fn slug(s: &str) -> Slug {
    Slug::parse(s).unwrap()
}

fn base(s: &str) -> BaseFields {
    BaseFields {
        slug: slug(s),
        kind: BaseKind::Museum,
        level: None,
        status: Status::Published,
        name: LocalizedText::zh("馆"),
        town: LocalizedText::default(),
        address: LocalizedText::default(),
        opening_hours: LocalizedText::default(),
        description: LocalizedText::default(),
        contact: None,
        website: None,
        coordinates: None,
    }
}

fn fields(title_en: &str) -> ItemFields {
    ItemFields {
        accession: Accession::parse("ED-1").unwrap(),
        slug: slug("saddle"),
        status: Status::Draft,
        category: Category::TraditionalCraft,
        protection_level: None,
        title: LocalizedText::new(Some("马鞍".into()), None, Some(title_en.into())),
        summary: LocalizedText::default(),
        description: LocalizedText::default(),
        place: LocalizedText::default(),
        period: LocalizedText::default(),
        year: None,
        inheritors: vec![],
        subjects: vec![],
        rights: "https://creativecommons.org/publicdomain/zero/1.0/".into(),
    }
}

fn media(seed: &str) -> NewMedia {
    NewMedia {
        file: MediaFile {
            sha256: format!("{seed:0>64}"),
            kind: MediaKind::Image,
            mime: "image/jpeg".into(),
            bytes: 10,
            width: Some(10),
            height: Some(10),
            duration_ms: None,
            codecs: None,
        },
        fields: MediaFields {
            original_name: format!("{seed}.jpg"),
            alt: LocalizedText::default(),
            caption: LocalizedText::default(),
            credit: String::new(),
            rights: "https://creativecommons.org/publicdomain/zero/1.0/".into(),
            source: None,
        },
    }
}

fn wang() -> Actor {
    Actor {
        id: None,
        name: "wang".into(),
    }
}

#[tokio::test]
async fn saves_are_refused_when_someone_else_saved_first() {
    for (name, db) in backends().await {
        db.catalogue.upsert_base(&base("hall")).await.unwrap();
        db.catalogue.upsert_base(&base("school")).await.unwrap();
        let id = db
            .editor
            .create_item(&fields("Saddle"), &slug("hall"), &wang())
            .await
            .unwrap();
        // Two curators open revision 1; the first save wins.
        let first = db
            .editor
            .update_item(id, 1, &fields("Saddle, 19th c."), &slug("school"), &wang())
            .await
            .unwrap();
        assert_eq!(first, Ok(2), "{name}");
        let second = db
            .editor
            .update_item(
                id,
                1,
                &fields("Horse saddle"),
                &slug("hall"),
                &Actor::system("li"),
            )
            .await
            .unwrap();
        assert_eq!(second, Err(Stale { current: 2 }), "{name}");
        let item = db
            .catalogue
            .item(&slug("saddle"), Visibility::All)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            item.fields.title.en.as_deref(),
            Some("Saddle, 19th c."),
            "{name}: the first save stands"
        );
        assert_eq!(item.base.slug.as_str(), "school", "{name}");

        assert_eq!(
            db.editor
                .set_item_status(id, 1, Status::Published, &wang())
                .await
                .unwrap(),
            Err(Stale { current: 2 }),
            "{name}"
        );
        assert_eq!(
            db.editor
                .set_item_status(id, 2, Status::InReview, &wang())
                .await
                .unwrap(),
            Ok(3),
            "{name}"
        );

        let mut taken = fields("x");
        taken.accession = Accession::parse("ED-2").unwrap();
        assert!(
            matches!(
                db.editor.create_item(&taken, &slug("hall"), &wang()).await,
                Err(RepoError::Conflict(_))
            ),
            "{name}: slug taken"
        );
        assert!(
            matches!(
                db.editor
                    .create_item(&fields("x"), &slug("nowhere"), &wang())
                    .await,
                Err(RepoError::Invalid(_))
            ),
            "{name}"
        );
    }
}

#[tokio::test]
async fn every_change_is_a_revision_with_who_and_a_snapshot() {
    for (name, db) in backends().await {
        db.catalogue.upsert_base(&base("hall")).await.unwrap();
        let id = db
            .editor
            .create_item(&fields("Saddle"), &slug("hall"), &wang())
            .await
            .unwrap();
        db.editor
            .update_item(
                id,
                1,
                &fields("Horse saddle"),
                &slug("hall"),
                &Actor::system("li"),
            )
            .await
            .unwrap()
            .unwrap();
        let m = db.editor.add_media(id, &media("a"), &wang()).await.unwrap();
        let history = db.editor.revisions(id).await.unwrap();
        let numbers: Vec<_> = history
            .iter()
            .map(|r| (r.number, r.actor.as_str()))
            .collect();
        assert_eq!(
            numbers,
            [(3, "wang"), (2, "li"), (1, "wang")],
            "{name}: newest first"
        );
        assert_eq!(
            history[1].snapshot.fields.title.en.as_deref(),
            Some("Horse saddle"),
            "{name}"
        );
        assert_eq!(
            history[2].snapshot.fields.title.en.as_deref(),
            Some("Saddle"),
            "{name}"
        );
        assert_eq!(history[0].snapshot.media.len(), 1, "{name}");
        let log = db.accounts.recent_audit(1).await.unwrap();
        assert_eq!(
            (log[0].1.action.as_str(), log[0].1.entity_id.as_str()),
            ("media.add", "saddle"),
            "{name}"
        );

        let mut described = media("a").fields;
        described.alt = LocalizedText::zh("一副马鞍");
        db.editor
            .update_media(id, m, &described, &wang())
            .await
            .unwrap();
        let item = db
            .catalogue
            .item(&slug("saddle"), Visibility::All)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            item.media[0].fields.alt.zh.as_deref(),
            Some("一副马鞍"),
            "{name}"
        );
        assert_eq!(item.revision, 4, "{name}");
        let log = db.accounts.recent_audit(1).await.unwrap();
        assert!(
            log[0].1.after.as_deref().unwrap().contains("一副马鞍"),
            "{name}: the audit row holds the changed field"
        );
    }
}

#[tokio::test]
async fn media_can_be_reordered_replaced_and_removed() {
    for (name, db) in backends().await {
        db.catalogue.upsert_base(&base("hall")).await.unwrap();
        let id = db
            .editor
            .create_item(&fields("Saddle"), &slug("hall"), &wang())
            .await
            .unwrap();
        let a = db.editor.add_media(id, &media("a"), &wang()).await.unwrap();
        let b = db.editor.add_media(id, &media("b"), &wang()).await.unwrap();
        let c = db.editor.add_media(id, &media("c"), &wang()).await.unwrap();
        let order = |item: &Item| {
            item.media
                .iter()
                .map(|m| m.fields.original_name.clone())
                .collect::<Vec<_>>()
        };
        db.editor
            .move_media(id, c, Move::Up, &wang())
            .await
            .unwrap();
        db.editor
            .move_media(id, a, Move::Up, &wang())
            .await
            .unwrap(); // already first: no change
        let item = db
            .catalogue
            .item(&slug("saddle"), Visibility::All)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(order(&item), ["a.jpg", "c.jpg", "b.jpg"], "{name}");

        db.editor
            .replace_media_file(id, b, &media("d").file, &wang())
            .await
            .unwrap();
        db.editor.remove_media(id, a, &wang()).await.unwrap();
        let item = db
            .catalogue
            .item(&slug("saddle"), Visibility::All)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(order(&item), ["c.jpg", "b.jpg"], "{name}");
        assert_eq!(
            item.media[1].sha256,
            format!("{:0>64}", "d"),
            "{name}: replaced, keeping its name and text"
        );
        db.editor
            .move_media(id, b, Move::Up, &wang())
            .await
            .unwrap();
        let item = db
            .catalogue
            .item(&slug("saddle"), Visibility::All)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            order(&item),
            ["b.jpg", "c.jpg"],
            "{name}: positions stay contiguous after a removal"
        );
        let other = db
            .editor
            .create_item(
                &ItemFields {
                    accession: Accession::parse("ED-9").unwrap(),
                    slug: slug("other"),
                    ..fields("o")
                },
                &slug("hall"),
                &wang(),
            )
            .await
            .unwrap();
        assert!(
            matches!(
                db.editor.remove_media(other, b, &wang()).await,
                Err(RepoError::Invalid(_))
            ),
            "{name}: media of another item"
        );
    }
}

#[tokio::test]
async fn imports_leave_a_revision_too() {
    for (name, db) in backends().await {
        db.catalogue.upsert_base(&base("hall")).await.unwrap();
        let new = NewItem {
            fields: fields("Saddle"),
            base: slug("hall"),
            media: vec![media("a")],
        };
        let id = db.catalogue.upsert_item(&new).await.unwrap();
        db.catalogue.upsert_item(&new).await.unwrap();
        assert_eq!(
            db.editor.revisions(id).await.unwrap().len(),
            1,
            "{name}: imported again unchanged, nothing to keep"
        );
        let changed = NewItem {
            fields: fields("Saddle, mended"),
            ..new
        };
        db.catalogue.upsert_item(&changed).await.unwrap();
        let history = db.editor.revisions(id).await.unwrap();
        assert_eq!(
            history.iter().map(|r| r.actor.as_str()).collect::<Vec<_>>(),
            ["import", "import"],
            "{name}"
        );
        let log = db.accounts.recent_audit(2).await.unwrap();
        assert_eq!(log[0].1.action, "item.reimport", "{name}");
        assert_eq!(log[1].1.action, "item.import", "{name}");
    }
}
