//! Blobs in memory, for tests.

use super::{BlobKey, BlobStore, BlobWriter, Sha256Hex, StoredBlob};
use async_trait::async_trait;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A blob store that forgets everything when dropped.
#[derive(Default, Clone)]
pub struct MemoryStore {
    blobs: Arc<Mutex<HashMap<BlobKey, Vec<u8>>>>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }

    /// How many blobs of any kind are stored.
    pub fn len(&self) -> usize {
        self.blobs.lock().expect("not poisoned").len()
    }

    /// True when nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

struct MemoryWriter {
    buffer: Vec<u8>,
    blobs: Arc<Mutex<HashMap<BlobKey, Vec<u8>>>>,
}

#[async_trait]
impl BlobWriter for MemoryWriter {
    async fn write(&mut self, chunk: &[u8]) -> anyhow::Result<()> {
        self.buffer.extend_from_slice(chunk);
        Ok(())
    }

    async fn commit(self: Box<Self>) -> anyhow::Result<StoredBlob> {
        let sha256 = Sha256Hex::of(&self.buffer);
        let bytes = self.buffer.len() as u64;
        let mut blobs = self.blobs.lock().expect("not poisoned");
        let key = BlobKey::Original(sha256.clone());
        let created = !blobs.contains_key(&key);
        blobs.entry(key).or_insert(self.buffer);
        Ok(StoredBlob {
            sha256,
            bytes,
            created,
        })
    }
}

#[async_trait]
impl BlobStore for MemoryStore {
    async fn writer(&self) -> anyhow::Result<Box<dyn BlobWriter>> {
        Ok(Box::new(MemoryWriter {
            buffer: Vec::new(),
            blobs: self.blobs.clone(),
        }))
    }

    async fn adopt(&self, path: &std::path::Path, sha256: &Sha256Hex) -> anyhow::Result<bool> {
        let bytes = tokio::fs::read(path).await?;
        tokio::fs::remove_file(path).await.ok();
        anyhow::ensure!(
            &Sha256Hex::of(&bytes) == sha256,
            "the staged file does not match its hash"
        );
        let mut blobs = self.blobs.lock().expect("not poisoned");
        let key = BlobKey::Original(sha256.clone());
        let created = !blobs.contains_key(&key);
        blobs.entry(key).or_insert(bytes);
        Ok(created)
    }

    async fn put_staged(&self, key: &BlobKey, path: &std::path::Path) -> anyhow::Result<()> {
        super::staged_only(key)?;
        let bytes = tokio::fs::read(path).await?;
        tokio::fs::remove_file(path).await.ok();
        self.blobs
            .lock()
            .expect("not poisoned")
            .insert(key.clone(), bytes);
        Ok(())
    }

    async fn remove_staged(&self, key: &BlobKey) -> anyhow::Result<()> {
        super::staged_only(key)?;
        self.blobs.lock().expect("not poisoned").remove(key);
        Ok(())
    }

    async fn put_derivative(&self, key: &BlobKey, bytes: &[u8]) -> anyhow::Result<()> {
        anyhow::ensure!(
            matches!(key, BlobKey::Derivative(..)),
            "originals are written with a BlobWriter"
        );
        self.blobs
            .lock()
            .expect("not poisoned")
            .insert(key.clone(), bytes.to_vec());
        Ok(())
    }

    async fn size(&self, key: &BlobKey) -> anyhow::Result<Option<u64>> {
        Ok(self
            .blobs
            .lock()
            .expect("not poisoned")
            .get(key)
            .map(|b| b.len() as u64))
    }

    async fn read_range(
        &self,
        key: &BlobKey,
        start: u64,
        len: u64,
    ) -> anyhow::Result<Option<super::ByteStream>> {
        let Some(blob) = self.blobs.lock().expect("not poisoned").get(key).cloned() else {
            return Ok(None);
        };
        let start = (start as usize).min(blob.len());
        let end = start.saturating_add(len as usize).min(blob.len());
        let chunk = bytes::Bytes::copy_from_slice(&blob[start..end]);
        Ok(Some(Box::pin(futures_util::stream::iter([Ok(chunk)]))))
    }

    async fn read(&self, key: &BlobKey) -> anyhow::Result<Option<Vec<u8>>> {
        Ok(self.blobs.lock().expect("not poisoned").get(key).cloned())
    }

    async fn exists(&self, key: &BlobKey) -> anyhow::Result<bool> {
        Ok(self.blobs.lock().expect("not poisoned").contains_key(key))
    }

    async fn originals(&self) -> anyhow::Result<Vec<Sha256Hex>> {
        let mut out: Vec<Sha256Hex> = self
            .blobs
            .lock()
            .expect("not poisoned")
            .keys()
            .filter_map(|k| match k {
                BlobKey::Original(sha) => Some(sha.clone()),
                BlobKey::Derivative(..) | BlobKey::Staged(_) => None,
            })
            .collect();
        out.sort();
        Ok(out)
    }

    fn kind(&self) -> &'static str {
        "memory"
    }

    async fn check(&self) -> anyhow::Result<()> {
        Ok(())
    }
}
