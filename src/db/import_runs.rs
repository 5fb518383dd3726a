//! Bulk import runs and the outcome of each row, for both databases.

use super::{SqlStore, map_err};
use crate::catalogue::csv_import::Problem;
use crate::catalogue::csv_import::run::{
    ImportRun, ImportRunsRepo, RowOutcome, RowResult, RunSummary, Stage, Tally,
};
use crate::repo::{RepoError, RepoResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::{Database, Decode, Encode, Executor, FromRow, IntoArguments, Type};

#[derive(sqlx::FromRow)]
pub struct RunRow {
    id: String,
    owner: i64,
    stage: String,
    total: i64,
    has_zip: bool,
    created_at: DateTime<Utc>,
    started_at: Option<DateTime<Utc>>,
}

impl RunRow {
    fn into_run(self) -> RepoResult<ImportRun> {
        Ok(ImportRun {
            stage: Stage::parse(&self.stage)
                .ok_or_else(|| RepoError::Invalid(format!("unknown stage {:?}", self.stage)))?,
            id: self.id,
            owner: self.owner,
            total: usize::try_from(self.total).unwrap_or(0),
            has_zip: self.has_zip,
            created_at: self.created_at,
            started_at: self.started_at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct SummaryRow {
    #[sqlx(flatten)]
    run: RunRow,
    created_rows: i64,
    updated_rows: i64,
    unchanged_rows: i64,
    failed_rows: i64,
}

#[derive(sqlx::FromRow)]
pub struct OutcomeRow {
    row_number: i64,
    accession: String,
    slug: String,
    result: String,
    problems: String,
}

const RUN_COLUMNS: &str = "id, owner, stage, total, has_zip, created_at, started_at";

#[async_trait]
impl<DB> ImportRunsRepo for SqlStore<DB>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> i64: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> bool: Encode<'q, DB> + Type<DB>,
    for<'q> String: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> Vec<u8>: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> DateTime<Utc>: Encode<'q, DB> + Type<DB>,
    for<'r> RunRow: FromRow<'r, DB::Row>,
    for<'r> OutcomeRow: FromRow<'r, DB::Row>,
    for<'r> SummaryRow: FromRow<'r, DB::Row>,
    for<'r> (Vec<u8>,): FromRow<'r, DB::Row>,
    for<'r> (String,): FromRow<'r, DB::Row>,
{
    async fn stage_run(&self, run: &ImportRun, csv: &[u8]) -> RepoResult<()> {
        sqlx::query::<DB>(
            "insert into import_run (id, owner, stage, total, has_zip, csv, created_at) \
             values ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(run.id.clone())
        .bind(run.owner)
        .bind(run.stage.as_str().to_owned())
        .bind(i64::try_from(run.total).unwrap_or(i64::MAX))
        .bind(run.has_zip)
        .bind(csv.to_vec())
        .bind(run.created_at)
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn import_run(&self, id: &str) -> RepoResult<Option<ImportRun>> {
        sqlx::query_as::<DB, RunRow>(sqlx::AssertSqlSafe(format!(
            "select {RUN_COLUMNS} from import_run where id = $1"
        )))
        .bind(id.to_owned())
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?
        .map(RunRow::into_run)
        .transpose()
    }

    async fn import_csv(&self, id: &str) -> RepoResult<Vec<u8>> {
        let row = sqlx::query_as::<DB, (Vec<u8>,)>("select csv from import_run where id = $1")
            .bind(id.to_owned())
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(row.map(|(csv,)| csv).unwrap_or_default())
    }

    async fn move_run(
        &self,
        id: &str,
        from: &[Stage],
        to: Stage,
        at: DateTime<Utc>,
    ) -> RepoResult<bool> {
        if from.is_empty() {
            return Ok(false);
        }
        // $1 the new stage, $2 the time, $3 the id, $4 an empty CSV, $5… the stages from.
        let stages: Vec<String> = (0..from.len()).map(|i| format!("${}", i + 5)).collect();
        let (started, ended, csv) = match to {
            Stage::Running => ("coalesce(started_at, $2)", "ended_at", "csv"),
            Stage::Finished | Stage::Stopped => ("started_at", "$2", "$4"),
            Stage::Staged | Stage::Queued => ("started_at", "ended_at", "csv"),
        };
        let sql = format!(
            "update import_run set stage = $1, started_at = {started}, ended_at = {ended}, \
             csv = {csv} where id = $3 and stage in ({}) returning id",
            stages.join(", ")
        );
        let mut query = sqlx::query_as::<DB, (String,)>(sqlx::AssertSqlSafe(sql))
            .bind(to.as_str().to_owned())
            .bind(at)
            .bind(id.to_owned())
            .bind(Vec::<u8>::new());
        for stage in from {
            query = query.bind(stage.as_str().to_owned());
        }
        let moved = query.fetch_optional(&self.pool).await.map_err(map_err)?;
        Ok(moved.is_some())
    }

    async fn record_outcome(&self, id: &str, outcome: &RowOutcome) -> RepoResult<()> {
        let problems = serde_json::to_string(&outcome.problems)
            .map_err(|e| RepoError::Invalid(e.to_string()))?;
        sqlx::query::<DB>(
            "insert into import_outcome \
               (run_id, row_number, accession, slug, created, result, problems) \
             values ($1, $2, $3, $4, $5, $6, $7) on conflict (run_id, row_number) do nothing",
        )
        .bind(id.to_owned())
        .bind(i64::try_from(outcome.row).unwrap_or(i64::MAX))
        .bind(outcome.accession.clone())
        .bind(outcome.slug.clone())
        .bind(outcome.result == RowResult::Created)
        .bind(outcome.result.as_str().to_owned())
        .bind(problems)
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn outcomes(&self, id: &str) -> RepoResult<Vec<RowOutcome>> {
        let rows = sqlx::query_as::<DB, OutcomeRow>(
            "select row_number, accession, slug, result, problems from import_outcome \
             where run_id = $1 order by row_number",
        )
        .bind(id.to_owned())
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.into_iter()
            .map(|r| {
                let problems: Vec<Problem> = serde_json::from_str(&r.problems)
                    .map_err(|e| RepoError::Invalid(format!("row {}: {e}", r.row_number)))?;
                let result = RowResult::parse(&r.result).ok_or_else(|| {
                    RepoError::Invalid(format!("row {}: result {}", r.row_number, r.result))
                })?;
                Ok(RowOutcome {
                    row: usize::try_from(r.row_number).unwrap_or(0),
                    accession: r.accession,
                    slug: r.slug,
                    result,
                    problems,
                })
            })
            .collect()
    }

    async fn old_runs(
        &self,
        staged_before: DateTime<Utc>,
        over_before: DateTime<Utc>,
    ) -> RepoResult<Vec<ImportRun>> {
        let rows = sqlx::query_as::<DB, RunRow>(sqlx::AssertSqlSafe(format!(
            "select {RUN_COLUMNS} from import_run \
             where (stage = 'staged' and created_at < $1) \
                or (stage in ('finished', 'stopped') and ended_at < $2)"
        )))
        .bind(staged_before)
        .bind(over_before)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.into_iter().map(RunRow::into_run).collect()
    }

    async fn unfinished_runs(&self) -> RepoResult<Vec<String>> {
        let rows = sqlx::query_as::<DB, (String,)>(
            "select id from import_run where stage in ('queued', 'running') order by created_at",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    async fn delete_run(&self, id: &str) -> RepoResult<()> {
        // Its outcomes go with it (`on delete cascade`).
        sqlx::query::<DB>("delete from import_run where id = $1")
            .bind(id.to_owned())
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn runs_of(&self, owner: i64, limit: u32) -> RepoResult<Vec<RunSummary>> {
        let rows = sqlx::query_as::<DB, SummaryRow>(sqlx::AssertSqlSafe(format!(
            "select {RUN_COLUMNS}, {} \
             from import_run r where r.owner = $1 order by r.created_at desc, r.id limit $2",
            RowResult::ALL
                .map(|result| {
                    let name = result.as_str();
                    format!(
                        "(select count(*) from import_outcome o \
                          where o.run_id = r.id and o.result = '{name}') as {name}_rows"
                    )
                })
                .join(", ")
        )))
        .bind(owner)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.into_iter()
            .map(|r| {
                let n = |v: i64| usize::try_from(v).unwrap_or(0);
                Ok(RunSummary {
                    run: r.run.into_run()?,
                    tally: Tally {
                        created: n(r.created_rows),
                        updated: n(r.updated_rows),
                        unchanged: n(r.unchanged_rows),
                        failed: n(r.failed_rows),
                    },
                })
            })
            .collect()
    }
}
