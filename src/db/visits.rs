//! The students' visits in SQL, for both databases.

use super::classroom_rows::*;
use super::{SqlStore, map_err};
use crate::classroom::codes::ResumeCode;
use crate::classroom::feedback::Feedback;
use crate::classroom::model::*;
use crate::classroom::repo::VisitsRepo;
use crate::repo::RepoResult;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::{Database, Decode, Encode, Executor, FromRow, IntoArguments, Type};

#[async_trait]
impl<DB> VisitsRepo for SqlStore<DB>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> i64: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> String: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> Option<String>: Encode<'q, DB> + Type<DB>,
    for<'q> DateTime<Utc>: Encode<'q, DB> + Type<DB>,
    for<'r> VisitRow: FromRow<'r, DB::Row>,
    for<'r> AnswerRow: FromRow<'r, DB::Row>,
    for<'r> (i64,): FromRow<'r, DB::Row>,
    for<'r> (i64, i64): FromRow<'r, DB::Row>,
    for<'r> (i64, String): FromRow<'r, DB::Row>,
{
    async fn create_visit(
        &self,
        assignment: AssignmentId,
        visit: &NewVisit,
        at: DateTime<Utc>,
    ) -> RepoResult<VisitId> {
        let mut tx = self.begin_write().await?;
        let (id,) = sqlx::query_as::<DB, (i64,)>(
            "insert into visit (assignment_id, nickname, resume_code, essay, created_at) \
             values ($1, $2, $3, '', $4) returning id",
        )
        .bind(assignment)
        .bind(visit.nickname.clone())
        .bind(visit.resume_code.as_str().to_owned())
        .bind(at)
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        sqlx::query::<DB>("insert into visit_token (token_hash, visit_id) values ($1, $2)")
            .bind(visit.token_hash.clone())
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        tx.commit().await.map_err(map_err)?;
        Ok(id)
    }

    async fn visit_by_token(
        &self,
        assignment: AssignmentId,
        token_hash: &str,
    ) -> RepoResult<Option<Visit>> {
        let sql = format!(
            "select {VISIT_COLUMNS} from visit v join visit_token t on t.visit_id = v.id \
             where t.token_hash = $1 and v.assignment_id = $2"
        );
        let row = sqlx::query_as::<DB, VisitRow>(sqlx::AssertSqlSafe(sql))
            .bind(token_hash.to_owned())
            .bind(assignment)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        self.complete_visit(row).await
    }

    async fn visit_by_resume(
        &self,
        assignment: AssignmentId,
        code: &ResumeCode,
    ) -> RepoResult<Option<Visit>> {
        let sql = format!(
            "select {VISIT_COLUMNS} from visit v where v.resume_code = $1 and v.assignment_id = $2"
        );
        let row = sqlx::query_as::<DB, VisitRow>(sqlx::AssertSqlSafe(sql))
            .bind(code.as_str().to_owned())
            .bind(assignment)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        self.complete_visit(row).await
    }

    async fn add_visit_token(&self, visit: VisitId, token_hash: &str) -> RepoResult<()> {
        sqlx::query::<DB>("insert into visit_token (token_hash, visit_id) values ($1, $2)")
            .bind(token_hash.to_owned())
            .bind(visit)
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn visit(&self, assignment: AssignmentId, id: VisitId) -> RepoResult<Option<Visit>> {
        let sql =
            format!("select {VISIT_COLUMNS} from visit v where v.id = $1 and v.assignment_id = $2");
        let row = sqlx::query_as::<DB, VisitRow>(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .bind(assignment)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        self.complete_visit(row).await
    }

    async fn visits_of(&self, assignment: AssignmentId) -> RepoResult<Vec<Visit>> {
        let sql =
            format!("select {VISIT_COLUMNS} from visit v where v.assignment_id = $1 order by v.id");
        let rows = sqlx::query_as::<DB, VisitRow>(sqlx::AssertSqlSafe(sql))
            .bind(assignment)
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        let stops = sqlx::query_as::<DB, (i64, i64)>(
            "select s.visit_id, s.stop from visit_stop s join visit v on v.id = s.visit_id \
             where v.assignment_id = $1 order by s.visit_id, s.stop",
        )
        .bind(assignment)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        let answers = sqlx::query_as::<DB, AnswerRow>(
            "select a.visit_id, a.question_id, a.answer from visit_answer a \
             join visit v on v.id = a.visit_id where v.assignment_id = $1 order by a.question_id",
        )
        .bind(assignment)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.into_iter()
            .map(|r| {
                let id = r.id;
                visit_of(
                    r,
                    stops
                        .iter()
                        .filter(|(v, _)| *v == id)
                        .map(|(_, s)| *s)
                        .collect(),
                    answers
                        .iter()
                        .filter(|a| a.visit_id == id)
                        .map(|a| (a.question_id, a.answer.clone()))
                        .collect(),
                )
            })
            .collect()
    }

    async fn mark_stop_seen(&self, visit: VisitId, stop: i64) -> RepoResult<()> {
        sqlx::query::<DB>(
            "insert into visit_stop (visit_id, stop) values ($1, $2) on conflict do nothing",
        )
        .bind(visit)
        .bind(stop)
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn save_answers(
        &self,
        visit: VisitId,
        answers: &[(QuestionId, String)],
    ) -> RepoResult<()> {
        let mut tx = self.begin_write().await?;
        for (question, answer) in answers {
            sqlx::query::<DB>(
                "insert into visit_answer (visit_id, question_id, answer) values ($1, $2, $3) \
                 on conflict (visit_id, question_id) do update set answer = excluded.answer",
            )
            .bind(visit)
            .bind(*question)
            .bind(answer.clone())
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        }
        tx.commit().await.map_err(map_err)?;
        Ok(())
    }

    async fn save_essay(&self, visit: VisitId, essay: &str, at: DateTime<Utc>) -> RepoResult<bool> {
        let saved = sqlx::query_as::<DB, (i64,)>(
            "update visit set essay = $1, essay_saved_at = $2 \
             where id = $3 and submitted_at is null returning id",
        )
        .bind(essay.to_owned())
        .bind(at)
        .bind(visit)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(saved.is_some())
    }

    async fn submit_essay(
        &self,
        visit: VisitId,
        essay: &str,
        at: DateTime<Utc>,
    ) -> RepoResult<bool> {
        let saved = sqlx::query_as::<DB, (i64,)>(
            "update visit set essay = $1, essay_saved_at = $2, submitted_at = $2 \
             where id = $3 and submitted_at is null returning id",
        )
        .bind(essay.to_owned())
        .bind(at)
        .bind(visit)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(saved.is_some())
    }

    async fn give_feedback(
        &self,
        visit: VisitId,
        feedback: &Feedback,
        hand_back: bool,
        at: DateTime<Utc>,
    ) -> RepoResult<bool> {
        let sql = if hand_back {
            "update visit set feedback = $1, grade = $4, feedback_at = $2, returned_at = $2, \
             submitted_at = null where id = $3 and submitted_at is not null returning id"
        } else {
            "update visit set feedback = $1, grade = $4, feedback_at = $2 where id = $3 \
             returning id"
        };
        let saved = sqlx::query_as::<DB, (i64,)>(sql)
            .bind(feedback.text.clone())
            .bind(at)
            .bind(visit)
            .bind(feedback.grade.map(|g| g.code().to_owned()))
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(saved.is_some())
    }
}

impl<DB> SqlStore<DB>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> i64: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> String: Decode<'q, DB> + Type<DB>,
    for<'r> (i64,): FromRow<'r, DB::Row>,
    for<'r> (i64, String): FromRow<'r, DB::Row>,
{
    async fn complete_visit(&self, row: Option<VisitRow>) -> RepoResult<Option<Visit>> {
        let Some(row) = row else { return Ok(None) };
        let stops = sqlx::query_as::<DB, (i64,)>(
            "select stop from visit_stop where visit_id = $1 order by stop",
        )
        .bind(row.id)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        let answers = sqlx::query_as::<DB, (i64, String)>(
            "select question_id, answer from visit_answer where visit_id = $1 order by question_id",
        )
        .bind(row.id)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        visit_of(row, stops.into_iter().map(|(s,)| s).collect(), answers).map(Some)
    }
}
