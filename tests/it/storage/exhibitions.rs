//! The exhibition editor repository: creation, stops, ordering, audio guides, optimistic
//! locking and the audit log — on every backend.

use super::backends;
use edubase::catalogue::editor::Move;
use edubase::catalogue::exhibition_editor::{ExhibitionFields, StopFields};
use edubase::catalogue::model::*;
use edubase::catalogue::types::{Accession, BaseKind, Category, MediaKind, Slug, Status};
use edubase::db::Db;
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

fn media(seed: &str, kind: MediaKind) -> NewMedia {
    NewMedia {
        file: MediaFile {
            sha256: format!("{seed:0>64}"),
            kind,
            mime: if kind == MediaKind::Image {
                "image/jpeg".into()
            } else {
                "audio/mpeg".into()
            },
            bytes: 10,
            width: None,
            height: None,
            duration_ms: None,
            codecs: None,
        },
        fields: MediaFields {
            original_name: format!("{seed}.bin"),
            alt: LocalizedText::zh("图"),
            caption: LocalizedText::default(),
            credit: String::new(),
            rights: "https://creativecommons.org/publicdomain/zero/1.0/".into(),
            source: None,
        },
    }
}

fn item(accession: &str, s: &str, status: Status, media: Vec<NewMedia>) -> NewItem {
    NewItem {
        fields: ItemFields {
            accession: Accession::parse(accession).unwrap(),
            slug: slug(s),
            status,
            category: Category::TraditionalMusic,
            protection_level: None,
            title: LocalizedText::zh(s),
            summary: LocalizedText::default(),
            description: LocalizedText::default(),
            place: LocalizedText::default(),
            period: LocalizedText::default(),
            year: None,
            inheritors: vec![],
            subjects: vec![],
            rights: "https://creativecommons.org/publicdomain/zero/1.0/".into(),
        },
        base: slug("hall"),
        media,
    }
}

fn fields(s: &str, title_zh: &str) -> ExhibitionFields {
    ExhibitionFields {
        slug: slug(s),
        featured: false,
        title: LocalizedText::new(Some(title_zh.into()), None, Some("Voices".into())),
        subtitle: LocalizedText::default(),
        introduction: LocalizedText::zh("介绍"),
        cover_item: None,
    }
}

fn wang() -> Actor {
    Actor {
        id: None,
        name: "wang".into(),
    }
}

/// A base with three items: `a` (image, audio), `b` (published, no media), `c` (a draft).
async fn seed(db: &Db) -> (ItemId, ItemId, ItemId) {
    db.catalogue.upsert_base(&base("hall")).await.unwrap();
    let a = db
        .catalogue
        .upsert_item(&item(
            "A",
            "a",
            Status::Published,
            vec![media("1", MediaKind::Image), media("2", MediaKind::Audio)],
        ))
        .await
        .unwrap();
    let b = db
        .catalogue
        .upsert_item(&item("B", "b", Status::Published, vec![]))
        .await
        .unwrap();
    let c = db
        .catalogue
        .upsert_item(&item("C", "c", Status::Draft, vec![]))
        .await
        .unwrap();
    (a, b, c)
}

async fn order(db: &Db, s: &str) -> Vec<String> {
    db.exhibitions
        .draft_exhibition(&slug(s))
        .await
        .unwrap()
        .unwrap()
        .stops
        .iter()
        .map(|s| s.item.to_string())
        .collect()
}

async fn last_action(db: &Db) -> (String, String) {
    let log = db.accounts.recent_audit(1).await.unwrap();
    (log[0].1.action.clone(), log[0].1.entity_id.clone())
}

#[tokio::test]
async fn exhibitions_are_built_stop_by_stop_and_every_change_is_audited() {
    for (name, db) in backends().await {
        let (a, b, c) = seed(&db).await;
        let id = db
            .exhibitions
            .create_exhibition(&fields("voices", "声音"), &slug("hall"), &wang())
            .await
            .unwrap();
        assert_eq!(
            last_action(&db).await,
            ("exhibition.create".into(), "voices".into()),
            "{name}"
        );
        let draft = db
            .exhibitions
            .draft_exhibition(&slug("voices"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (draft.status, draft.revision, draft.stops.len()),
            (Status::Draft, 1, 0),
            "{name}"
        );
        assert_eq!(
            db.exhibitions
                .create_exhibition(&fields("voices", "又一个"), &slug("hall"), &wang())
                .await
                .map_err(|e| matches!(e, RepoError::Conflict(_))),
            Err(true),
            "{name}: the slug is taken"
        );

        let mut rev = 1;
        for it in [a, b, c] {
            rev = db
                .exhibitions
                .add_stop(id, rev, it, &wang())
                .await
                .unwrap()
                .unwrap();
        }
        assert_eq!(rev, 4, "{name}");
        assert_eq!(order(&db, "voices").await, ["a", "b", "c"], "{name}");
        assert!(
            matches!(
                db.exhibitions.add_stop(id, rev, a, &wang()).await,
                Err(RepoError::Conflict(_))
            ),
            "{name}: an item is a stop once"
        );
        assert_eq!(last_action(&db).await.0, "exhibition.stop.add", "{name}");

        // Moving: the first cannot go up; c goes to the front in two steps.
        rev = db
            .exhibitions
            .move_stop(id, rev, a, Move::Up, &wang())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(order(&db, "voices").await, ["a", "b", "c"], "{name}");
        for _ in 0..2 {
            rev = db
                .exhibitions
                .move_stop(id, rev, c, Move::Up, &wang())
                .await
                .unwrap()
                .unwrap();
        }
        assert_eq!(order(&db, "voices").await, ["c", "a", "b"], "{name}");

        // A narrative, a focus image and an audio guide; only the item's own audio.
        let item_a = db
            .catalogue
            .item(&slug("a"), Visibility::All)
            .await
            .unwrap()
            .unwrap();
        let audio = item_a.media[1].id;
        let stop = StopFields {
            media_index: Some(1),
            audio: Some(audio),
            narrative: LocalizedText::new(Some("听".into()), None, Some("Listen".into())),
        };
        assert!(
            matches!(
                db.exhibitions.update_stop(id, rev, b, &stop, &wang()).await,
                Err(RepoError::Invalid(_))
            ),
            "{name}: b does not own that audio"
        );
        rev = db
            .exhibitions
            .update_stop(id, rev, a, &stop, &wang())
            .await
            .unwrap()
            .unwrap();
        let draft = db
            .exhibitions
            .draft_exhibition(&slug("voices"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(draft.stop(a).unwrap().1.fields, stop, "{name}");

        // Removing closes the gap.
        rev = db
            .exhibitions
            .remove_stop(id, rev, c, &wang())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(order(&db, "voices").await, ["a", "b"], "{name}");
        assert_eq!(last_action(&db).await.0, "exhibition.stop.remove", "{name}");

        // Fields, with a cover among the stops.
        let mut changed = fields("voices-of-horqin", "科尔沁之声");
        changed.featured = true;
        changed.cover_item = Some(slug("b"));
        rev = db
            .exhibitions
            .update_exhibition(id, rev, &changed, &slug("hall"), &wang())
            .await
            .unwrap()
            .unwrap();
        let draft = db
            .exhibitions
            .draft_exhibition(&slug("voices-of-horqin"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(draft.fields, changed, "{name}");
        assert_eq!(
            last_action(&db).await,
            ("exhibition.update".into(), "voices-of-horqin".into()),
            "{name}"
        );

        // Published: the public sees the stops in order, with the audio guide.
        assert_eq!(
            db.catalogue
                .exhibition(&slug("voices-of-horqin"), Visibility::Public)
                .await
                .unwrap(),
            None,
            "{name}: a draft is private"
        );
        db.exhibitions
            .set_exhibition_status(id, rev, Status::Published, &wang())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(last_action(&db).await.0, "exhibition.status", "{name}");
        let public = db
            .catalogue
            .exhibition(&slug("voices-of-horqin"), Visibility::Public)
            .await
            .unwrap()
            .unwrap();
        let shown: Vec<_> = public
            .stops
            .iter()
            .map(|s| s.item.slug.to_string())
            .collect();
        assert_eq!(shown, ["a", "b"], "{name}");
        assert_eq!(public.stops[0].audio, Some(audio), "{name}");
        assert_eq!(public.stops[1].audio, None, "{name}");
    }
}

#[tokio::test]
async fn stale_exhibition_writes_are_refused_and_change_nothing() {
    for (name, db) in backends().await {
        let (a, b, _) = seed(&db).await;
        let id = db
            .exhibitions
            .create_exhibition(&fields("voices", "声音"), &slug("hall"), &wang())
            .await
            .unwrap();
        assert_eq!(
            db.exhibitions
                .update_exhibition(id, 1, &fields("voices", "第一"), &slug("hall"), &wang())
                .await
                .unwrap(),
            Ok(2),
            "{name}"
        );
        let before = db
            .exhibitions
            .draft_exhibition(&slug("voices"))
            .await
            .unwrap();
        let audit_before = db.accounts.recent_audit(50).await.unwrap().len();
        let stale = Err(Stale { current: 2 });
        assert_eq!(
            db.exhibitions
                .update_exhibition(id, 1, &fields("voices", "第二"), &slug("hall"), &wang())
                .await
                .unwrap(),
            stale,
            "{name}"
        );
        assert_eq!(
            db.exhibitions.add_stop(id, 1, a, &wang()).await.unwrap(),
            stale,
            "{name}"
        );
        assert_eq!(
            db.exhibitions
                .set_exhibition_status(id, 1, Status::Published, &wang())
                .await
                .unwrap(),
            stale,
            "{name}"
        );
        assert_eq!(
            db.exhibitions
                .draft_exhibition(&slug("voices"))
                .await
                .unwrap(),
            before,
            "{name}: nothing changed"
        );
        assert_eq!(
            db.accounts.recent_audit(50).await.unwrap().len(),
            audit_before,
            "{name}: nothing was logged"
        );
        db.exhibitions
            .add_stop(id, 2, a, &wang())
            .await
            .unwrap()
            .unwrap();
        db.exhibitions
            .add_stop(id, 3, b, &wang())
            .await
            .unwrap()
            .unwrap();
        for outcome in [
            db.exhibitions
                .move_stop(id, 3, b, Move::Up, &wang())
                .await
                .unwrap(),
            db.exhibitions.remove_stop(id, 3, a, &wang()).await.unwrap(),
            db.exhibitions
                .update_stop(id, 3, a, &StopFields::default(), &wang())
                .await
                .unwrap(),
        ] {
            assert_eq!(outcome, Err(Stale { current: 4 }), "{name}");
        }
        assert_eq!(order(&db, "voices").await, ["a", "b"], "{name}");
    }
}
