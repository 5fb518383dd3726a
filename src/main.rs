//! The `edubase` command line: parses arguments and starts things; nothing else.

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
    }
}

async fn serve(config: Config) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    let bind = config.bind;
    let state = AppState::open(config).await?;
    app::import_samples_once(&state).await?;
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .with_context(|| format!("Failed to listen on {bind}"))?;
    let local = listener.local_addr()?;
    tracing::info!(
        database = state.backend,
        data = %state.config.data_dir.display(),
        ready_in_ms = started.elapsed().as_millis() as u64,
        "edubase is ready"
    );
    println!(
        "edubase is serving on http://{local}/ (public URL {})",
        state.config.public_url
    );
    app::serve(listener, app::router(state), app::shutdown_signal()).await?;
    Ok(ExitCode::SUCCESS)
}

async fn import(config: Config, dir: PathBuf) -> anyhow::Result<ExitCode> {
    let state = AppState::open(config).await?;
    let importer = Importer::new(state.catalogue.as_ref(), state.blobs.as_ref());
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
    for error in &report.errors {
        eprintln!("error: {error}");
    }
    println!(
        "imported {} bases, {} items ({} new media files), {} exhibitions; {} records failed",
        report.bases,
        report.items,
        report.media_stored,
        report.exhibitions,
        report.errors.len()
    );
    Ok(if report.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
