//! The catalogue repository's exhibitions as the public reads them: stops numbered among
//! the visible ones, and a refused exhibition that keeps its previous stops — on every
//! backend.

use super::backends;
use super::catalogue::{exhibition, seed, slug, stop};
use edubase::catalogue::repo::ListQuery;
use edubase::repo::{RepoError, Visibility};

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
