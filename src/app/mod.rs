//! The application: settings in, backends connected, sample catalogue imported, HTTP served.

pub mod import_job;
mod router;
mod serve;

pub use router::{App, router};
pub use serve::{Timeouts, serve, serve_with, shutdown_signal};

use crate::accounts::{Accounts, SessionPolicy};
use crate::catalogue::import::{Importer, Progress};
use crate::catalogue::repo::CatalogueRepo;
use crate::classroom::{Classroom, CodePolicy};
use crate::config::Config;
use crate::db;
use crate::jobs::{JobsRepo, Worker};
use crate::media::fixity::FixityRun;
use crate::media::hot::HotCache;
use crate::media::ingest::Ingest;
use crate::media::uploads::UploadsRepo;
use crate::media::{Derivatives, Staging, Variant};
use crate::repo::MetaRepo;
use crate::stats::{PageViews, StatsRepo};
use crate::store::{BlobStore, FsStore, S3Store, Sha256Hex};
use anyhow::Context;
use std::sync::Arc;

/// What every handler can reach: one shared [`Services`], cheap to clone (every request
/// clones it once). Fields are reached through `Deref`.
#[derive(Clone)]
pub struct AppState(Arc<Services>);

impl std::ops::Deref for AppState {
    type Target = Services;

    fn deref(&self) -> &Services {
        &self.0
    }
}

/// The services behind [`AppState`]. They are trait objects, so handlers never know which
/// database or blob store is behind them.
pub struct Services {
    /// Bases, items, media records and exhibitions.
    pub catalogue: Arc<dyn CatalogueRepo>,
    /// The curator's writes to items, with revisions and history.
    pub editor: Arc<dyn crate::catalogue::editor::CatalogueEditor>,
    /// The curator's writes to exhibitions and their stops, with revisions and audit.
    pub exhibitions: Arc<dyn crate::catalogue::exhibition_editor::ExhibitionEditor>,
    /// Users, sign-in and sessions.
    pub accounts: Accounts,
    /// Public items by the time they last changed (OAI-PMH, sitemaps, feeds).
    pub harvest: Arc<dyn crate::catalogue::harvest::HarvestRepo>,
    /// Panoramas of the bases' halls.
    pub panoramas: Arc<dyn crate::catalogue::panorama::PanoramaRepo>,
    /// Settings and database health.
    pub meta: Arc<dyn MetaRepo>,
    /// Resumable uploads in progress.
    pub uploads: Arc<dyn UploadsRepo>,
    /// The background job queue.
    pub jobs: Arc<dyn JobsRepo>,
    /// The dashboard's statistics.
    pub stats: Arc<dyn StatsRepo>,
    /// The search index.
    pub search: Arc<dyn crate::search::repo::SearchRepo>,
    /// Classes, assignments, students' visits, join codes and retention.
    pub classroom: Classroom,
    /// Public page views counted since the last flush.
    pub page_views: PageViews,
    /// Originals and derivative caches.
    pub blobs: Arc<dyn BlobStore>,
    /// How files enter the collection: staging, checks, the store.
    pub ingest: Arc<Ingest>,
    /// Resized images, made on demand with bounded parallelism.
    pub derivatives: Arc<Derivatives>,
    /// Hot media bytes and public-hash answers, in memory.
    pub hot: Arc<HotCache>,
    /// IIIF images: made from originals on request, cached by size.
    pub iiif: Arc<crate::iiif::image::Images>,
    /// Ready-made answers for the hottest media requests.
    pub served: Arc<crate::web::media::ServeCache>,
    /// Bulk import runs, from the dry run to the last row's outcome.
    pub imports: Arc<dyn crate::catalogue::csv_import::run::ImportRunsRepo>,
    /// Interface strings translated on the site.
    pub translations: Arc<dyn crate::i18n::translations::TranslationsRepo>,
    /// The settings the server runs with.
    pub config: Arc<Config>,
    /// "sqlite" or "postgres".
    pub backend: &'static str,
}

impl AppState {
    /// State over explicit backends (tests use an in-memory database and blob store).
    /// Uploads are staged in `<data>/uploads`.
    pub async fn new(
        config: Config,
        db: db::Db,
        blobs: Arc<dyn BlobStore>,
    ) -> anyhow::Result<AppState> {
        let staging = Staging::open(config.data_dir.join("uploads")).await?;
        let ingest = Arc::new(Ingest::new(staging, blobs.clone(), config.limits.clone()));
        let derivatives = Arc::new(Derivatives::new(blobs.clone(), config.limits.max_pixels));
        let iiif = Arc::new(crate::iiif::image::Images::new(
            blobs.clone(),
            config.limits.max_pixels,
            config.iiif.max_area,
            config.iiif.cache_bytes,
        ));
        let classroom = Classroom::new(
            db.classroom,
            db.accounts.clone(),
            CodePolicy::default(),
            config.retention,
        );
        Ok(AppState(Arc::new(Services {
            classroom,
            accounts: Accounts::new(db.accounts, db.meta.clone(), SessionPolicy::default()),
            meta: db.meta,
            catalogue: db.catalogue,
            harvest: db.harvest,
            panoramas: db.panoramas,
            editor: db.editor,
            exhibitions: db.exhibitions,
            uploads: db.uploads,
            jobs: db.jobs,
            stats: db.stats,
            search: db.search,
            page_views: PageViews::new(),
            blobs,
            ingest,
            derivatives,
            hot: Arc::new(HotCache::new(256 << 20)),
            iiif,
            served: Arc::new(crate::web::media::ServeCache::new()),
            imports: db.imports,
            translations: db.translations,
            config: Arc::new(config),
            backend: db.backend,
        })))
    }

    /// Creates the data folder, opens the database (migrating it) and the media store.
    pub async fn open(config: Config) -> anyhow::Result<AppState> {
        tokio::fs::create_dir_all(&config.data_dir)
            .await
            .with_context(|| {
                format!(
                    "Failed to create the data folder {}",
                    config.data_dir.display()
                )
            })?;
        install_search_dictionary(&config.data_dir).await?;
        let db = db::connect(&config.database).await?;
        let blobs = open_media(&config).await?;
        AppState::new(config, db, blobs).await
    }

    /// The background worker with every kind of job this program runs.
    pub fn worker(&self) -> Worker {
        let derivatives = self.derivatives.clone();
        let state = self.clone();
        Worker::new(self.jobs.clone())
            .handle(FIXITY_JOB, move |_week: crate::jobs::Job| {
                let state = state.clone();
                async move {
                    state
                        .run_fixity(&mut |_, _| {})
                        .await
                        .map(|_| ())
                        .map_err(|e| format!("{e:#}"))
                }
            })
            .handle(DERIVE_JOB, move |job: crate::jobs::Job| {
                let derivatives = derivatives.clone();
                async move {
                    let sha256 = job.payload;
                    let sha = Sha256Hex::parse(&sha256)
                        .ok_or_else(|| format!("not a content hash: {sha256:?}"))?;
                    for variant in Variant::ALL {
                        match derivatives.get(&sha, variant).await {
                            Ok(Some(_)) => {}
                            Ok(None) => return Err(format!("original {sha} is missing")),
                            Err(e) => return Err(format!("{}: {e:#}", variant.name())),
                        }
                    }
                    Ok(())
                }
            })
    }

    /// The background worker for bulk imports, apart so that an import never waits behind
    /// thousands of derivatives, nor they behind it.
    pub fn import_worker(&self) -> Worker {
        let state = self.clone();
        Worker::new(self.jobs.clone()).handle(import_job::IMPORT_JOB, move |job| {
            import_job::run(state.clone(), job)
        })
    }

    /// Forgets uploads with no progress for a day and deletes staged files that belong to
    /// no upload (left by a crash). Returns how many files were removed.
    pub async fn sweep_uploads(&self) -> anyhow::Result<usize> {
        let stale = self
            .uploads
            .stale_uploads(chrono::Utc::now() - chrono::Duration::days(1))
            .await?;
        for id in &stale {
            self.discard_upload(id).await?;
        }
        let known = self.uploads.upload_ids().await?;
        let orphans = self.ingest.staging.remove_orphans(&known).await?;
        Ok(stale.len() + orphans)
    }

    /// Forgets a resumable upload and deletes its bytes: those staged on this server, and a
    /// complete import zip waiting in the media store.
    pub async fn discard_upload(&self, id: &str) -> anyhow::Result<()> {
        self.ingest.staging.remove(id).await;
        if let Some(key) = crate::store::BlobKey::staged(id) {
            self.blobs.remove_staged(&key).await?;
        }
        self.uploads.delete_upload(id).await?;
        Ok(())
    }

    /// Deletes students' visits and essays whose retention ended by `now` (every ten
    /// minutes, and in tests with a chosen `now`). Returns how many visits were deleted.
    pub async fn sweep_classroom(&self, now: chrono::DateTime<chrono::Utc>) -> anyhow::Result<u64> {
        Ok(self.classroom.sweep(now).await?)
    }

    /// Folds record views of months past keeping per day into one count per record and
    /// month (every ten minutes; see [`crate::stats::DAILY_RECORD_VIEWS_DAYS`]). Returns how
    /// many daily rows were folded.
    pub async fn fold_record_views(&self) -> anyhow::Result<u64> {
        Ok(crate::stats::fold_old_record_views(self.stats.as_ref(), crate::stats::today()).await?)
    }

    /// Lays the interface strings translated on the site over the compiled bundles (at
    /// start, every minute so that every node shows what one node saved, and at once on the
    /// node that saved). The bundles are the process's own: one site per process.
    pub async fn load_translations(&self) -> crate::repo::RepoResult<usize> {
        let all = self.translations.translations().await?;
        crate::i18n::Messages::install(&all);
        Ok(all.len())
    }

    /// Writes the page views counted so far to the database (every minute, on shutdown,
    /// and in tests). Returns how many were written.
    pub async fn flush_page_views(&self) -> anyhow::Result<i64> {
        Ok(self.page_views.flush(self.stats.as_ref()).await?)
    }

    /// Checks every original (see [`crate::media::fixity`]) and keeps the result for the
    /// dashboard and `/metrics`.
    pub async fn run_fixity(
        &self,
        progress: &mut (dyn FnMut(usize, usize) + Send),
    ) -> anyhow::Result<FixityRun> {
        let records = self.catalogue.media_hashes().await?;
        let panoramas = self.panoramas.panorama_hashes().await?;
        let report =
            crate::media::fixity::check(self.blobs.as_ref(), records, panoramas, progress).await?;
        let now = chrono::Utc::now();
        let run = FixityRun {
            at: now,
            week: crate::media::fixity::week_of(now),
            report,
        };
        self.meta
            .set_meta(FIXITY_META, &serde_json::to_string(&run)?)
            .await?;
        if !run.report.intact() {
            tracing::error!(
                missing = run.report.missing.len(),
                corrupt = run.report.corrupt.len(),
                "fixity check found damaged originals"
            );
        }
        Ok(run)
    }

    /// The last fixity check, if there was one.
    pub async fn last_fixity(&self) -> anyhow::Result<Option<FixityRun>> {
        match self.meta.meta(FIXITY_META).await? {
            Some(json) => Ok(serde_json::from_str(&json).ok()),
            None => Ok(None),
        }
    }

    /// Queues this week's fixity check unless it ran already (any node may call this; the
    /// queue keeps one job per week).
    pub async fn schedule_fixity(&self, now: chrono::DateTime<chrono::Utc>) -> anyhow::Result<()> {
        let week = crate::media::fixity::week_of(now);
        if self
            .last_fixity()
            .await?
            .is_some_and(|run| run.week == week)
        {
            return Ok(());
        }
        self.jobs
            .enqueue(FIXITY_JOB, &week, chrono::Utc::now())
            .await?;
        Ok(())
    }

    /// Queues the derivatives of an image so visitors never wait for them.
    pub async fn queue_derivatives(&self, sha256: &str) -> anyhow::Result<()> {
        self.jobs
            .enqueue(DERIVE_JOB, sha256, chrono::Utc::now())
            .await?;
        Ok(())
    }
}

/// The job that makes every derivative of one image (payload: its SHA-256).
pub const DERIVE_JOB: &str = "derive";

/// The weekly fixity check (payload: the ISO week).
pub const FIXITY_JOB: &str = "fixity";

/// Where the last fixity check's result is kept.
const FIXITY_META: &str = "fixity_last";

/// The curators' extra words for Chinese segmentation, beside the database.
pub const SEARCH_DICTIONARY: &str = "search-dict.txt";

/// Loads `<data dir>/search-dict.txt` into the analyzers, when there is one.
async fn install_search_dictionary(data_dir: &std::path::Path) -> anyhow::Result<()> {
    let path = data_dir.join(SEARCH_DICTIONARY);
    match tokio::fs::read_to_string(&path).await {
        Ok(words) => {
            tokio::task::spawn_blocking(move || crate::search::Analyzer::install(Some(&words)))
                .await?;
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            // Load the dictionaries now rather than in the first visitor's search.
            tokio::task::spawn_blocking(|| {
                crate::search::Analyzer::shared();
            })
            .await?;
            Ok(())
        }
        Err(e) => Err(e).with_context(|| format!("Failed to read {}", path.display())),
    }
}

/// The media store the settings name: the object store at `--media-url`, or the media
/// folder in the data folder.
pub async fn open_media(config: &Config) -> anyhow::Result<Arc<dyn BlobStore>> {
    Ok(match &config.media_url {
        Some(url) => Arc::new(S3Store::open(url, config.data_dir.join("spool")).await?),
        None => Arc::new(FsStore::open(config.media_dir()).await?),
    })
}

/// Rebuilds every item's search tokens in batches, reporting `(done, total)` after each;
/// writes only the documents that changed unless `rewrite`. Needed when the analyzers or
/// the dictionary change; safe while the server runs.
pub async fn reindex(
    state: &AppState,
    rewrite: bool,
    progress: &mut dyn FnMut(u64, u64),
) -> anyhow::Result<u64> {
    const BATCH: u32 = 1000;
    let (total, _) = state.search.index_counts().await?;
    let total = u64::try_from(total).unwrap_or(0);
    let mut done = 0u64;
    let mut after = 0;
    while let Some(last) = state.search.reindex_batch(after, BATCH, rewrite).await? {
        after = last;
        done = (done + u64::from(BATCH)).min(total);
        progress(done, total);
    }
    state.search.finish_reindex(rewrite).await?;
    progress(total, total);
    Ok(total)
}

/// Builds the search index if items lack token strings (a database from before search).
pub async fn ensure_search_index(state: &AppState) -> anyhow::Result<()> {
    let (items, docs) = state.search.index_counts().await?;
    if docs < items {
        tracing::info!(items, docs, "building the search index");
        reindex(state, false, &mut |_, _| {}).await?;
    }
    Ok(())
}

/// The settings key that records the first-start import, so it never runs twice.
const SAMPLE_IMPORTED: &str = "sample_exhibits_imported_at";

/// Imports the sample catalogue if this database has never had it. Problems with single
/// records are logged; the server starts anyway.
pub async fn import_samples_once(state: &AppState) -> anyhow::Result<()> {
    let Some(dir) = &state.config.exhibits else {
        return Ok(());
    };
    if state.meta.meta(SAMPLE_IMPORTED).await?.is_some() {
        return Ok(());
    }
    if !dir.is_dir() {
        tracing::warn!(dir = %dir.display(), "sample exhibits folder not found; starting with an empty catalogue");
        return Ok(());
    }
    let importer = Importer::new(
        state.catalogue.as_ref(),
        state.panoramas.as_ref(),
        &state.ingest,
    );
    let report = importer.import_dir(dir, &mut |_: Progress<'_>| {}).await?;
    for sha in &report.images {
        state.queue_derivatives(sha).await?;
    }
    for error in &report.errors {
        tracing::warn!(%error, "sample record not imported");
    }
    tracing::info!(
        bases = report.bases,
        items = report.items,
        exhibitions = report.exhibitions,
        media = report.media_stored,
        "imported the sample exhibits"
    );
    state
        .meta
        .set_meta(SAMPLE_IMPORTED, &chrono::Utc::now().to_rfc3339())
        .await?;
    Ok(())
}
