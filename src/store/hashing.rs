//! A local temporary file that hashes what is written to it: how an original arrives
//! before its name — its SHA-256 — is known, whichever store it goes to next.

use super::Sha256Hex;
use anyhow::Context;
use sha2::{Digest, Sha256};
use std::path::Path;
use tokio::io::AsyncWriteExt;

/// How long a temporary file must have been left alone to count as a crash's leftover:
/// younger ones may be being written by another process on the same folder (`edubase
/// import` beside a running server, a form upload in progress).
const LEFTOVER_AGE: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

/// True when the file `entry` names has not been written to for [`LEFTOVER_AGE`].
pub async fn is_leftover(entry: &tokio::fs::DirEntry) -> bool {
    entry
        .metadata()
        .await
        .and_then(|m| m.modified())
        .is_ok_and(|t| t.elapsed().is_ok_and(|age| age > LEFTOVER_AGE))
}

/// Deletes the temporary files in `dir` that a crash left behind.
pub(super) async fn clear_leftovers(dir: &Path) -> anyhow::Result<()> {
    let mut entries = tokio::fs::read_dir(dir)
        .await
        .with_context(|| format!("Failed to read {}", dir.display()))?;
    while let Some(entry) = entries.next_entry().await? {
        if is_leftover(&entry).await {
            tokio::fs::remove_file(entry.path()).await.ok();
        }
    }
    Ok(())
}

/// Bytes on their way to becoming an original. Dropped unfinished, the file is deleted.
pub(super) struct HashingFile {
    file: tokio::fs::File,
    temp: tempfile::TempPath,
    hasher: Sha256,
    bytes: u64,
}

/// A finished file: where it is (deleted when this drops), its hash and its length.
pub(super) struct Hashed {
    pub(super) temp: tempfile::TempPath,
    pub(super) sha256: Sha256Hex,
    pub(super) bytes: u64,
}

impl HashingFile {
    /// A new empty file in `dir`.
    pub(super) fn create_in(dir: &Path) -> anyhow::Result<HashingFile> {
        let (file, temp) = tempfile::Builder::new()
            .prefix("upload-")
            .tempfile_in(dir)
            .with_context(|| format!("Failed to create a temporary file in {}", dir.display()))?
            .into_parts();
        Ok(HashingFile {
            file: tokio::fs::File::from_std(file),
            temp,
            hasher: Sha256::new(),
            bytes: 0,
        })
    }

    /// Appends and hashes `chunk`.
    pub(super) async fn write(&mut self, chunk: &[u8]) -> anyhow::Result<()> {
        self.hasher.update(chunk);
        self.bytes += chunk.len() as u64;
        self.file
            .write_all(chunk)
            .await
            .context("Failed to write a temporary file")
    }

    /// Flushes the file — and with `durable`, syncs it to disk — and closes it.
    pub(super) async fn finish(self, durable: bool) -> anyhow::Result<Hashed> {
        let HashingFile {
            mut file,
            temp,
            hasher,
            bytes,
        } = self;
        file.flush().await?;
        if durable {
            file.sync_all()
                .await
                .context("Failed to sync a temporary file")?;
        }
        drop(file);
        Ok(Hashed {
            temp,
            sha256: Sha256Hex(hex::encode(hasher.finalize())),
            bytes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn only_old_leftovers_are_cleared_never_a_file_being_written() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("upload-old");
        std::fs::write(&old, b"half").unwrap();
        let two_days_ago = std::time::SystemTime::now() - 2 * LEFTOVER_AGE;
        std::fs::File::options()
            .write(true)
            .open(&old)
            .unwrap()
            .set_modified(two_days_ago)
            .unwrap();
        let mut live = HashingFile::create_in(dir.path()).unwrap();
        live.write(b"arriving").await.unwrap();
        clear_leftovers(dir.path()).await.unwrap();
        assert!(!old.exists(), "a crash's leftover goes");
        let hashed = live.finish(false).await.unwrap();
        assert_eq!(
            std::fs::read(&hashed.temp).unwrap(),
            b"arriving",
            "a live file stays"
        );
    }
}
