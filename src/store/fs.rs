//! Blobs in a local folder (normally `data/media/`): originals at `ab/cd/<sha256>`,
//! derivatives at `derived/ab/cd/<sha256>/<variant>`, work in progress in `tmp/`.
//!
//! Every file is written to a temporary file in `tmp/` on the same filesystem, fsynced,
//! renamed into place and its directory fsynced, so a crash leaves either the old state or
//! the complete new file — never a half-written file under a final name.

use super::hashing::{Hashed, HashingFile, clear_leftovers};
use super::{BlobKey, BlobStore, BlobWriter, Sha256Hex, StoredBlob};
use anyhow::Context;
use async_trait::async_trait;
use std::path::{Path, PathBuf};
use tokio::io::AsyncWriteExt;

/// A blob store in a local folder.
pub struct FsStore {
    root: PathBuf,
}

impl FsStore {
    /// Opens (creating if needed) a store rooted at `root` and clears temporary files left
    /// by a crash (those older than a day).
    pub async fn open(root: impl Into<PathBuf>) -> anyhow::Result<FsStore> {
        let root = root.into();
        for dir in ["derived", "tmp"] {
            tokio::fs::create_dir_all(root.join(dir))
                .await
                .with_context(|| format!("Failed to create {}", root.join(dir).display()))?;
        }
        clear_leftovers(&root.join("tmp")).await?;
        Ok(FsStore { root })
    }

    fn path(&self, key: &BlobKey) -> PathBuf {
        blob_path(&self.root, key)
    }

    fn temp_file(&self) -> anyhow::Result<(tokio::fs::File, tempfile::TempPath)> {
        let temp = tempfile::Builder::new()
            .prefix("upload-")
            .tempfile_in(self.root.join("tmp"))
            .context("Failed to create a temporary file")?;
        let (file, path) = temp.into_parts();
        Ok((tokio::fs::File::from_std(file), path))
    }

    /// Moves a local file to `dest` durably: renamed when on the same filesystem, else
    /// copied through a temporary file. The local file is consumed.
    async fn move_into(&self, path: &Path, dest: &Path) -> anyhow::Result<()> {
        let file = tokio::fs::File::open(path)
            .await
            .context("Failed to open a staged file")?;
        file.sync_all()
            .await
            .context("Failed to sync a staged file")?;
        drop(file);
        let dir = dest.parent().expect("blob paths have a parent").to_owned();
        tokio::fs::create_dir_all(&dir).await?;
        match tokio::fs::rename(path, dest).await {
            Ok(()) => {}
            // Staging on another filesystem: copy through a temporary file instead.
            Err(e) if e.raw_os_error() == Some(18) => {
                let (mut out, temp) = self.temp_file()?;
                let mut input = tokio::fs::File::open(path).await?;
                tokio::io::copy(&mut input, &mut out).await?;
                out.sync_all().await?;
                drop(out);
                publish(temp, dest).await?;
                tokio::fs::remove_file(path).await.ok();
                return Ok(());
            }
            Err(e) => return Err(e).context("Failed to move a staged file into the store"),
        }
        tokio::task::spawn_blocking(move || std::fs::File::open(&dir).and_then(|d| d.sync_all()))
            .await??;
        Ok(())
    }
}

/// Where a blob lives under `root`: two levels of shards keep directories small.
fn blob_path(root: &Path, key: &BlobKey) -> PathBuf {
    let shard = |sha: &Sha256Hex| {
        let s = sha.as_str();
        PathBuf::from(&s[0..2]).join(&s[2..4]).join(s)
    };
    match key {
        BlobKey::Original(sha) => root.join(shard(sha)),
        BlobKey::Derivative(sha, variant) => root.join("derived").join(shard(sha)).join(variant),
        BlobKey::Staged(id) => root.join("staging").join(id.as_str()),
    }
}

/// Renames a synced temporary file to `dest` and syncs the directory entry.
async fn publish(temp: tempfile::TempPath, dest: &Path) -> anyhow::Result<()> {
    let dir = dest.parent().expect("blob paths have a parent");
    tokio::fs::create_dir_all(dir)
        .await
        .with_context(|| format!("Failed to create {}", dir.display()))?;
    let dest_owned = dest.to_owned();
    let dir_owned = dir.to_owned();
    tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
        temp.persist(&dest_owned)
            .with_context(|| format!("Failed to move a file into {}", dest_owned.display()))?;
        std::fs::File::open(&dir_owned)
            .and_then(|d| d.sync_all())
            .with_context(|| format!("Failed to sync {}", dir_owned.display()))
    })
    .await?
}

struct FsWriter {
    spool: HashingFile,
    store_root: PathBuf,
}

#[async_trait]
impl BlobWriter for FsWriter {
    async fn write(&mut self, chunk: &[u8]) -> anyhow::Result<()> {
        self.spool.write(chunk).await
    }

    async fn commit(self: Box<Self>) -> anyhow::Result<StoredBlob> {
        let FsWriter { spool, store_root } = *self;
        let Hashed {
            temp,
            sha256,
            bytes,
        } = spool.finish(true).await?;
        let dest = blob_path(&store_root, &BlobKey::Original(sha256.clone()));
        if tokio::fs::try_exists(&dest).await? {
            // Same bytes already stored; the temporary file is deleted when `temp` drops.
            return Ok(StoredBlob {
                sha256,
                bytes,
                created: false,
            });
        }
        publish(temp, &dest).await?;
        Ok(StoredBlob {
            sha256,
            bytes,
            created: true,
        })
    }
}

#[async_trait]
impl BlobStore for FsStore {
    async fn writer(&self) -> anyhow::Result<Box<dyn BlobWriter>> {
        Ok(Box::new(FsWriter {
            spool: HashingFile::create_in(&self.root.join("tmp"))?,
            store_root: self.root.clone(),
        }))
    }

    async fn adopt(&self, path: &Path, sha256: &Sha256Hex) -> anyhow::Result<bool> {
        let dest = self.path(&BlobKey::Original(sha256.clone()));
        if tokio::fs::try_exists(&dest).await? {
            tokio::fs::remove_file(path).await.ok();
            return Ok(false);
        }
        self.move_into(path, &dest).await?;
        Ok(true)
    }

    async fn put_staged(&self, key: &BlobKey, path: &Path) -> anyhow::Result<()> {
        super::staged_only(key)?;
        self.move_into(path, &self.path(key)).await
    }

    async fn remove_staged(&self, key: &BlobKey) -> anyhow::Result<()> {
        super::staged_only(key)?;
        match tokio::fs::remove_file(self.path(key)).await {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Err(e).context("Failed to delete a staged file")
            }
            _ => Ok(()),
        }
    }

    async fn put_derivative(&self, key: &BlobKey, bytes: &[u8]) -> anyhow::Result<()> {
        anyhow::ensure!(
            matches!(key, BlobKey::Derivative(..)),
            "originals are written with a BlobWriter"
        );
        let (mut file, temp) = self.temp_file()?;
        file.write_all(bytes).await?;
        file.sync_all().await?;
        drop(file);
        publish(temp, &self.path(key)).await
    }

    async fn size(&self, key: &BlobKey) -> anyhow::Result<Option<u64>> {
        match tokio::fs::metadata(self.path(key)).await {
            Ok(m) => Ok(Some(m.len())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e).context("Failed to read a blob's size"),
        }
    }

    async fn read_range(
        &self,
        key: &BlobKey,
        start: u64,
        len: u64,
    ) -> anyhow::Result<Option<super::ByteStream>> {
        use tokio::io::{AsyncReadExt, AsyncSeekExt};
        let mut file = match tokio::fs::File::open(self.path(key)).await {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e).context("Failed to open a blob"),
        };
        file.seek(std::io::SeekFrom::Start(start)).await?;
        let stream = tokio_util::io::ReaderStream::with_capacity(file.take(len), 256 * 1024);
        Ok(Some(Box::pin(stream)))
    }

    async fn read(&self, key: &BlobKey) -> anyhow::Result<Option<Vec<u8>>> {
        match tokio::fs::read(self.path(key)).await {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e).context("Failed to read a blob"),
        }
    }

    async fn exists(&self, key: &BlobKey) -> anyhow::Result<bool> {
        Ok(tokio::fs::try_exists(self.path(key)).await?)
    }

    async fn originals(&self) -> anyhow::Result<Vec<Sha256Hex>> {
        // Originals are the files two shard levels down (`ab/cd/<sha256>`); `derived/` and
        // `tmp/` are not two-hex-digit shards, and a file with a name that is no hash is
        // not an original.
        let root = self.root.clone();
        tokio::task::spawn_blocking(move || -> anyhow::Result<Vec<Sha256Hex>> {
            let shard = |e: &std::fs::DirEntry| {
                let name = e.file_name();
                let name = name.to_string_lossy();
                name.len() == 2 && name.bytes().all(|b| b.is_ascii_hexdigit())
            };
            let mut out = Vec::new();
            for a in std::fs::read_dir(&root)? {
                let a = a?;
                if !shard(&a) || !a.file_type()?.is_dir() {
                    continue;
                }
                for b in std::fs::read_dir(a.path())? {
                    let b = b?;
                    if !shard(&b) || !b.file_type()?.is_dir() {
                        continue;
                    }
                    for f in std::fs::read_dir(b.path())? {
                        let f = f?;
                        if let Some(sha) = Sha256Hex::parse(&f.file_name().to_string_lossy())
                            && f.file_type()?.is_file()
                        {
                            out.push(sha);
                        }
                    }
                }
            }
            out.sort();
            Ok(out)
        })
        .await?
    }

    fn kind(&self) -> &'static str {
        "folder"
    }

    async fn check(&self) -> anyhow::Result<()> {
        let (mut file, _temp) = self.temp_file()?;
        file.write_all(b"ok")
            .await
            .context("The media folder is not writable")
    }

    fn local_path(&self, key: &BlobKey) -> Option<PathBuf> {
        Some(self.path(key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn originals_land_under_their_hash_and_deduplicate() {
        let dir = tempfile::tempdir().unwrap();
        let store = FsStore::open(dir.path()).await.unwrap();
        let first = super::super::put_bytes(&store, b"hello").await.unwrap();
        assert!(first.created);
        let path = dir.path().join("2c/f2").join(first.sha256.as_str());
        assert_eq!(std::fs::read(path).unwrap(), b"hello");
        let again = super::super::put_bytes(&store, b"hello").await.unwrap();
        assert!(!again.created);
        assert_eq!(
            std::fs::read_dir(dir.path().join("tmp")).unwrap().count(),
            0,
            "temp files left behind"
        );
    }

    #[tokio::test]
    async fn an_uncommitted_writer_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let store = FsStore::open(dir.path()).await.unwrap();
        let mut w = store.writer().await.unwrap();
        w.write(b"partial").await.unwrap();
        drop(w);
        assert_eq!(
            std::fs::read_dir(dir.path().join("tmp")).unwrap().count(),
            0
        );
        let entries: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            entries.len(),
            2,
            "only derived/ and tmp/ expected: {entries:?}"
        );
    }

    #[tokio::test]
    async fn crash_leftovers_in_tmp_are_cleared_on_open() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("tmp")).unwrap();
        let leftover = dir.path().join("tmp/upload-xyz");
        std::fs::write(&leftover, b"half").unwrap();
        let long_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3 * 86400);
        let file = std::fs::File::options()
            .write(true)
            .open(&leftover)
            .unwrap();
        file.set_modified(long_ago).unwrap();
        FsStore::open(dir.path()).await.unwrap();
        assert_eq!(
            std::fs::read_dir(dir.path().join("tmp")).unwrap().count(),
            0
        );
    }
}
