//! The catalogue repository's items: media in order, revisions, refused writes that leave
//! nothing behind, filtered lists, stable key pagination, accessions, related items, and
//! media public only through a published item — on every backend.

use super::backends;
use super::catalogue::{accessions, item, media, seed, slug, text};
use edubase::catalogue::repo::ItemQuery;
use edubase::catalogue::types::{Accession, Category, MediaKind, Slug, Status};
use edubase::repo::{Cursor, RepoError, Visibility};

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
