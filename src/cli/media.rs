//! `edubase copy-media TARGET`: every original of this site's media store, copied into
//! another store (an `s3://bucket/prefix` or a folder), each file's hash checked.

use edubase::app::open_media;
use edubase::config::Config;
use edubase::store::{BlobStore, FsStore, S3Store, S3Url, copy_originals};
use std::process::ExitCode;
use std::sync::Arc;

/// Copies the originals of the configured store into `target`.
pub async fn copy(config: Config, target: String) -> anyhow::Result<ExitCode> {
    let from = open_media(&config).await?;
    let to: Arc<dyn BlobStore> = if target.starts_with("s3://") {
        let url = S3Url::parse(&target)?;
        Arc::new(S3Store::open(&url, config.data_dir.join("spool-copy")).await?)
    } else {
        Arc::new(FsStore::open(&target).await?)
    };
    to.check().await?;
    let bar = indicatif::ProgressBar::new(0);
    let started = std::time::Instant::now();
    let report = copy_originals(from.as_ref(), to.as_ref(), &mut |done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    })
    .await?;
    bar.finish_and_clear();
    for sha in &report.corrupt {
        eprintln!(
            "corrupt, not copied: {sha} (its bytes no longer match its hash; see `edubase fixity`)"
        );
    }
    for sha in &report.missing {
        eprintln!("missing, not copied: {sha}");
    }
    println!(
        "copied {} originals ({:.1} MB) to {target} in {:.1} s; {} were there already; {} corrupt, {} missing",
        report.copied,
        report.copied_bytes as f64 / 1e6,
        started.elapsed().as_secs_f64(),
        report.present,
        report.corrupt.len(),
        report.missing.len(),
    );
    Ok(if report.complete() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
