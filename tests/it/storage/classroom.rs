//! The classroom repository on every backend: classes, assignments with their codes and
//! questions, visits with devices, stops, answers and essays, retention's purge that keeps
//! the counts, and the banner report.

use super::backends;
use chrono::{DateTime, Utc};
use edubase::accounts::model::NewUser;
use edubase::accounts::types::{Role, Username};
use edubase::catalogue::model::{BaseFields, NewExhibition};
use edubase::catalogue::types::{BaseKind, Slug, Status};
use edubase::classroom::codes::{JoinCode, ResumeCode};
use edubase::classroom::feedback::{Feedback, Grade};
use edubase::classroom::model::*;
use edubase::db::Db;
use edubase::i18n::LocalizedText;
use edubase::repo::{AuditEntry, RepoError};

fn slug(s: &str) -> Slug {
    Slug::parse(s).unwrap()
}

async fn teacher(db: &Db, name: &str) -> i64 {
    let audit = AuditEntry {
        actor: None,
        actor_name: "test".into(),
        action: "user.create".into(),
        entity: "user".into(),
        entity_id: name.into(),
        before: None,
        after: None,
    };
    db.accounts
        .create_user(
            &NewUser {
                username: Username::parse(name).unwrap(),
                display_name: name.into(),
                role: Role::Teacher,
                bases: vec![],
                password_hash: "x".into(),
            },
            &audit,
        )
        .await
        .unwrap()
}

async fn exhibition(db: &Db) {
    db.catalogue
        .upsert_base(&BaseFields {
            slug: slug("hall"),
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
        })
        .await
        .unwrap();
    db.catalogue
        .upsert_exhibition(&NewExhibition {
            slug: slug("steppe"),
            base: slug("hall"),
            status: Status::Published,
            featured: false,
            title: LocalizedText::new(Some("草原".into()), None, Some("Steppe".into())),
            subtitle: LocalizedText::default(),
            introduction: LocalizedText::default(),
            cover_item: None,
            stops: vec![],
        })
        .await
        .unwrap();
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn fields(year: i32) -> AssignmentFields {
    AssignmentFields {
        tour: Tour::Exhibition(slug("steppe")),
        instructions: "说明".into(),
        essay_prompt: "题目".into(),
        essay_min_chars: 100,
        opens_at: at("2026-03-31T16:00:00Z"),
        closes_at: at("2026-04-15T16:00:00Z"),
        school_year: year,
    }
}

fn new_visit(nickname: &str, resume: &str, token: &str) -> NewVisit {
    NewVisit {
        nickname: nickname.into(),
        resume_code: ResumeCode::parse(resume).unwrap(),
        token_hash: token.into(),
    }
}

#[tokio::test]
async fn classes_assignments_and_visits_round_trip_on_every_backend() {
    for (name, db) in backends().await {
        let repo = db.classroom.as_ref();
        exhibition(&db).await;
        let bao = teacher(&db, "teacher.bao").await;
        let li = teacher(&db, "teacher.li").await;
        let class = ClassFields {
            school: "甘旗卡第二中学".into(),
            grade: "七年级".into(),
            name: "三班".into(),
            students: Some(45),
        };
        let c = repo.create_class(bao, &class).await.unwrap();
        repo.create_class(li, &class).await.unwrap();
        let mine = repo.classes_of(bao).await.unwrap();
        assert_eq!((mine.len(), &mine[0].fields), (1, &class), "{name}");

        let code = JoinCode::parse("ABCD2345").unwrap();
        let a = repo
            .create_assignment(c, &code, &fields(2025), &[])
            .await
            .unwrap();
        assert!(
            matches!(
                repo.create_assignment(c, &code, &fields(2025), &[]).await,
                Err(RepoError::Conflict(_))
            ),
            "{name}: codes are unique"
        );
        let missing = AssignmentFields {
            tour: Tour::Exhibition(slug("nowhere")),
            ..fields(2025)
        };
        assert!(matches!(
            repo.create_assignment(c, &JoinCode::parse("WXYZ2345").unwrap(), &missing, &[])
                .await,
            Err(RepoError::Invalid(_))
        ));
        let q1 = repo
            .add_question(
                a,
                &NewQuestion {
                    stop: 1,
                    kind: QuestionKind::Choice,
                    prompt: "哪一个？".into(),
                    choices: vec!["甲".into(), "乙".into()],
                    answer: Some(1),
                },
            )
            .await
            .unwrap();
        let q2 = repo
            .add_question(
                a,
                &NewQuestion {
                    stop: 1,
                    kind: QuestionKind::Short,
                    prompt: "为什么？".into(),
                    choices: vec![],
                    answer: None,
                },
            )
            .await
            .unwrap();
        let got = repo.assignment_by_code(&code).await.unwrap().unwrap();
        assert_eq!(got.id, a, "{name}");
        assert_eq!(got.fields, fields(2025), "{name}");
        assert_eq!(got.class.teacher, bao);
        assert_eq!(got.exhibition_title.zh.as_deref(), Some("草原"));
        assert_eq!(
            got.questions.iter().map(|q| q.id).collect::<Vec<_>>(),
            [q1, q2]
        );
        assert_eq!(got.questions[0].choices, ["甲", "乙"]);
        // Set again with its questions, in one transaction.
        let asked: Vec<NewQuestion> = got.questions.iter().map(NewQuestion::from).collect();
        let again = JoinCode::parse("EFGH2345").unwrap();
        let other = repo.create_class(bao, &class).await.unwrap();
        let copy = repo
            .create_assignment(other, &again, &fields(2025), &asked)
            .await
            .unwrap();
        let copied = repo.assignment(copy).await.unwrap().unwrap();
        let words = |a: &Assignment| {
            a.questions
                .iter()
                .map(|q| (q.stop, q.prompt.clone(), q.choices.clone(), q.answer))
                .collect::<Vec<_>>()
        };
        assert_eq!(words(&copied), words(&got), "{name}");
        assert!(repo.delete_class(other).await.unwrap());

        let now = at("2026-04-02T02:00:00Z");
        let v = repo
            .create_visit(a, &new_visit("其木格", "2345ABCD", "hash-1"), now)
            .await
            .unwrap();
        assert!(matches!(
            repo.create_visit(a, &new_visit("巴特", "2345ABCD", "hash-2"), now)
                .await,
            Err(RepoError::Conflict(_))
        ));
        let w = repo
            .create_visit(a, &new_visit("巴特", "2345ABCE", "hash-2"), now)
            .await
            .unwrap();
        repo.mark_stop_seen(v, 1).await.unwrap();
        repo.mark_stop_seen(v, 1).await.unwrap();
        repo.mark_stop_seen(v, 3).await.unwrap();
        repo.save_answers(v, &[(q1, "0".into()), (q2, "因为".into())])
            .await
            .unwrap();
        repo.save_answers(v, &[(q1, "1".into())]).await.unwrap();
        assert!(repo.save_essay(v, "草稿", now).await.unwrap());
        repo.add_visit_token(v, "hash-3").await.unwrap();
        let by_token = repo.visit_by_token(a, "hash-3").await.unwrap().unwrap();
        assert_eq!(by_token.id, v, "{name}: a second device");
        assert_eq!(by_token.stops_seen, [1, 3]);
        assert_eq!(by_token.answers, [(q1, "1".into()), (q2, "因为".into())]);
        assert_eq!(by_token.essay, "草稿");
        assert_eq!(by_token.score(&got), 1);
        assert!(
            repo.visit_by_token(a + 1000, "hash-3")
                .await
                .unwrap()
                .is_none()
        );
        let resumed = repo
            .visit_by_resume(a, &ResumeCode::parse("2345ABCE").unwrap())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(resumed.id, w);
        assert!(repo.submit_essay(v, "终稿", now).await.unwrap());
        assert!(!repo.submit_essay(v, "再改", now).await.unwrap());
        assert!(!repo.save_essay(v, "再改", now).await.unwrap());
        // The teacher's comment; handing back only what is handed in.
        let later = now + chrono::Duration::minutes(5);
        assert!(
            !repo
                .give_feedback(w, &said("先交上来", None), true, later)
                .await
                .unwrap()
        );
        assert!(
            repo.give_feedback(v, &said("再写写", None), true, later)
                .await
                .unwrap()
        );
        let back = repo.visit(a, v).await.unwrap().unwrap();
        assert_eq!(
            (back.feedback.as_str(), back.feedback_at),
            ("再写写", Some(later))
        );
        assert_eq!((back.submitted_at, back.returned_at), (None, Some(later)));
        assert!(
            !repo
                .give_feedback(v, &said("再写写", None), true, later)
                .await
                .unwrap()
        );
        assert!(repo.submit_essay(v, "终稿", now).await.unwrap());
        let best = said("好", Some(Grade::Excellent));
        assert!(repo.give_feedback(v, &best, false, later).await.unwrap());
        let all = repo.visits_of(a).await.unwrap();
        assert_eq!(
            (all[0].feedback.as_str(), all[0].returned_at),
            ("好", Some(later))
        );
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].essay, "终稿");
        assert_eq!(all[0].submitted_at, Some(now));
        assert_eq!(all[0].stops_seen, [1, 3]);
        assert!(all[1].stops_seen.is_empty());

        // Retention: counts stay on the assignment, the visits go.
        let report = repo.report(2025).await.unwrap();
        assert_eq!(
            (report[0].assignments, report[0].visitors, report[0].essays),
            (1, 1, 1),
            "{name}: only a visit that opened a stop counts as visited"
        );
        repo.close_assignment(a, now).await.unwrap();
        let expiring = repo.assignments_with_visits().await.unwrap();
        assert_eq!(expiring.len(), 1);
        assert_eq!(expiring[0].closed_at, Some(now));
        assert_eq!(repo.purge_visits(a).await.unwrap(), 2);
        assert!(repo.visits_of(a).await.unwrap().is_empty());
        assert!(repo.visit_by_token(a, "hash-1").await.unwrap().is_none());
        assert!(repo.assignments_with_visits().await.unwrap().is_empty());
        assert_eq!(repo.report(2025).await.unwrap(), report, "{name}");
        assert!(repo.report(2024).await.unwrap().is_empty());
        assert_eq!(repo.school_years().await.unwrap(), [2025]);

        assert!(repo.delete_question(a, q2).await.unwrap());
        assert!(!repo.delete_question(a + 1, q1).await.unwrap());
        assert!(repo.delete_class(c).await.unwrap());
        assert!(repo.assignment(a).await.unwrap().is_none());
        assert!(!repo.delete_class(c).await.unwrap());
    }
}

#[tokio::test]
async fn two_nodes_purging_one_assignment_count_its_visits_once() {
    // PostgreSQL only: on SQLite one writer at a time is the rule anyway.
    let Ok(url) = std::env::var("EDUBASE_TEST_POSTGRES_URL") else {
        return;
    };
    use sqlx::Connection;
    let scoped = super::postgres_schema_url(&url).await;
    let connect = || async {
        edubase::db::connect(&edubase::db::DatabaseUrl::Postgres(scoped.clone()))
            .await
            .unwrap()
    };
    let (first, second) = (connect().await, connect().await);
    exhibition(&first).await;
    let bao = teacher(&first, "teacher.bao").await;
    let class = ClassFields {
        school: "阿古拉镇中学".into(),
        grade: "八年级".into(),
        name: "一班".into(),
        students: None,
    };
    let repo = first.classroom.as_ref();
    let c = repo.create_class(bao, &class).await.unwrap();
    let code = JoinCode::parse("ABCD2345").unwrap();
    let a = repo
        .create_assignment(c, &code, &fields(2026), &[])
        .await
        .unwrap();
    let now = at("2026-04-01T08:00:00Z");
    for (i, resume) in ["2345ABCD", "2345ABCE", "2345ABCF"].iter().enumerate() {
        let v = repo
            .create_visit(
                a,
                &new_visit(&format!("学生{i}"), resume, &format!("h{i}")),
                now,
            )
            .await
            .unwrap();
        repo.mark_stop_seen(v, 1).await.unwrap();
    }
    // Hold the assignment while both nodes start their purge, so that both have begun
    // before either can finish.
    let mut holder = sqlx::PgConnection::connect(&scoped).await.unwrap();
    let mut hold = holder.begin().await.unwrap();
    sqlx::query("select id from assignment where id = $1 for update")
        .bind(a)
        .execute(&mut *hold)
        .await
        .unwrap();
    let one = tokio::spawn(async move { first.classroom.purge_visits(a).await.map(|_| first) });
    let two = tokio::spawn(async move { second.classroom.purge_visits(a).await });
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    hold.commit().await.unwrap();
    let first = one.await.unwrap().unwrap();
    two.await.unwrap().unwrap();
    let report = first.classroom.report(2026).await.unwrap();
    assert_eq!(report[0].visitors, 3, "each visit counted once");
}

#[tokio::test]
async fn a_class_size_is_kept_and_caps_what_the_report_counts_as_covered() {
    for (name, db) in backends().await {
        let repo = db.classroom.as_ref();
        exhibition(&db).await;
        let bao = teacher(&db, "teacher.bao").await;
        let class = |name: &str, students: Option<i64>| ClassFields {
            school: "甘旗卡第二中学".into(),
            grade: "七年级".into(),
            name: name.into(),
            students,
        };
        let small = repo
            .create_class(bao, &class("一班", Some(2)))
            .await
            .unwrap();
        let big = repo.create_class(bao, &class("二班", None)).await.unwrap();
        let unsized_class = repo.create_class(bao, &class("三班", None)).await.unwrap();
        // A class renamed and given its size.
        assert!(
            repo.update_class(big, &class("二班（新）", Some(40)))
                .await
                .unwrap()
        );
        let got = repo.class(big).await.unwrap().unwrap();
        assert_eq!(got.fields, class("二班（新）", Some(40)), "{name}");
        assert!(!repo.update_class(big + 1000, &got.fields).await.unwrap());
        let now = at("2026-04-02T02:00:00Z");
        let essays = |class, code: &'static str, n: usize| async move {
            let a = repo
                .create_assignment(class, &JoinCode::parse(code).unwrap(), &fields(2025), &[])
                .await
                .unwrap();
            for i in 0..n {
                let resume = ["2345ABCD", "2345ABCE", "2345ABCF"][i];
                let v = repo
                    .create_visit(
                        a,
                        &new_visit(&format!("学生{i}"), resume, &format!("{code}{i}")),
                        now,
                    )
                    .await
                    .unwrap();
                repo.mark_stop_seen(v, 1).await.unwrap();
                assert!(repo.submit_essay(v, "作文", now).await.unwrap());
            }
            a
        };
        // Three essays from a class of two: it covers its two students, no more.
        essays(small, "ABCD2345", 3).await;
        essays(big, "EFGH2345", 1).await;
        essays(unsized_class, "WXYZ2345", 1).await;
        let report = repo.report(2025).await.unwrap();
        assert_eq!(report.len(), 1, "{name}");
        let r = &report[0];
        assert_eq!((r.assignments, r.visitors, r.essays), (3, 5, 5), "{name}");
        assert_eq!(
            (r.students, r.visited, r.wrote, r.unsized_classes),
            (42, 3, 3, 1),
            "{name}: sizes given by two classes, the third left out"
        );
        assert_eq!(r.essay_coverage(), Some(7), "{name}: 3 of 42");
        assert_eq!(r.visit_coverage(), Some(7), "{name}");
    }
}

/// A teacher's comment and grade.
fn said(text: &str, grade: Option<Grade>) -> Feedback {
    Feedback {
        text: text.into(),
        grade,
    }
}
