//! Writing a checked import: each row with its media in one transaction, through the
//! editor (so every item has its first revision and an audit row), and the record of runs.
//!
//! A run lives in the database ([`ImportRunsRepo`]): the checked CSV, its stage, and the
//! outcome of every row as it is written, so any server shows its progress and a run cut
//! off by a restart goes on where it stopped. The media zip waits in the media store
//! (`BlobKey::Staged`), where every server finds it.

use super::update::Target;
use super::{ImportRow, MediaZip, Problem};
use crate::catalogue::editor::CatalogueEditor;
use crate::catalogue::model::{MediaFields, NewMedia};
use crate::catalogue::types::MediaKind;
use crate::i18n::LocalizedText;
use crate::media::ingest::anywhere;
use crate::media::ingest::{Ingest, clean_file_name};
use crate::repo::{Actor, RepoError, RepoResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use std::path::Path;

/// What became of one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowOutcome {
    /// The row as Excel numbers it.
    pub row: usize,
    /// Its accession number.
    pub accession: String,
    /// Its slug.
    pub slug: String,
    /// What it did.
    pub result: RowResult,
    /// Why it failed (empty otherwise).
    pub problems: Vec<Problem>,
}

impl RowOutcome {
    /// The outcome of a row that failed with `problems`.
    pub fn failed(row: &ImportRow, problems: Vec<Problem>) -> RowOutcome {
        RowOutcome {
            row: row.row,
            accession: row.fields.accession.to_string(),
            slug: row.fields.slug.to_string(),
            result: RowResult::Failed,
            problems,
        }
    }
}

/// What a row did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowResult {
    /// It made a new item.
    Created,
    /// It changed an existing item.
    Updated,
    /// It asked for what its item was already: nothing was written.
    Unchanged,
    /// Nothing of it was written.
    Failed,
}

impl RowResult {
    /// Every result, in the order reports count them.
    pub const ALL: [RowResult; 4] = [
        RowResult::Created,
        RowResult::Updated,
        RowResult::Unchanged,
        RowResult::Failed,
    ];

    /// The name kept in the database and written in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            RowResult::Created => "created",
            RowResult::Updated => "updated",
            RowResult::Unchanged => "unchanged",
            RowResult::Failed => "failed",
        }
    }

    /// The result of a name kept in the database.
    pub fn parse(s: &str) -> Option<RowResult> {
        RowResult::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// How many rows had each result.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// New items.
    pub created: usize,
    /// Items changed.
    pub updated: usize,
    /// Rows that changed nothing.
    pub unchanged: usize,
    /// Rows not written.
    pub failed: usize,
}

impl Tally {
    /// The tally of `outcomes`.
    pub fn of(outcomes: &[RowOutcome]) -> Tally {
        let mut tally = Tally::default();
        for o in outcomes {
            *tally.slot(o.result) += 1;
        }
        tally
    }

    /// The count of one result.
    pub fn slot(&mut self, result: RowResult) -> &mut usize {
        match result {
            RowResult::Created => &mut self.created,
            RowResult::Updated => &mut self.updated,
            RowResult::Unchanged => &mut self.unchanged,
            RowResult::Failed => &mut self.failed,
        }
    }

    /// Rows done.
    pub fn done(&self) -> usize {
        self.created + self.updated + self.unchanged + self.failed
    }

    /// The message that tells these counts: a run that updated nothing tells only what it
    /// created and what failed.
    pub fn message_key(&self) -> &'static str {
        if self.updated + self.unchanged > 0 {
            "import-done-updates"
        } else {
            "import-done"
        }
    }

    /// The counts as message arguments: `created`, `updated`, `unchanged`, `failed`.
    pub fn args(&self) -> [(&'static str, String); 4] {
        [
            ("created", self.created.to_string()),
            ("updated", self.updated.to_string()),
            ("unchanged", self.unchanged.to_string()),
            ("failed", self.failed.to_string()),
        ]
    }
}

/// Where a run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Checked and kept, waiting for its owner to run it.
    Staged,
    /// Its owner ran it; waiting for a worker.
    Queued,
    /// Rows are being written.
    Running,
    /// Every row is done.
    Finished,
    /// It stopped before its last row and will not go on: rows listed are complete, the
    /// others were not written.
    Stopped,
}

impl Stage {
    /// The name kept in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Staged => "staged",
            Stage::Queued => "queued",
            Stage::Running => "running",
            Stage::Finished => "finished",
            Stage::Stopped => "stopped",
        }
    }

    /// The stage of a name kept in the database.
    pub fn parse(s: &str) -> Option<Stage> {
        [
            Stage::Staged,
            Stage::Queued,
            Stage::Running,
            Stage::Finished,
            Stage::Stopped,
        ]
        .into_iter()
        .find(|stage| stage.as_str() == s)
    }

    /// True when nothing more will happen to the run.
    pub fn is_over(self) -> bool {
        matches!(self, Stage::Finished | Stage::Stopped)
    }
}

/// One run, without its rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRun {
    /// Its id (a random token).
    pub id: String,
    /// The user who staged it (only they see it).
    pub owner: i64,
    /// Where it is.
    pub stage: Stage,
    /// Data rows in its file.
    pub total: usize,
    /// True when a media zip came with it.
    pub has_zip: bool,
    /// When it was checked and staged.
    pub created_at: DateTime<Utc>,
    /// When its first row was written.
    pub started_at: Option<DateTime<Utc>>,
}

/// The import runs.
#[async_trait]
pub trait ImportRunsRepo: Send + Sync {
    /// Keeps a checked import, ready to run.
    async fn stage_run(&self, run: &ImportRun, csv: &[u8]) -> RepoResult<()>;
    /// A run, if it exists.
    async fn import_run(&self, id: &str) -> RepoResult<Option<ImportRun>>;
    /// The CSV file a run imports (empty once it is over).
    async fn import_csv(&self, id: &str) -> RepoResult<Vec<u8>>;
    /// Moves a run from one of `from` to `to`; false when it was in none of them. Entering
    /// `Running` sets the start time once; an end stage drops the kept CSV.
    async fn move_run(
        &self,
        id: &str,
        from: &[Stage],
        to: Stage,
        at: DateTime<Utc>,
    ) -> RepoResult<bool>;
    /// Records a row's outcome; a row recorded already keeps its first outcome.
    async fn record_outcome(&self, id: &str, outcome: &RowOutcome) -> RepoResult<()>;
    /// The rows done so far, in row order.
    async fn outcomes(&self, id: &str) -> RepoResult<Vec<RowOutcome>>;
    /// Runs staged but never run since `staged_before`, and runs over since `over_before`.
    async fn old_runs(
        &self,
        staged_before: DateTime<Utc>,
        over_before: DateTime<Utc>,
    ) -> RepoResult<Vec<ImportRun>>;
    /// The ids of runs queued or running.
    async fn unfinished_runs(&self) -> RepoResult<Vec<String>>;
    /// Deletes a run and its outcomes.
    async fn delete_run(&self, id: &str) -> RepoResult<()>;
    /// The runs `owner` staged, newest first, with how many rows each has done and created.
    async fn runs_of(&self, owner: i64, limit: u32) -> RepoResult<Vec<RunSummary>>;
}

/// A run in a list of runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunSummary {
    /// The run.
    pub run: ImportRun,
    /// Its rows done so far, by result.
    pub tally: Tally,
}

/// Everything a run writes with.
pub struct Writer<'a> {
    /// The curator's writes.
    pub editor: &'a dyn CatalogueEditor,
    /// How media files enter the collection.
    pub ingest: &'a Ingest,
    /// Who imports.
    pub actor: Actor,
    /// A folder for files taken out of the zip on their way to the store.
    pub scratch: &'a Path,
}

impl Writer<'_> {
    /// Writes one row. A new item: its media files into the store first (identical bytes
    /// are stored once; files of a row that then fails stay unreferenced until the fixity
    /// sweep), then the item with its media in one transaction. An update: the item's
    /// fields, if it is still at the revision the row was made from. Returns the outcome and
    /// the content hashes of the images written.
    pub async fn write(
        &self,
        row: &ImportRow,
        zip: Option<&MediaZip>,
    ) -> (RowOutcome, Vec<String>) {
        if let Some(target) = &row.update {
            return (self.update(row, target).await, Vec::new());
        }
        let mut outcome = RowOutcome::failed(row, Vec::new());
        let at = |key: &str, column: &str, args: &[(&str, &str)]| {
            Problem::new(Some(row.row), Some(column), key, args)
        };
        let mut media = Vec::with_capacity(row.media.len());
        for m in &row.media {
            match self.store(m.name.as_str(), zip).await {
                Ok(file) => {
                    let name = m.name.rsplit('/').next().unwrap_or(&m.name);
                    media.push(NewMedia {
                        file,
                        fields: MediaFields {
                            original_name: clean_file_name(name)
                                .unwrap_or_else(|_| "upload".into()),
                            alt: m.alt.clone(),
                            caption: LocalizedText::default(),
                            credit: String::new(),
                            rights: row.fields.rights.clone(),
                            source: None,
                        },
                    });
                }
                Err((key, reason)) => {
                    outcome.problems.push(at(
                        &key,
                        "media",
                        &[
                            ("name", &m.name),
                            ("reason", &reason),
                            ("max", &(self.ingest.limits.largest() >> 20).to_string()),
                        ],
                    ));
                    return (outcome, Vec::new());
                }
            }
        }
        let written = self
            .editor
            .create_item_with_media(&row.fields, &row.base, &media, "item.import", &self.actor)
            .await;
        match written {
            Ok(_) => {
                outcome.result = RowResult::Created;
                let images = media
                    .iter()
                    .filter(|m| m.file.kind == MediaKind::Image)
                    .map(|m| m.file.sha256.clone())
                    .collect();
                (outcome, images)
            }
            Err(e) => {
                outcome.problems.push(match e {
                    RepoError::Conflict(what) if what.contains("slug") => {
                        at("csv-slug-exists", "slug", &[])
                    }
                    RepoError::Conflict(_) => at(
                        "csv-accession-exists",
                        "accession",
                        &[("slug", row.fields.slug.as_str())],
                    ),
                    RepoError::Invalid(m) => at("csv-row-failed", "", &[("reason", &m)]),
                    RepoError::Backend(e) => {
                        tracing::error!(row = row.row, error = %format!("{e:#}"), "import row failed");
                        at("csv-row-failed", "", &[("reason", "database error")])
                    }
                });
                (outcome, Vec::new())
            }
        }
    }

    /// Writes an update row through the editor (a new revision, a history entry and an
    /// audit row), unless it changes nothing.
    async fn update(&self, row: &ImportRow, target: &Target) -> RowOutcome {
        let at = |key: &str, column: &str, args: &[(&str, &str)]| {
            vec![Problem::new(Some(row.row), Some(column), key, args)]
        };
        let mut outcome = RowOutcome::failed(row, Vec::new());
        if target.unchanged {
            outcome.result = RowResult::Unchanged;
            return outcome;
        }
        let written = self
            .editor
            .update_item(
                target.id,
                target.revision,
                &row.fields,
                &row.base,
                &self.actor,
            )
            .await;
        match written {
            Ok(Ok(_)) => outcome.result = RowResult::Updated,
            Ok(Err(stale)) => {
                outcome.problems = at(
                    "csv-stale-revision",
                    "revision",
                    &[
                        ("revision", &target.revision.to_string()),
                        ("current", &stale.current.to_string()),
                    ],
                )
            }
            Err(RepoError::Backend(e)) => {
                tracing::error!(row = row.row, error = %format!("{e:#}"), "import row failed");
                outcome.problems = at("csv-row-failed", "", &[("reason", "database error")]);
            }
            Err(e) => outcome.problems = at("csv-row-failed", "", &[("reason", &e.to_string())]),
        }
        outcome
    }

    /// Takes a named file out of the zip and through the ingest checks into the store.
    /// `Err` is a message key and the reason.
    async fn store(
        &self,
        name: &str,
        zip: Option<&MediaZip>,
    ) -> Result<crate::catalogue::model::MediaFile, (String, String)> {
        let Some(zip) = zip else {
            return Err(("csv-media-no-zip".into(), String::new()));
        };
        let index = zip
            .find(name)
            .map_err(|key| (key.to_owned(), String::new()))?;
        let tmp = self.scratch.join(crate::accounts::secret::random_token());
        let (zip2, tmp2, limit) = (zip.clone(), tmp.clone(), self.ingest.limits.largest());
        let extracted = tokio::task::spawn_blocking(move || zip2.extract(index, &tmp2, limit))
            .await
            .map_err(|e| ("csv-media-refused".to_owned(), e.to_string()))
            .and_then(|r| {
                r.map_err(|e| match e.strip_prefix("csv-") {
                    Some(_) => (e, String::new()),
                    None => ("csv-media-refused".to_owned(), e),
                })
            });
        let accepted = match extracted {
            Ok(_) => self
                .ingest
                .accept_path(&tmp, &anywhere)
                .await
                .map_err(|e| ("csv-media-refused".to_owned(), e.to_string())),
            Err(e) => Err(e),
        };
        let _ = tokio::fs::remove_file(&tmp).await;
        accepted.map(|a| a.file)
    }
}
