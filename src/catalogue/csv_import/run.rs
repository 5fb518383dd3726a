//! Writing a checked import: each row with its media in one transaction, through the
//! editor (so every item has its first revision and an audit row), and the progress of
//! runs, kept in memory.
//!
//! Progress lives in the memory of the process that runs the import (see [`Runs`]): the
//! page that shows it must be served by the same process. In the scaled-out shape that
//! means sticky sessions for `/admin/import`, or running imports on one node.

use super::{ImportRow, MediaZip, Problem};
use crate::catalogue::editor::CatalogueEditor;
use crate::catalogue::model::{MediaFields, NewMedia};
use crate::catalogue::types::MediaKind;
use crate::i18n::LocalizedText;
use crate::media::ingest::anywhere;
use crate::media::ingest::{Ingest, clean_file_name};
use crate::repo::{Actor, RepoError};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

/// What became of one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowOutcome {
    /// The row as Excel numbers it.
    pub row: usize,
    /// Its accession number.
    pub accession: String,
    /// Its slug.
    pub slug: String,
    /// True when the item was created; false when nothing of the row was written.
    pub created: bool,
    /// Why it was not (empty when created).
    pub problems: Vec<Problem>,
}

/// One run's progress.
#[derive(Debug, Clone)]
pub struct RunState {
    /// The user who started it (only they see it).
    pub owner: i64,
    /// Rows to write.
    pub total: usize,
    /// Rows done so far, in order.
    pub outcomes: Vec<RowOutcome>,
    /// True when every row is done, or the run stopped.
    pub finished: bool,
    /// True when the run stopped before its last row (the task failed): rows listed are
    /// complete, the others were not written.
    pub interrupted: bool,
    /// When it started.
    pub started: DateTime<Utc>,
}

impl RunState {
    /// Rows created so far.
    pub fn created(&self) -> usize {
        self.outcomes.iter().filter(|o| o.created).count()
    }

    /// Rows failed so far.
    pub fn failed(&self) -> usize {
        self.outcomes.len() - self.created()
    }
}

/// The import runs of this process, by id.
#[derive(Debug, Default)]
pub struct Runs {
    runs: Mutex<HashMap<String, RunState>>,
}

impl Runs {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, RunState>> {
        // A panic while holding the lock leaves plain data behind; keep using it.
        self.runs.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Registers a run; false when `id` has already run or is running.
    pub fn start(&self, id: &str, owner: i64, total: usize) -> bool {
        let mut runs = self.lock();
        if runs.contains_key(id) {
            return false;
        }
        runs.insert(
            id.to_owned(),
            RunState {
                owner,
                total,
                outcomes: Vec::new(),
                finished: false,
                interrupted: false,
                started: Utc::now(),
            },
        );
        true
    }

    /// Records a finished row.
    pub fn record(&self, id: &str, outcome: RowOutcome) {
        if let Some(run) = self.lock().get_mut(id) {
            run.outcomes.push(outcome);
        }
    }

    /// Marks a run finished.
    pub fn finish(&self, id: &str) {
        if let Some(run) = self.lock().get_mut(id) {
            run.finished = true;
        }
    }

    /// Marks a run stopped before its last row.
    pub fn interrupt(&self, id: &str) {
        if let Some(run) = self.lock().get_mut(id) {
            run.finished = true;
            run.interrupted = true;
        }
    }

    /// A run's progress.
    pub fn get(&self, id: &str) -> Option<RunState> {
        self.lock().get(id).cloned()
    }

    /// Forgets finished runs started before `before`.
    pub fn sweep(&self, before: DateTime<Utc>) {
        self.lock()
            .retain(|_, r| !r.finished || r.started >= before);
    }
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
    /// Writes one row: its media files into the store first (identical bytes are stored
    /// once; files of a row that then fails stay unreferenced until the fixity sweep), then
    /// the item with its media in one transaction. Returns the outcome and the content
    /// hashes of the images written.
    pub async fn write(
        &self,
        row: &ImportRow,
        zip: Option<&MediaZip>,
    ) -> (RowOutcome, Vec<String>) {
        let mut outcome = RowOutcome {
            row: row.row,
            accession: row.fields.accession.to_string(),
            slug: row.fields.slug.to_string(),
            created: false,
            problems: Vec::new(),
        };
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
                outcome.created = true;
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
