//! The `edubase` command line: parses arguments and starts things; nothing else.

mod cli;

use anyhow::Context;
use clap::{Parser, Subcommand};
use edubase::app::{self, AppState};
use edubase::catalogue::import::{Importer, Progress};
use edubase::config::{Config, SettingsArgs};
use std::path::PathBuf;
use std::process::ExitCode;

/// A digital education base: a region's heritage online.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(flatten)]
    settings: SettingsArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start the web server (imports the sample exhibits on first start).
    Serve,
    /// Create or upgrade the database schema, then exit.
    Migrate,
    /// Import a catalogue folder in the exhibits/ format.
    Import {
        /// The folder (with bases/, items/, exhibitions/).
        dir: PathBuf,
    },
    /// Export the whole catalogue (drafts included) as a folder in the exhibits/ format,
    /// which `import` reads back: to move between SQLite and PostgreSQL, or as a backup.
    Export {
        /// A new or empty folder.
        dir: PathBuf,
    },
    /// Check that every stored original is intact: hash each one again and compare the store
    /// with the media records. Exits 1 if a file is missing or corrupt; changes nothing.
    Fixity,
    /// Copy every original of the media store into another store, checking each file's
    /// hash: from the media folder to an object store when a site grows to several nodes
    /// (then set --media-url to it), or back. Derivatives are made again when asked for.
    /// Exits 1 if a file was corrupt or missing (it is not copied).
    CopyMedia {
        /// s3://bucket/prefix (credentials from AWS_*), or a folder.
        target: String,
    },
    /// Make one image derivative, through the server's own code path (previews, benchmarks).
    Derive {
        /// The widest the derivative may be; narrower originals keep their width.
        #[arg(long)]
        width: u32,
        /// Output format: jpeg or webp.
        #[arg(long, value_enum, default_value = "jpeg")]
        format: DeriveFormat,
        /// Where to write the derivative.
        #[arg(short, long)]
        out: PathBuf,
        /// The original: JPEG, PNG, WebP or TIFF.
        input: PathBuf,
    },
    /// Rebuild the search index (after changing the analyzers or the user dictionary).
    Reindex {
        /// Rewrite every document, not only those whose tokens changed, and build the
        /// full-text index again in one pass (compacts it; holds the database's write lock
        /// for the last minute on 100,000 items).
        #[arg(long)]
        rewrite: bool,
    },
    /// Manage user accounts (for scripted deployments).
    #[command(subcommand)]
    User(cli::users::UserCommand),
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum DeriveFormat {
    Jpeg,
    Webp,
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("EDUBASE_LOG")
                .unwrap_or_else(|_| "edubase=info,tower_http=warn,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let config = Config::resolve(&cli.settings)?;
    match cli.command {
        Command::Serve => serve(config).await,
        Command::Migrate => {
            edubase::db::connect(&config.database).await?;
            println!("database {:?} is up to date", config.database);
            Ok(ExitCode::SUCCESS)
        }
        Command::Import { dir } => import(config, dir).await,
        Command::Export { dir } => export(config, dir).await,
        Command::Fixity => fixity(config).await,
        Command::CopyMedia { target } => cli::media::copy(config, target).await,
        Command::User(command) => cli::users::run(config, command).await,
        Command::Reindex { rewrite } => reindex(config, rewrite).await,
        Command::Derive {
            width,
            format,
            out,
            input,
        } => {
            use edubase::media::derive::{Format, Spec, derive_file};
            let spec = Spec {
                max_width: width,
                format: match format {
                    DeriveFormat::Jpeg => Format::Jpeg,
                    DeriveFormat::Webp => Format::Webp,
                },
            };
            let derived = tokio::task::spawn_blocking(move || {
                derive_file(&input, &spec, &out).map(|d| (d, out))
            })
            .await??;
            eprintln!(
                "{}: {}×{}, {} bytes",
                derived.1.display(),
                derived.0.width,
                derived.0.height,
                derived.0.bytes.len()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn serve(config: Config) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    let bind = config.bind;
    let state = AppState::open(config).await?;
    if let Err(e) = state.load_translations().await {
        tracing::warn!(error = %e, "the site's translations were not loaded; compiled strings only");
    }
    app::import_samples_once(&state).await?;
    app::ensure_search_index(&state).await?;
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .with_context(|| format!("Failed to listen on {bind}"))?;
    let local = listener.local_addr()?;
    tracing::info!(
        database = state.backend,
        data = %state.config.data_dir.display(),
        media = %state.config.media_url.as_ref().map_or_else(
            || state.config.media_dir().display().to_string(),
            |url| url.to_string()
        ),
        ready_in_ms = started.elapsed().as_millis() as u64,
        "edubase is ready"
    );
    println!(
        "edubase is serving on http://{local}/ (public URL {})",
        state.config.public_url
    );
    if let Some(token) = state.accounts.begin_setup().await? {
        println!(
            "No administrator yet. Within the next hour, create one at:\n  {}/admin/setup?token={token}\n\
             (or run: edubase user add --username NAME --role admin --password-stdin)",
            state.config.public_url
        );
    }
    let sweeper = state.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(600));
        loop {
            every.tick().await;
            if let Err(e) = sweeper.accounts.sweep().await {
                tracing::warn!(error = %e, "could not remove stale sessions");
            }
            app::import_job::sweep(&sweeper, chrono::Utc::now()).await;
            match sweeper.sweep_uploads().await {
                Ok(0) => {}
                Ok(n) => tracing::info!(removed = n, "removed abandoned uploads"),
                Err(e) => tracing::warn!(error = %e, "could not remove abandoned uploads"),
            }
            if let Err(e) = sweeper.schedule_fixity(chrono::Utc::now()).await {
                tracing::warn!(error = %e, "could not queue this week's fixity check");
            }
            match sweeper.sweep_classroom(chrono::Utc::now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(deleted = n, "deleted students' visits past retention"),
                Err(e) => tracing::warn!(error = %e, "could not delete expired visits"),
            }
            match sweeper.fold_record_views().await {
                Ok(0) => {}
                Ok(n) => tracing::info!(folded = n, "folded old daily record views into months"),
                Err(e) => tracing::warn!(error = %e, "could not fold old record views"),
            }
        }
    });
    let flusher = state.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(60));
        every.tick().await; // the first tick is immediate; nothing is counted yet
        loop {
            every.tick().await;
            if let Err(e) = flusher.flush_page_views().await {
                tracing::warn!(error = %e, "could not store page views; will retry");
            }
            if let Err(e) = flusher.load_translations().await {
                tracing::warn!(error = %e, "could not reload the site's translations");
            }
        }
    });
    tokio::spawn(state.worker().run());
    tokio::spawn(state.import_worker().run());
    app::serve(listener, app::router(state.clone()), app::shutdown_signal()).await?;
    if let Err(e) = state.flush_page_views().await {
        tracing::warn!(error = %e, pending = state.page_views.pending(), "page views lost at shutdown");
    }
    Ok(ExitCode::SUCCESS)
}

async fn reindex(config: Config, rewrite: bool) -> anyhow::Result<ExitCode> {
    let state = AppState::open(config).await?;
    let started = std::time::Instant::now();
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} items {elapsed}")
            .expect("valid template"),
    );
    let total = app::reindex(&state, rewrite, &mut |done, total| {
        bar.set_length(total);
        bar.set_position(done);
    })
    .await?;
    bar.finish_and_clear();
    println!(
        "reindexed {total} items in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

async fn fixity(config: Config) -> anyhow::Result<ExitCode> {
    let state = AppState::open(config).await?;
    let bar = indicatif::ProgressBar::new(0);
    let started = std::time::Instant::now();
    let report = state
        .run_fixity(&mut |done: usize, total: usize| {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        })
        .await?
        .report;
    bar.finish_and_clear();
    let shown = |d: &edubase::media::fixity::Damage| {
        let list = |slugs: &[edubase::catalogue::types::Slug]| {
            slugs
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut text = format!("items: {}", list(&d.items));
        if !d.bases.is_empty() {
            text.push_str(&format!("; panoramas of bases: {}", list(&d.bases)));
        }
        text
    };
    for d in &report.missing {
        eprintln!("missing: {} ({})", d.sha256, shown(d));
    }
    for d in &report.corrupt {
        eprintln!("corrupt: {} ({})", d.sha256, shown(d));
    }
    println!(
        "checked {} originals ({:.1} MB) in {:.1} s: {} missing, {} corrupt; {} not used by any item ({:.1} MB)",
        report.checked,
        report.bytes as f64 / 1e6,
        started.elapsed().as_secs_f64(),
        report.missing.len(),
        report.corrupt.len(),
        report.unreferenced,
        report.unreferenced_bytes as f64 / 1e6,
    );
    Ok(if report.intact() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

async fn export(config: Config, dir: PathBuf) -> anyhow::Result<ExitCode> {
    let state = AppState::open(config).await?;
    let exporter = edubase::catalogue::export::Exporter::new(
        state.catalogue.as_ref(),
        state.exhibitions.as_ref(),
        state.panoramas.as_ref(),
        state.blobs.as_ref(),
    );
    let bar = indicatif::ProgressBar::new_spinner();
    let messages = edubase::i18n::Messages::global();
    let source = format!(
        "{} {}",
        messages.format(edubase::i18n::Lang::Zh, "site-region", &[]),
        messages.format(edubase::i18n::Lang::Zh, "site-name", &[])
    );
    let report = exporter
        .export(&dir, &source, &mut |path: &std::path::Path| {
            bar.set_message(path.display().to_string());
            bar.tick();
        })
        .await?;
    bar.finish_and_clear();
    println!(
        "exported {} bases, {} items ({} media files), {} exhibitions, {} hall panoramas to {}",
        report.bases,
        report.items,
        report.media,
        report.exhibitions,
        report.panoramas,
        dir.display()
    );
    Ok(ExitCode::SUCCESS)
}

async fn import(config: Config, dir: PathBuf) -> anyhow::Result<ExitCode> {
    let state = AppState::open(config).await?;
    let importer = Importer::new(
        state.catalogue.as_ref(),
        state.panoramas.as_ref(),
        &state.ingest,
    );
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {wide_msg}")
            .expect("valid template"),
    );
    let report = importer
        .import_dir(&dir, &mut |p: Progress<'_>| match p {
            Progress::Start { total } => bar.set_length(total as u64),
            Progress::Record { path } => {
                bar.set_message(path.display().to_string());
                bar.inc(1);
            }
        })
        .await?;
    bar.finish_and_clear();
    for sha in &report.images {
        state.queue_derivatives(sha).await?;
    }
    for error in &report.errors {
        eprintln!("error: {error}");
    }
    println!(
        "imported {} bases, {} items ({} new media files), {} exhibitions, {} hall panoramas; {} records failed",
        report.bases,
        report.items,
        report.media_stored,
        report.exhibitions,
        report.panoramas,
        report.errors.len()
    );
    Ok(if report.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
