//! The accounts repository: every query, on every backend.

use super::backends;
use chrono::{Duration, Utc};
use edubase::accounts::model::*;
use edubase::accounts::types::{Role, Username};
use edubase::catalogue::model::BaseFields;
use edubase::catalogue::types::{BaseKind, Slug, Status};
use edubase::i18n::LocalizedText;
use edubase::repo::AuditEntry;
use edubase::repo::RepoError;

fn audit(action: &str, id: &str) -> AuditEntry {
    AuditEntry {
        actor: None,
        actor_name: "cli".into(),
        action: action.into(),
        entity: "user".into(),
        entity_id: id.into(),
        before: None,
        after: Some("{}".into()),
    }
}

fn new_user(name: &str, role: Role, bases: &[&str]) -> NewUser {
    NewUser {
        username: Username::parse(name).unwrap(),
        display_name: format!("{name} 老师"),
        role,
        bases: bases.iter().map(|b| Slug::parse(b).unwrap()).collect(),
        password_hash: "$argon2id$fake".into(),
    }
}

fn base(slug: &str) -> BaseFields {
    BaseFields {
        slug: Slug::parse(slug).unwrap(),
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

fn session(id: &str, user: UserId, age_hours: i64) -> Session {
    let now = Utc::now();
    Session {
        id_hash: id.into(),
        user_id: user,
        csrf_token: format!("csrf-{id}"),
        created_at: now - Duration::hours(age_hours),
        last_seen_at: now - Duration::hours(age_hours),
        expires_at: now - Duration::hours(age_hours) + Duration::hours(24),
        ip: Some("127.0.0.1".into()),
        user_agent: Some("test".into()),
    }
}

#[tokio::test]
async fn users_are_created_with_their_bases_and_audited() {
    for (name, db) in backends().await {
        db.catalogue.upsert_base(&base("hall")).await.unwrap();
        db.catalogue.upsert_base(&base("school")).await.unwrap();
        let repo = db.accounts;
        let id = repo
            .create_user(
                &new_user("curator", Role::Curator, &["school", "hall"]),
                &audit("user.create", "curator"),
            )
            .await
            .unwrap();
        repo.create_user(
            &new_user("boss", Role::Admin, &[]),
            &audit("user.create", "boss"),
        )
        .await
        .unwrap();

        let (user, hash) = repo
            .user_by_name(&Username::parse("curator").unwrap())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(user.id, id, "{name}");
        assert_eq!(hash, "$argon2id$fake", "{name}");
        assert_eq!(user.role, Role::Curator, "{name}");
        let bases: Vec<_> = user.bases.iter().map(|b| b.as_str()).collect();
        assert_eq!(bases, ["hall", "school"], "{name}");
        assert!(user.can_edit_base(&Slug::parse("hall").unwrap()), "{name}");
        assert!(
            !user.can_edit_base(&Slug::parse("elsewhere").unwrap()),
            "{name}"
        );
        assert_eq!(
            repo.user(id).await.unwrap().unwrap().display_name,
            "curator 老师",
            "{name}"
        );
        let all = repo.list_users().await.unwrap();
        assert_eq!(
            all.iter().map(|u| u.username.as_str()).collect::<Vec<_>>(),
            ["boss", "curator"],
            "{name}"
        );
        assert_eq!(all[1].bases.len(), 2, "{name}");
        assert_eq!(repo.count_admins().await.unwrap(), 1, "{name}");
        let log = repo.recent_audit(10).await.unwrap();
        assert_eq!(log.len(), 2, "{name}");
        assert_eq!(log[0].1.entity_id, "boss", "{name}: newest first");
    }
}

#[tokio::test]
async fn a_refused_user_leaves_nothing_behind() {
    for (name, db) in backends().await {
        let repo = db.accounts;
        repo.create_user(
            &new_user("taken", Role::Teacher, &[]),
            &audit("user.create", "taken"),
        )
        .await
        .unwrap();
        assert!(
            matches!(
                repo.create_user(&new_user("taken", Role::Admin, &[]), &audit("x", "taken"))
                    .await,
                Err(RepoError::Conflict(_))
            ),
            "{name}"
        );
        assert!(
            matches!(
                repo.create_user(
                    &new_user("lost", Role::Curator, &["nowhere"]),
                    &audit("x", "lost")
                )
                .await,
                Err(RepoError::Invalid(_))
            ),
            "{name}"
        );
        assert!(
            repo.user_by_name(&Username::parse("lost").unwrap())
                .await
                .unwrap()
                .is_none(),
            "{name}"
        );
        assert_eq!(
            repo.recent_audit(10).await.unwrap().len(),
            1,
            "{name}: no audit row for refused writes"
        );
        assert_eq!(repo.count_admins().await.unwrap(), 0, "{name}");
    }
}

#[tokio::test]
async fn sessions_are_stored_found_and_ended() {
    for (name, db) in backends().await {
        let repo = db.accounts;
        let id = repo
            .create_user(
                &new_user("curator", Role::Curator, &[]),
                &audit("user.create", "c"),
            )
            .await
            .unwrap();
        repo.create_session(&session("s1", id, 0)).await.unwrap();
        repo.create_session(&session("s2", id, 0)).await.unwrap();
        repo.create_session(&session("old", id, 30)).await.unwrap();
        let (s, user) = repo.session("s1").await.unwrap().unwrap();
        assert_eq!((s.csrf_token.as_str(), user.id), ("csrf-s1", id), "{name}");
        let later = Utc::now() + Duration::minutes(5);
        repo.touch_session("s1", later).await.unwrap();
        let (s, _) = repo.session("s1").await.unwrap().unwrap();
        assert!((s.last_seen_at - later).num_seconds().abs() <= 1, "{name}");

        let swept = repo
            .delete_stale_sessions(Utc::now(), Utc::now() - Duration::hours(4))
            .await
            .unwrap();
        assert_eq!(swept, 1, "{name}: only the expired one");
        assert!(repo.session("old").await.unwrap().is_none(), "{name}");
        repo.delete_session("s2").await.unwrap();
        assert!(repo.session("s2").await.unwrap().is_none(), "{name}");
        repo.create_session(&session("s3", id, 0)).await.unwrap();
        assert_eq!(repo.delete_user_sessions(id).await.unwrap(), 2, "{name}");
        assert!(repo.session("s1").await.unwrap().is_none(), "{name}");
    }
}

#[tokio::test]
async fn password_changes_and_disabling_end_sessions() {
    for (name, db) in backends().await {
        let repo = db.accounts;
        let id = repo
            .create_user(
                &new_user("curator", Role::Admin, &[]),
                &audit("user.create", "c"),
            )
            .await
            .unwrap();
        repo.create_session(&session("s1", id, 0)).await.unwrap();
        repo.set_password(id, "$argon2id$new", &audit("user.password_reset", "c"))
            .await
            .unwrap();
        assert!(repo.session("s1").await.unwrap().is_none(), "{name}");
        let (_, hash) = repo
            .user_by_name(&Username::parse("curator").unwrap())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(hash, "$argon2id$new", "{name}");

        repo.create_session(&session("s2", id, 0)).await.unwrap();
        repo.set_disabled(id, true, &audit("user.disable", "c"))
            .await
            .unwrap();
        assert!(repo.session("s2").await.unwrap().is_none(), "{name}");
        assert!(repo.user(id).await.unwrap().unwrap().disabled, "{name}");
        assert_eq!(
            repo.count_admins().await.unwrap(),
            0,
            "{name}: disabled admins do not count"
        );
        repo.set_disabled(id, false, &audit("user.enable", "c"))
            .await
            .unwrap();
        assert!(!repo.user(id).await.unwrap().unwrap().disabled, "{name}");
        assert_eq!(repo.recent_audit(10).await.unwrap().len(), 4, "{name}");
    }
}

#[tokio::test]
async fn sign_in_failures_are_counted_per_key() {
    for (name, db) in backends().await {
        let repo = db.accounts;
        assert!(repo.throttle("user:x").await.unwrap().is_none(), "{name}");
        let now = Utc::now();
        let state = Throttle {
            failures: 3,
            window_started_at: now,
            locked_until: Some(now + Duration::minutes(15)),
        };
        repo.set_throttle("user:x", &state).await.unwrap();
        let again = Throttle {
            failures: 4,
            ..state
        };
        repo.set_throttle("user:x", &again).await.unwrap();
        let read = repo.throttle("user:x").await.unwrap().unwrap();
        assert_eq!(read.failures, 4, "{name}");
        assert!(read.locked_until.is_some(), "{name}");
        assert!(
            repo.throttle("ip:1.2.3.4").await.unwrap().is_none(),
            "{name}"
        );
        repo.clear_throttle("user:x").await.unwrap();
        assert!(repo.throttle("user:x").await.unwrap().is_none(), "{name}");
    }
}
