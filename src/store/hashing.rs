//! A local temporary file that hashes what is written to it: how an original arrives
//! before its name — its SHA-256 — is known, whichever store it goes to next.

use super::Sha256Hex;
use anyhow::Context;
use sha2::{Digest, Sha256};
use std::path::Path;
use tokio::io::AsyncWriteExt;

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
