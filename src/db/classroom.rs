//! The classroom repository in SQL, for both databases.

use super::classroom_rows::*;
use super::{SqlStore, map_err};
use crate::accounts::model::UserId;
use crate::catalogue::types::Slug;
use crate::classroom::codes::JoinCode;
use crate::classroom::model::*;
use crate::classroom::repo::ClassroomRepo;
use crate::repo::{RepoError, RepoResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::{Database, Decode, Encode, Executor, FromRow, IntoArguments, Type};

#[async_trait]
impl<DB> ClassroomRepo for SqlStore<DB>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> i64: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> i32: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> String: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> Option<i64>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<String>: Encode<'q, DB> + Type<DB>,
    for<'q> DateTime<Utc>: Encode<'q, DB> + Type<DB>,
    for<'r> ClassRow: FromRow<'r, DB::Row>,
    for<'r> AssignmentRow: FromRow<'r, DB::Row>,
    for<'r> QuestionRow: FromRow<'r, DB::Row>,
    for<'r> VisitRow: FromRow<'r, DB::Row>,
    for<'r> ExpiringRow: FromRow<'r, DB::Row>,
    for<'r> ReportSqlRow: FromRow<'r, DB::Row>,
    for<'r> AnswerRow: FromRow<'r, DB::Row>,
    for<'r> (i64,): FromRow<'r, DB::Row>,
    for<'r> (i32,): FromRow<'r, DB::Row>,
    for<'r> (i64, i64): FromRow<'r, DB::Row>,
    for<'r> (i64, i64, i64, i64): FromRow<'r, DB::Row>,
    for<'r> (String,): FromRow<'r, DB::Row>,
    for<'r> (i64, String): FromRow<'r, DB::Row>,
{
    async fn create_class(&self, teacher: UserId, class: &ClassFields) -> RepoResult<ClassId> {
        let (id,) = sqlx::query_as::<DB, (i64,)>(
            "insert into class (teacher_id, school, grade, name, students, created_at) \
             values ($1, $2, $3, $4, $5, $6) returning id",
        )
        .bind(teacher)
        .bind(class.school.clone())
        .bind(class.grade.clone())
        .bind(class.name.clone())
        .bind(class.students)
        .bind(Utc::now())
        .fetch_one(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(id)
    }

    async fn classes_of(&self, teacher: UserId) -> RepoResult<Vec<Class>> {
        let rows = sqlx::query_as::<DB, ClassRow>(
            "select id, teacher_id, school, grade, name, students, created_at from class \
             where teacher_id = $1 order by id desc",
        )
        .bind(teacher)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(rows.into_iter().map(Class::from).collect())
    }

    async fn class(&self, id: ClassId) -> RepoResult<Option<Class>> {
        let row = sqlx::query_as::<DB, ClassRow>(
            "select id, teacher_id, school, grade, name, students, created_at from class \
             where id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(row.map(Class::from))
    }

    async fn update_class(&self, id: ClassId, class: &ClassFields) -> RepoResult<bool> {
        let changed = sqlx::query_as::<DB, (i64,)>(
            "update class set school = $1, grade = $2, name = $3, students = $4 \
             where id = $5 returning id",
        )
        .bind(class.school.clone())
        .bind(class.grade.clone())
        .bind(class.name.clone())
        .bind(class.students)
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(changed.is_some())
    }

    async fn delete_class(&self, id: ClassId) -> RepoResult<bool> {
        let gone = sqlx::query_as::<DB, (i64,)>("delete from class where id = $1 returning id")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(gone.is_some())
    }

    async fn create_assignment(
        &self,
        class: ClassId,
        code: &JoinCode,
        f: &AssignmentFields,
        questions: &[NewQuestion],
    ) -> RepoResult<AssignmentId> {
        let (exhibition, title, items): (Option<&Slug>, Option<&String>, &[Slug]) = match &f.tour {
            Tour::Exhibition(slug) => (Some(slug), None, &[]),
            Tour::Items { title, items } => (None, Some(title), items),
        };
        let mut tx = self.begin_write().await?;
        // An exhibition is named by its slug; no exhibition id (a list of items) stays null.
        let row = sqlx::query_as::<DB, (i64,)>(
            "insert into assignment (class_id, code, exhibition_id, title, instructions, \
               essay_prompt, essay_min_chars, opens_at, closes_at, school_year, created_at) \
             select $1, $2, e.id, $3, $4, $5, $6, $7, $8, $9, $10 \
             from (select 1) one left join exhibition e on e.slug = $11 \
             where ($11 is null) = (e.id is null) \
             returning id",
        )
        .bind(class)
        .bind(code.as_str().to_owned())
        .bind(title.cloned())
        .bind(f.instructions.clone())
        .bind(f.essay_prompt.clone())
        .bind(f.essay_min_chars)
        .bind(f.opens_at)
        .bind(f.closes_at)
        .bind(f.school_year)
        .bind(Utc::now())
        .bind(exhibition.map(|s| s.as_str().to_owned()))
        .fetch_optional(&mut *tx)
        .await
        .map_err(map_err)?;
        let Some((id,)) = row else {
            return Err(RepoError::Invalid(format!("no exhibition {exhibition:?}")));
        };
        for (position, slug) in items.iter().enumerate() {
            let added = sqlx::query_as::<DB, (i64,)>(
                "insert into assignment_item (assignment_id, position, item_id) \
                 select $1, $2, i.id from item i where i.slug = $3 returning assignment_id",
            )
            .bind(id)
            .bind(position as i64 + 1)
            .bind(slug.as_str().to_owned())
            .fetch_optional(&mut *tx)
            .await
            .map_err(map_err)?;
            if added.is_none() {
                return Err(RepoError::Invalid(format!("no item {slug}")));
            }
        }
        for q in questions {
            sqlx::query::<DB>(INSERT_QUESTION)
                .bind(id)
                .bind(q.stop)
                .bind(q.kind.code().to_owned())
                .bind(q.prompt.clone())
                .bind(choices_json(q)?)
                .bind(q.answer)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
        }
        tx.commit().await.map_err(map_err)?;
        Ok(id)
    }

    async fn assignments_of(&self, class: ClassId) -> RepoResult<Vec<Assignment>> {
        let sql = format!("{ASSIGNMENT_SELECT} where a.class_id = $1 order by a.id desc");
        let rows = sqlx::query_as::<DB, AssignmentRow>(sqlx::AssertSqlSafe(sql))
            .bind(class)
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let questions = self.questions(row.id).await?;
            let items = self.tour_items(row.id).await?;
            out.push(row.into_assignment(questions, items)?);
        }
        Ok(out)
    }

    async fn assignment(&self, id: AssignmentId) -> RepoResult<Option<Assignment>> {
        let sql = format!("{ASSIGNMENT_SELECT} where a.id = $1");
        let row = sqlx::query_as::<DB, AssignmentRow>(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        self.complete_assignment(row).await
    }

    async fn assignment_by_code(&self, code: &JoinCode) -> RepoResult<Option<Assignment>> {
        let sql = format!("{ASSIGNMENT_SELECT} where a.code = $1");
        let row = sqlx::query_as::<DB, AssignmentRow>(sqlx::AssertSqlSafe(sql))
            .bind(code.as_str().to_owned())
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        self.complete_assignment(row).await
    }

    async fn update_assignment(&self, id: AssignmentId, f: &AssignmentFields) -> RepoResult<()> {
        sqlx::query::<DB>(
            "update assignment set instructions = $1, essay_prompt = $2, essay_min_chars = $3, \
               opens_at = $4, closes_at = $5, school_year = $6 where id = $7",
        )
        .bind(f.instructions.clone())
        .bind(f.essay_prompt.clone())
        .bind(f.essay_min_chars)
        .bind(f.opens_at)
        .bind(f.closes_at)
        .bind(f.school_year)
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn close_assignment(&self, id: AssignmentId, at: DateTime<Utc>) -> RepoResult<()> {
        sqlx::query::<DB>(
            "update assignment set closed_at = $1 where id = $2 and closed_at is null",
        )
        .bind(at)
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn reopen_assignment(&self, id: AssignmentId) -> RepoResult<()> {
        sqlx::query::<DB>("update assignment set closed_at = null where id = $1")
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn add_question(
        &self,
        assignment: AssignmentId,
        q: &NewQuestion,
    ) -> RepoResult<QuestionId> {
        let (id,) = sqlx::query_as::<DB, (i64,)>(INSERT_QUESTION)
            .bind(assignment)
            .bind(q.stop)
            .bind(q.kind.code().to_owned())
            .bind(q.prompt.clone())
            .bind(choices_json(q)?)
            .bind(q.answer)
            .fetch_one(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(id)
    }

    async fn delete_question(
        &self,
        assignment: AssignmentId,
        question: QuestionId,
    ) -> RepoResult<bool> {
        let gone = sqlx::query_as::<DB, (i64,)>(
            "delete from question where id = $1 and assignment_id = $2 returning id",
        )
        .bind(question)
        .bind(assignment)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(gone.is_some())
    }

    async fn assignments_with_visits(&self) -> RepoResult<Vec<Expiring>> {
        let rows = sqlx::query_as::<DB, ExpiringRow>(
            "select a.id, a.closes_at, a.closed_at from assignment a \
             where exists (select 1 from visit v where v.assignment_id = a.id) order by a.id",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(rows.into_iter().map(Expiring::from).collect())
    }

    async fn assignments_walking(&self, what: Walked<'_>) -> RepoResult<Vec<Expiring>> {
        let (sql, slug) = match what {
            Walked::Exhibition(slug) => (
                "select a.id, a.closes_at, a.closed_at from assignment a \
                 join exhibition e on e.id = a.exhibition_id where e.slug = $1 order by a.id",
                slug,
            ),
            Walked::Item(slug) => (
                "select a.id, a.closes_at, a.closed_at from assignment a where exists \
                 (select 1 from assignment_item ai join item i on i.id = ai.item_id \
                 where ai.assignment_id = a.id and i.slug = $1) order by a.id",
                slug,
            ),
        };
        let rows = sqlx::query_as::<DB, ExpiringRow>(sql)
            .bind(slug.as_str().to_owned())
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(rows.into_iter().map(Expiring::from).collect())
    }

    async fn purge_visits(&self, assignment: AssignmentId) -> RepoResult<u64> {
        let mut tx = self.begin_write().await?;
        // Lock the assignment before counting: a second node purging it at the same time
        // waits here, then counts the visits this one left (none) instead of adding the
        // same ones to the report again.
        sqlx::query::<DB>("update assignment set purged_visits = purged_visits where id = $1")
            .bind(assignment)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        let sql = format!(
            "select \
               (select count(*) from visit v where v.assignment_id = $1 and {VISITED}), \
               (select count(*) from visit v where v.assignment_id = $1 and v.submitted_at is not null)"
        );
        let (visited, essays) = sqlx::query_as::<DB, (i64, i64)>(sqlx::AssertSqlSafe(sql))
            .bind(assignment)
            .fetch_one(&mut *tx)
            .await
            .map_err(map_err)?;
        sqlx::query::<DB>(
            "update assignment set purged_visits = purged_visits + $1, \
               purged_essays = purged_essays + $2 where id = $3",
        )
        .bind(visited)
        .bind(essays)
        .bind(assignment)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        let deleted =
            sqlx::query_as::<DB, (i64,)>("delete from visit where assignment_id = $1 returning id")
                .bind(assignment)
                .fetch_all(&mut *tx)
                .await
                .map_err(map_err)?;
        tx.commit().await.map_err(map_err)?;
        Ok(deleted.len() as u64)
    }

    async fn school_years(&self) -> RepoResult<Vec<i32>> {
        let rows = sqlx::query_as::<DB, (i32,)>(
            "select distinct school_year from assignment order by school_year desc",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(rows.into_iter().map(|(y,)| y).collect())
    }

    async fn progress_of(&self, teacher: UserId, school_year: i32) -> RepoResult<Vec<Progress>> {
        let rows = sqlx::query_as::<DB, (i64, i64, i64, i64)>(
            "select a.id, count(v.id), \
               coalesce(sum(case when v.submitted_at is not null then 1 else 0 end), 0), \
               coalesce(sum(case when v.submitted_at is not null and v.feedback = '' \
                 and v.grade is null then 1 else 0 end), 0) \
             from assignment a join class c on c.id = a.class_id \
             left join visit v on v.assignment_id = a.id \
             where c.teacher_id = $1 and a.school_year = $2 group by a.id",
        )
        .bind(teacher)
        .bind(school_year)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(rows
            .into_iter()
            .map(|(assignment, joined, submitted, waiting)| Progress {
                assignment,
                joined,
                submitted,
                waiting,
            })
            .collect())
    }

    async fn report(&self, school_year: i32) -> RepoResult<Vec<ReportRow>> {
        let sql = report_sql();
        let rows = sqlx::query_as::<DB, ReportSqlRow>(sqlx::AssertSqlSafe(sql))
            .bind(school_year)
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(rows.into_iter().map(ReportRow::from).collect())
    }
}

impl<DB> SqlStore<DB>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> i64: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> String: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'r> AssignmentRow: FromRow<'r, DB::Row>,
    for<'r> QuestionRow: FromRow<'r, DB::Row>,
    for<'r> VisitRow: FromRow<'r, DB::Row>,
    for<'r> (i64,): FromRow<'r, DB::Row>,
    for<'r> (String,): FromRow<'r, DB::Row>,
    for<'r> (i64, String): FromRow<'r, DB::Row>,
{
    async fn questions(&self, assignment: AssignmentId) -> RepoResult<Vec<Question>> {
        sqlx::query_as::<DB, QuestionRow>(
            "select id, stop, kind, prompt, choices, answer from question \
             where assignment_id = $1 order by stop, position, id",
        )
        .bind(assignment)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?
        .into_iter()
        .map(Question::try_from)
        .collect()
    }

    /// The items of a teacher's list, in order (none for an exhibition).
    async fn tour_items(&self, assignment: AssignmentId) -> RepoResult<Vec<Slug>> {
        sqlx::query_as::<DB, (String,)>(
            "select i.slug from assignment_item ai join item i on i.id = ai.item_id \
             where ai.assignment_id = $1 order by ai.position",
        )
        .bind(assignment)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?
        .into_iter()
        .map(|(slug,)| Slug::parse(&slug).map_err(|_| corrupt("slug")))
        .collect()
    }

    async fn complete_assignment(
        &self,
        row: Option<AssignmentRow>,
    ) -> RepoResult<Option<Assignment>> {
        match row {
            Some(row) => {
                let questions = self.questions(row.id).await?;
                let items = self.tour_items(row.id).await?;
                row.into_assignment(questions, items).map(Some)
            }
            None => Ok(None),
        }
    }
}

/// Adds a question after the others of its stop.
const INSERT_QUESTION: &str = "insert into question \
    (assignment_id, stop, position, kind, prompt, choices, answer) \
    values ($1, $2, (select coalesce(max(position), 0) + 1 from question \
                     where assignment_id = $1 and stop = $2), $3, $4, $5, $6) returning id";

/// A question's choices as stored: a JSON array.
fn choices_json(q: &NewQuestion) -> RepoResult<String> {
    serde_json::to_string(&q.choices).map_err(|e| RepoError::Backend(anyhow::Error::new(e)))
}
