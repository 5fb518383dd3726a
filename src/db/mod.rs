//! The databases: SQLite (embedded default) and PostgreSQL (scaled out). The only place SQL
//! lives. Each repository is implemented once, generically over the two backends
//! ([`SqlStore`]); connection setup and migrations are per backend.

mod accounts;
mod audit;
mod base_figures;
mod bases;
mod catalogue;
mod catalogue_write;
mod classroom;
mod classroom_rows;
mod editor;
mod exhibition_editor;
mod exhibition_history;
mod exhibition_rows;
mod harvest;
mod import_runs;
mod item_history;
mod jobs;
mod media;
mod meta;
mod panorama_writes;
mod panoramas;
mod revision;
mod rows;
mod search;
mod search_cube;
mod search_query;
mod stats;
mod translations;
mod visits;

use crate::accounts::repo::AccountsRepo;
use crate::catalogue::csv_import::run::ImportRunsRepo;
use crate::catalogue::editor::CatalogueEditor;
use crate::catalogue::exhibition_editor::ExhibitionEditor;
use crate::catalogue::harvest::HarvestRepo;
use crate::catalogue::panorama::PanoramaRepo;
use crate::catalogue::repo::CatalogueRepo;
use crate::classroom::repo::ClassroomRepo;
use crate::jobs::JobsRepo;
use crate::media::uploads::UploadsRepo;
use crate::repo::{MetaRepo, RepoError};
use crate::search::repo::SearchRepo;
use crate::stats::StatsRepo;
use anyhow::Context;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Database, Pool, Postgres, Sqlite};
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// How many facet-cube cells ([`crate::search::facets`]) a server keeps: a few megabytes.
const CUBE_CACHE_CELLS: u64 = 100_000;

/// How many ranked hits (item cards, about a kilobyte each) a server keeps.
const TIER_CACHE_HITS: u64 = 20_000;

/// The repositories over one connection pool, whatever the backend.
pub struct SqlStore<DB: Database> {
    pool: Pool<DB>,
    /// Facet counts of recent searches, valid while the catalogue stands still.
    cubes: crate::search::facets::CubeCache,
    /// Ranked pages of recent searches, likewise.
    tiers: search_query::TierCache,
}

impl<DB: Database> SqlStore<DB> {
    /// Starts a transaction that writes. On SQLite it takes the write lock at once (`BEGIN
    /// IMMEDIATE`), waiting up to the busy timeout for another writer to finish: a deferred
    /// transaction reads first and asks for the lock at its first write, and when another
    /// connection wrote meanwhile SQLite fails it at once with "database is locked" (its
    /// snapshot is stale; waiting cannot help), so curators saving at the same moment as an
    /// import lost their saves.
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, DB>, RepoError> {
        let begin = if DB::NAME == "SQLite" {
            "BEGIN IMMEDIATE"
        } else {
            "BEGIN"
        };
        self.pool.begin_with(begin).await.map_err(map_err)
    }
}

/// A connected, migrated database and the repositories it serves.
#[derive(Clone)]
pub struct Db {
    /// Bases, items, media records, exhibitions.
    pub catalogue: Arc<dyn CatalogueRepo>,
    /// The curator's writes to items (revisions, history).
    pub editor: Arc<dyn CatalogueEditor>,
    /// The curator's writes to exhibitions and their stops (revisions, audit).
    pub exhibitions: Arc<dyn ExhibitionEditor>,
    /// Users, sessions, throttling, the audit log.
    pub accounts: Arc<dyn AccountsRepo>,
    /// Public items by the time they last changed, for harvesters, sitemaps and feeds.
    pub harvest: Arc<dyn HarvestRepo>,
    /// Panoramas of the bases' halls, with their markers.
    pub panoramas: Arc<dyn PanoramaRepo>,
    /// Settings and health.
    pub meta: Arc<dyn MetaRepo>,
    /// Resumable uploads in progress.
    pub uploads: Arc<dyn UploadsRepo>,
    /// The background job queue.
    pub jobs: Arc<dyn JobsRepo>,
    /// Bulk import runs and their rows' outcomes.
    pub imports: Arc<dyn ImportRunsRepo>,
    /// The dashboard's statistics and the page-view counts.
    pub stats: Arc<dyn StatsRepo>,
    /// The search index.
    pub search: Arc<dyn SearchRepo>,
    /// Classes, assignments and students' visits.
    pub classroom: Arc<dyn ClassroomRepo>,
    /// Interface strings translated on the site.
    pub translations: Arc<dyn crate::i18n::translations::TranslationsRepo>,
    /// "sqlite" or "postgres", for logs and `/readyz`.
    pub backend: &'static str,
}

/// Which database to use.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// A SQLite file (created if missing).
    Sqlite(std::path::PathBuf),
    /// A private in-memory SQLite database (tests).
    SqliteMemory,
    /// A PostgreSQL connection URL (may hold a password).
    Postgres(String),
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DatabaseUrl::Sqlite(p) => write!(f, "sqlite://{}", p.display()),
            DatabaseUrl::SqliteMemory => f.write_str("sqlite::memory:"),
            DatabaseUrl::Postgres(url) => f.write_str(&redact_password(url)),
        }
    }
}

/// The URL with any password replaced by `***`, for logs.
fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return "postgres://***".into();
    };
    match rest.split_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or("");
            if userinfo.contains(':') {
                format!("{scheme}://{user}:***@{host}")
            } else {
                format!("{scheme}://{user}@{host}")
            }
        }
        None => url.to_owned(),
    }
}

impl DatabaseUrl {
    /// Parses `EDUBASE_DATABASE_URL`: `postgres://…`, `postgresql://…`, `sqlite://path` or
    /// `sqlite::memory:`.
    pub fn parse(url: &str) -> anyhow::Result<DatabaseUrl> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(DatabaseUrl::Postgres(url.to_owned()))
        } else if url == "sqlite::memory:" {
            Ok(DatabaseUrl::SqliteMemory)
        } else if let Some(path) = url.strip_prefix("sqlite://") {
            Ok(DatabaseUrl::Sqlite(path.into()))
        } else {
            anyhow::bail!(
                "unsupported database URL {:?}: use postgres://… or sqlite://path",
                redact_password(url)
            )
        }
    }
}

/// Connects, runs pending migrations, and returns the repositories.
/// How to connect to PostgreSQL at `url`: every statement planned for its parameters.
/// Our queries filter with `($n is null or column = $n)`, which a generic plan (PostgreSQL's
/// choice after a statement's fifth run) cannot simplify: such a plan of the search's title
/// tier looked up all 100,000 items of the benchmark one by one, 420 ms against 1 ms.
fn postgres_options(url: &str) -> anyhow::Result<PgConnectOptions> {
    Ok(PgConnectOptions::from_str(url)
        .context("Failed to parse the PostgreSQL URL")?
        .options([("plan_cache_mode", "force_custom_plan")]))
}

pub async fn connect(url: &DatabaseUrl) -> anyhow::Result<Db> {
    match url {
        DatabaseUrl::Sqlite(path) => sqlite(SqliteConnectOptions::new().filename(path), 8).await,
        DatabaseUrl::SqliteMemory => {
            // One connection: every new in-memory connection would be a new, empty database.
            sqlite(
                SqliteConnectOptions::from_str("sqlite::memory:").expect("valid URL"),
                1,
            )
            .await
        }
        DatabaseUrl::Postgres(url) => {
            let options = postgres_options(url)?;
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(options)
                .await
                .with_context(|| format!("Failed to connect to {:?}", redact_password(url)))?;
            POSTGRES_MIGRATIONS
                .run(&pool)
                .await
                .context("Failed to migrate the PostgreSQL database")?;
            Ok(Db::new::<Postgres>(pool, "postgres"))
        }
    }
}

async fn sqlite(options: SqliteConnectOptions, max_connections: u32) -> anyhow::Result<Db> {
    let options = options
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        // WAL + NORMAL survives process crashes; a power cut may lose the last commits only.
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10));
    let pool = SqlitePoolOptions::new()
        .max_connections(max_connections)
        .connect_with(options)
        .await
        .context("Failed to open the SQLite database")?;
    SQLITE_MIGRATIONS
        .run(&pool)
        .await
        .context("Failed to migrate the SQLite database")?;
    Ok(Db::new::<Sqlite>(pool, "sqlite"))
}

impl Db {
    fn new<DB: Database>(pool: Pool<DB>, backend: &'static str) -> Db
    where
        SqlStore<DB>: CatalogueRepo
            + CatalogueEditor
            + ExhibitionEditor
            + AccountsRepo
            + MetaRepo
            + UploadsRepo
            + JobsRepo
            + ImportRunsRepo
            + StatsRepo
            + SearchRepo
            + ClassroomRepo
            + HarvestRepo
            + PanoramaRepo
            + crate::i18n::translations::TranslationsRepo
            + 'static,
    {
        let store = Arc::new(SqlStore {
            pool,
            cubes: crate::search::facets::cube_cache(CUBE_CACHE_CELLS),
            tiers: search_query::tier_cache(TIER_CACHE_HITS),
        });
        Db {
            catalogue: store.clone(),
            editor: store.clone(),
            exhibitions: store.clone(),
            accounts: store.clone(),
            meta: store.clone(),
            uploads: store.clone(),
            jobs: store.clone(),
            imports: store.clone(),
            search: store.clone(),
            classroom: store.clone(),
            harvest: store.clone(),
            panoramas: store.clone(),
            translations: store.clone(),
            stats: store,
            backend,
        }
    }
}

/// The SQLite file inside a data directory.
pub fn sqlite_path(data_dir: &Path) -> std::path::PathBuf {
    data_dir.join("edubase.sqlite")
}

/// Turns a database error into a repository error, naming the constraint on conflicts.
fn map_err(e: sqlx::Error) -> RepoError {
    if let sqlx::Error::Database(db) = &e
        && db.is_unique_violation()
    {
        let what = db
            .constraint()
            .map(str::to_owned)
            .unwrap_or_else(|| db.message().to_owned());
        return RepoError::Conflict(what);
    }
    RepoError::Backend(anyhow::Error::new(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_urls_never_print_passwords() {
        let url = DatabaseUrl::parse("postgres://edu:s3cret@db.local/edubase").unwrap();
        let shown = format!("{url:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("edu:***@db.local"), "{shown}");
        assert!(DatabaseUrl::parse("mysql://x").is_err());
    }

    #[test]
    fn postgres_plans_each_statement_for_its_parameters_keeping_the_urls_options() {
        let o =
            postgres_options("postgres://db.local/edubase?options=-c%20search_path%3Dt_1").unwrap();
        assert_eq!(
            o.get_options(),
            Some("-c search_path=t_1 -c plan_cache_mode=force_custom_plan")
        );
        let o = postgres_options("postgres://db.local/edubase").unwrap();
        assert_eq!(
            o.get_options(),
            Some("-c plan_cache_mode=force_custom_plan")
        );
        assert!(postgres_options("postgres://db.local:port/x").is_err());
    }
}
