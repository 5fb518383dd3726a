//! The application: settings in, backends connected, sample catalogue imported, HTTP served.

use crate::accounts::{Accounts, SessionPolicy};
use crate::catalogue::import::{Importer, Progress};
use crate::catalogue::repo::CatalogueRepo;
use crate::config::Config;
use crate::db;
use crate::jobs::{JobsRepo, Worker};
use crate::media::hot::HotCache;
use crate::media::ingest::Ingest;
use crate::media::uploads::UploadsRepo;
use crate::media::{Derivatives, Staging, Variant};
use crate::repo::MetaRepo;
use crate::store::{BlobStore, FsStore, Sha256Hex};
use anyhow::Context;
use std::sync::Arc;

/// What every handler can reach. Services are trait objects, so handlers never know which
/// database or blob store is behind them.
#[derive(Clone)]
pub struct AppState {
    /// Bases, items, media records and exhibitions.
    pub catalogue: Arc<dyn CatalogueRepo>,
    /// Users, sign-in and sessions.
    pub accounts: Accounts,
    /// Settings and database health.
    pub meta: Arc<dyn MetaRepo>,
    /// Resumable uploads in progress.
    pub uploads: Arc<dyn UploadsRepo>,
    /// The background job queue.
    pub jobs: Arc<dyn JobsRepo>,
    /// Originals and derivative caches.
    pub blobs: Arc<dyn BlobStore>,
    /// How files enter the collection: staging, checks, the store.
    pub ingest: Arc<Ingest>,
    /// Resized images, made on demand with bounded parallelism.
    pub derivatives: Arc<Derivatives>,
    /// Hot media bytes and public-hash answers, in memory.
    pub hot: Arc<HotCache>,
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
        Ok(AppState {
            accounts: Accounts::new(db.accounts, db.meta.clone(), SessionPolicy::default()),
            meta: db.meta,
            catalogue: db.catalogue,
            uploads: db.uploads,
            jobs: db.jobs,
            blobs,
            ingest,
            derivatives,
            hot: Arc::new(HotCache::new(256 << 20)),
            config: Arc::new(config),
            backend: db.backend,
        })
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
        let db = db::connect(&config.database).await?;
        let blobs: Arc<dyn BlobStore> = Arc::new(FsStore::open(config.media_dir()).await?);
        AppState::new(config, db, blobs).await
    }

    /// The background worker with every kind of job this program runs.
    pub fn worker(&self) -> Worker {
        let derivatives = self.derivatives.clone();
        Worker::new(self.jobs.clone()).handle(DERIVE_JOB, move |sha256: String| {
            let derivatives = derivatives.clone();
            async move {
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
    let importer = Importer::new(state.catalogue.as_ref(), &state.ingest);
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

/// Every route, with the layers every response gets: security headers, compression,
/// tracing, a request timeout, and panics turned into 500s.
pub fn router(state: AppState) -> axum::Router {
    use crate::web;
    use axum::http::{HeaderName, HeaderValue, header};
    use std::time::Duration;
    use tower_http::set_header::SetResponseHeaderLayer;

    // No inline script anywhere: JSON-LD is data, not script, and is unaffected.
    let csp = "default-src 'self'; img-src 'self' data:; media-src 'self'; style-src 'self'; \
               script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
               frame-ancestors 'self'";
    // Uploads are exempt from the request timeout: a large file on a slow network takes as
    // long as it takes (and tus makes it resumable).
    let timed = axum::Router::new()
        .merge(web::gallery::router(state.clone()))
        .merge(web::admin::router(state.clone()))
        .merge(web::api::router())
        .merge(web::media::router())
        .merge(web::assets::router())
        .merge(web::health::router())
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(60),
        ));
    axum::Router::new()
        .merge(timed)
        .merge(web::uploads::router())
        .with_state(state)
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(csp),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("x-frame-options"),
            HeaderValue::from_static("SAMEORIGIN"),
        ))
        .layer(tower_http::csrf::CsrfLayer::new())
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .layer(tower_http::catch_panic::CatchPanicLayer::new())
}

/// Serves HTTP/1.1 and HTTP/2 on `listener` until `shutdown` resolves, then lets open
/// requests finish (up to 30 s). Sockets get TCP_NODELAY and a header-read timeout, which
/// `axum::serve` does not set (slowloris).
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    shutdown: impl std::future::Future<Output = ()>,
) -> anyhow::Result<()> {
    use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
    use hyper_util::server::conn::auto::Builder;
    use hyper_util::service::TowerToHyperService;
    use std::time::Duration;

    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(Duration::from_secs(15))
        .keep_alive(true);
    builder.http2().timer(TokioTimer::new());
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(conn) => conn,
                Err(e) => {
                    // Out of file descriptors and the like: back off instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        if let Err(e) = stream.set_nodelay(true) {
            tracing::debug!(error = %e, "TCP_NODELAY not set");
        }
        // The client address, for sign-in throttling; wrapping the service is cheap, unlike
        // adding a layer to the whole router per connection.
        let with_peer = tower::Layer::layer(
            &axum::Extension(axum::extract::ConnectInfo(peer)),
            app.clone(),
        );
        let service = TowerToHyperService::new(with_peer);
        let connection = builder.serve_connection_with_upgrades(TokioIo::new(stream), service);
        let connection = graceful.watch(connection.into_owned());
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "connection ended with an error");
            }
        });
    }
    drop(listener);
    tracing::info!("shutting down: waiting for open requests");
    if tokio::time::timeout(Duration::from_secs(30), graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("some connections did not finish within 30 s");
    }
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        tokio::signal::ctrl_c().await.ok();
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
