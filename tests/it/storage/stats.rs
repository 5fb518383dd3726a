//! The dashboard's statistics: every query, on every backend.

use super::backends;
use chrono::{Days, NaiveDate};
use edubase::accounts::model::NewUser;
use edubase::accounts::types::{Role, Username};
use edubase::catalogue::model::*;
use edubase::catalogue::types::{Accession, BaseKind, Category, MediaKind, Slug, Status};
use edubase::db::Db;
use edubase::i18n::LocalizedText;
use edubase::repo::AuditEntry;
use edubase::stats::{DayCount, Scope, StorageUsed, Viewed, ViewedKind};

const CC0: &str = "https://creativecommons.org/publicdomain/zero/1.0/";

pub(super) fn slug(s: &str) -> Slug {
    Slug::parse(s).unwrap()
}

fn base(s: &str) -> BaseFields {
    BaseFields {
        slug: slug(s),
        kind: BaseKind::Museum,
        level: None,
        status: Status::Published,
        name: LocalizedText::zh(format!("{s} 馆")),
        town: LocalizedText::default(),
        address: LocalizedText::default(),
        opening_hours: LocalizedText::default(),
        description: LocalizedText::default(),
        contact: None,
        website: None,
        coordinates: None,
    }
}

/// A media file stored as `sha_seed`, of `bytes` bytes, with this alt text and rights.
fn media(
    sha_seed: &str,
    kind: MediaKind,
    bytes: i64,
    alt: LocalizedText,
    rights: &str,
) -> NewMedia {
    NewMedia {
        file: MediaFile {
            sha256: format!("{sha_seed:0>64}"),
            kind,
            mime: if kind == MediaKind::Image {
                "image/jpeg"
            } else {
                "audio/mpeg"
            }
            .into(),
            bytes,
            width: None,
            height: None,
            duration_ms: None,
            codecs: None,
        },
        fields: MediaFields {
            original_name: format!("{sha_seed}.bin"),
            alt,
            caption: LocalizedText::default(),
            credit: "Photographer".into(),
            rights: rights.into(),
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
            protection_level: None,
            title: LocalizedText::new(
                Some(format!("{s} 标题")),
                None,
                Some(format!("Title of {s}")),
            ),
            summary: LocalizedText::default(),
            description: LocalizedText::default(),
            place: LocalizedText::default(),
            period: LocalizedText::default(),
            year: None,
            inheritors: vec![],
            subjects: vec![],
            rights: CC0.into(),
        },
        base: slug(base),
        media,
    }
}

/// `hall` keeps H1 (published; an image and a recording), H2 (draft; an image with only
/// English alt text) and H3 (archived; an image without alt text). `school` keeps S1
/// (published; the same image file as H1, without rights) and S2 (in review; no media).
pub(super) async fn seed(db: &Db) {
    let repo = db.catalogue.as_ref();
    repo.upsert_base(&base("hall")).await.unwrap();
    repo.upsert_base(&base("school")).await.unwrap();
    let alt = || LocalizedText::zh("一把马头琴");
    let english_only = LocalizedText::new(None, None, Some("A fiddle".into()));
    for new in [
        item(
            "H1",
            "fiddle",
            "hall",
            Category::TraditionalMusic,
            Status::Published,
            vec![
                media("1", MediaKind::Image, 1_000, alt(), CC0),
                media("2", MediaKind::Audio, 5_000, LocalizedText::default(), CC0),
            ],
        ),
        item(
            "H2",
            "epic",
            "hall",
            Category::FolkLiterature,
            Status::Draft,
            vec![media("3", MediaKind::Image, 2_000, english_only, CC0)],
        ),
        item(
            "H3",
            "saddle",
            "hall",
            Category::TraditionalCraft,
            Status::Archived,
            vec![media(
                "4",
                MediaKind::Image,
                4_000,
                LocalizedText::default(),
                CC0,
            )],
        ),
        item(
            "S1",
            "wrestling",
            "school",
            Category::SportsGamesAcrobatics,
            Status::Published,
            vec![media("1", MediaKind::Image, 1_000, alt(), "")],
        ),
        item(
            "S2",
            "deel",
            "school",
            Category::FolkCustom,
            Status::InReview,
            vec![],
        ),
    ] {
        repo.upsert_item(&new).await.unwrap();
    }
}

fn bases(list: &[&str]) -> Scope {
    Scope::Bases(list.iter().map(|b| slug(b)).collect())
}

#[tokio::test]
async fn items_are_counted_by_status_and_category_within_a_scope() {
    for (name, db) in backends().await {
        seed(&db).await;
        let all = db.stats.item_counts(&Scope::All).await.unwrap();
        assert_eq!(all.total(), 5, "{name}");
        assert_eq!(all.by_status(&Status::Published), 2, "{name}");
        assert_eq!(all.by_status(&Status::Draft), 1, "{name}");
        assert_eq!(all.by_status(&Status::InReview), 1, "{name}");
        assert_eq!(all.by_status(&Status::Archived), 1, "{name}");
        assert_eq!(
            all.get(&Status::Published, &Category::TraditionalMusic),
            1,
            "{name}"
        );
        assert_eq!(
            all.get(&Status::Draft, &Category::TraditionalMusic),
            0,
            "{name}"
        );

        let hall = db.stats.item_counts(&bases(&["hall"])).await.unwrap();
        assert_eq!(hall.total(), 3, "{name}");
        assert_eq!(hall.by_category(&Category::FolkCustom), 0, "{name}");
        let both = db
            .stats
            .item_counts(&bases(&["hall", "school"]))
            .await
            .unwrap();
        assert_eq!(both, all, "{name}");
        let none = db.stats.item_counts(&bases(&[])).await.unwrap();
        assert_eq!(
            none.total(),
            0,
            "{name}: a curator without bases sees nothing"
        );
    }
}

#[tokio::test]
async fn items_missing_chinese_alt_text_or_rights_need_attention_unless_archived() {
    for (name, db) in backends().await {
        seed(&db).await;
        let list = db.stats.needs_attention(&Scope::All, 10).await.unwrap();
        let found: Vec<_> = list
            .iter()
            .map(|a| {
                (
                    a.slug.as_str(),
                    a.images_without_alt,
                    a.media_without_rights,
                )
            })
            .collect();
        assert_eq!(found, vec![("epic", 1, 0), ("wrestling", 0, 1)], "{name}");
        assert_eq!(list[0].accession.as_str(), "H2", "{name}");
        assert_eq!(list[0].status, Status::Draft, "{name}");
        assert_eq!(list[0].title.zh.as_deref(), Some("epic 标题"), "{name}");

        let first = db.stats.needs_attention(&Scope::All, 1).await.unwrap();
        assert_eq!(first.len(), 1, "{name}: the limit holds");
        let school = db
            .stats
            .needs_attention(&bases(&["school"]), 10)
            .await
            .unwrap();
        assert_eq!(school.len(), 1, "{name}");
        assert_eq!(school[0].slug.as_str(), "wrestling", "{name}");
    }
}

#[tokio::test]
async fn storage_counts_each_original_once_however_many_items_use_it() {
    for (name, db) in backends().await {
        let empty = db.stats.storage_used(&Scope::All).await.unwrap();
        assert_eq!(empty, StorageUsed::default(), "{name}");
        seed(&db).await;
        let all = db.stats.storage_used(&Scope::All).await.unwrap();
        assert_eq!(
            all,
            StorageUsed {
                bytes: 12_000,
                originals: 4,
                media_files: 5
            },
            "{name}"
        );
        let school = db.stats.storage_used(&bases(&["school"])).await.unwrap();
        assert_eq!(
            school,
            StorageUsed {
                bytes: 1_000,
                originals: 1,
                media_files: 1
            },
            "{name}"
        );
    }
}

#[tokio::test]
async fn page_views_add_up_per_day_and_missing_days_are_zero() {
    for (name, db) in backends().await {
        let last = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let back = |n: u64| last.checked_sub_days(Days::new(n)).unwrap();
        let plain = |views| DayCount {
            views,
            ..DayCount::default()
        };
        db.stats.add_page_views(last, &plain(3)).await.unwrap();
        db.stats.add_page_views(last, &plain(2)).await.unwrap();
        db.stats.add_page_views(back(2), &plain(7)).await.unwrap();
        db.stats.add_page_views(back(5), &plain(100)).await.unwrap();
        let days = db.stats.page_views(last, 5).await.unwrap();
        let seen: Vec<_> = days.iter().map(|d| (d.day, d.views)).collect();
        assert_eq!(
            seen,
            vec![
                (back(4), 0),
                (back(3), 0),
                (back(2), 7),
                (back(1), 0),
                (last, 5)
            ],
            "{name}: oldest first, the day before the window left out"
        );
        let earlier = db.stats.page_views(back(1), 30).await.unwrap();
        assert_eq!(earlier.len(), 30, "{name}");
        assert_eq!(earlier.iter().map(|d| d.views).sum::<i64>(), 107, "{name}");
    }
}

#[tokio::test]
async fn recent_changes_are_newest_first_and_can_be_one_persons_own() {
    for (name, db) in backends().await {
        seed(&db).await;
        let audit = |actor: Option<i64>, actor_name: &str, id: &str| AuditEntry {
            actor,
            actor_name: actor_name.into(),
            action: "item.update".into(),
            entity: "item".into(),
            entity_id: id.into(),
            before: Some("{}".into()),
            after: Some("{}".into()),
        };
        let curator = db
            .accounts
            .create_user(
                &NewUser {
                    username: Username::parse("wang").unwrap(),
                    display_name: "王".into(),
                    role: Role::Curator,
                    bases: vec![slug("hall")],
                    password_hash: "$argon2id$not-a-real-hash".into(),
                },
                &audit(None, "cli", "user"),
            )
            .await
            .unwrap();
        db.accounts
            .audit(&audit(Some(curator), "王", "fiddle"))
            .await
            .unwrap();
        db.accounts
            .audit(&audit(None, "system", "epic"))
            .await
            .unwrap();
        db.accounts
            .audit(&audit(Some(curator), "王", "saddle"))
            .await
            .unwrap();

        // The seed's imports are logged too ("item.import"); these are the rest.
        let all: Vec<_> = db
            .stats
            .recent_changes(None, 20)
            .await
            .unwrap()
            .into_iter()
            .filter(|c| !c.action.ends_with(".import"))
            .collect();
        let ids: Vec<_> = all.iter().map(|c| c.entity_id.as_str()).collect();
        assert_eq!(ids, ["saddle", "epic", "fiddle", "user"], "{name}");
        assert_eq!(all[0].actor_name, "王", "{name}");
        assert_eq!(all[0].action, "item.update", "{name}");
        let own = db.stats.recent_changes(Some(curator), 10).await.unwrap();
        let ids: Vec<_> = own.iter().map(|c| c.entity_id.as_str()).collect();
        assert_eq!(ids, ["saddle", "fiddle"], "{name}");
        assert_eq!(
            db.stats.recent_changes(None, 1).await.unwrap().len(),
            1,
            "{name}"
        );
    }
}

#[tokio::test]
async fn the_most_viewed_records_are_counted_from_a_day_on_within_a_scope() {
    for (name, db) in backends().await {
        seed(&db).await;
        let last = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let back = |n: u64| last.checked_sub_days(Days::new(n)).unwrap();
        let day = |records: &[(Viewed, i64)]| DayCount {
            views: records.iter().map(|(_, n)| n).sum::<i64>() + 1,
            records: records.iter().cloned().collect(),
        };
        let fiddle = || Viewed::Item(slug("fiddle"));
        let wrestling = || Viewed::Item(slug("wrestling"));
        let gone = || Viewed::Item(slug("no-such-item"));
        let hall = || Viewed::Base(slug("hall"));
        let today = day(&[(fiddle(), 2), (wrestling(), 5), (gone(), 9), (hall(), 4)]);
        db.stats.add_page_views(last, &today).await.unwrap();
        db.stats
            .add_page_views(back(1), &day(&[(fiddle(), 4)]))
            .await
            .unwrap();
        db.stats
            .add_page_views(back(40), &day(&[(fiddle(), 100)]))
            .await
            .unwrap();
        let days = db.stats.page_views(last, 1).await.unwrap();
        assert_eq!(days[0].views, 21, "{name}: every page counts in the day");

        let since = back(29);
        let top = |kind, scope| {
            let stats = db.stats.clone();
            async move {
                stats
                    .most_viewed(kind, &scope, since, 10)
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|m| (m.slug.as_str().to_owned(), m.views))
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(
            top(ViewedKind::Item, Scope::All).await,
            [("fiddle".into(), 6), ("wrestling".into(), 5)],
            "{name}: last 30 days only; a slug no item has is left out"
        );
        assert_eq!(
            top(ViewedKind::Item, bases(&["hall"])).await,
            [("fiddle".into(), 6)],
            "{name}"
        );
        assert_eq!(
            top(ViewedKind::Base, Scope::All).await,
            [("hall".into(), 4)],
            "{name}"
        );
        let most = db
            .stats
            .most_viewed(ViewedKind::Base, &Scope::All, since, 10)
            .await
            .unwrap();
        assert_eq!(most[0].title.zh.as_deref(), Some("hall 馆"), "{name}");
        assert!(top(ViewedKind::Exhibition, Scope::All).await.is_empty());
        assert_eq!(db.stats.views_of(&fiddle(), since).await.unwrap(), 6);
        assert_eq!(db.stats.views_of(&fiddle(), back(40)).await.unwrap(), 106);
        assert_eq!(db.stats.views_of(&hall(), last).await.unwrap(), 4);
        assert_eq!(
            db.stats
                .views_of(&Viewed::Exhibition(slug("fiddle")), since)
                .await
                .unwrap(),
            0,
            "{name}: a kind is its own count"
        );
    }
}
