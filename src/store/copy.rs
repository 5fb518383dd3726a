//! Copying every original from one blob store into another — from the media folder into
//! an object store when a site grows to several nodes, or back — checking each file's
//! hash on the way. Derivatives are not copied: the new store makes them again when asked.

use super::{BlobKey, BlobStore, Sha256Hex};
use futures_util::StreamExt;
use sha2::{Digest, Sha256};

/// What a copy did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CopyReport {
    /// Originals copied.
    pub copied: usize,
    /// Their bytes.
    pub copied_bytes: u64,
    /// Originals the target had already (left as they are).
    pub present: usize,
    /// Originals whose bytes no longer match their hash: not copied.
    pub corrupt: Vec<Sha256Hex>,
    /// Originals listed by the source but gone when read: not copied.
    pub missing: Vec<Sha256Hex>,
}

impl CopyReport {
    /// True when every original of the source is now in the target, intact.
    pub fn complete(&self) -> bool {
        self.corrupt.is_empty() && self.missing.is_empty()
    }
}

/// Copies every original of `from` that `to` lacks. `progress` hears (done, total).
/// A file whose bytes do not hash to its name is reported and never written: the target
/// only ever holds intact files.
pub async fn copy_originals(
    from: &dyn BlobStore,
    to: &dyn BlobStore,
    progress: &mut (dyn FnMut(usize, usize) + Send),
) -> anyhow::Result<CopyReport> {
    let originals = from.originals().await?;
    let total = originals.len();
    let mut report = CopyReport::default();
    for (done, sha) in originals.into_iter().enumerate() {
        progress(done, total);
        let key = BlobKey::Original(sha.clone());
        if to.exists(&key).await? {
            report.present += 1;
            continue;
        }
        let Some(size) = from.size(&key).await? else {
            report.missing.push(sha);
            continue;
        };
        let Some(mut chunks) = from.read_range(&key, 0, size).await? else {
            report.missing.push(sha);
            continue;
        };
        let mut writer = to.writer().await?;
        let mut hasher = Sha256::new();
        while let Some(chunk) = chunks.next().await {
            let chunk = chunk?;
            hasher.update(&chunk);
            writer.write(&chunk).await?;
        }
        if hex::encode(hasher.finalize()) != sha.as_str() {
            // Dropping the writer uncommitted stores nothing.
            report.corrupt.push(sha);
            continue;
        }
        let stored = writer.commit().await?;
        report.copied += 1;
        report.copied_bytes += stored.bytes;
    }
    progress(total, total);
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{FsStore, MemoryStore, put_bytes};

    #[tokio::test]
    async fn intact_originals_are_copied_once_and_damaged_ones_never() {
        let dir = tempfile::tempdir().unwrap();
        let from = FsStore::open(dir.path()).await.unwrap();
        let good = put_bytes(&from, b"a photograph of a ger").await.unwrap();
        let bad = put_bytes(&from, b"a recording of Urliger").await.unwrap();
        let shard = &bad.sha256.as_str()[..2];
        let file = dir
            .path()
            .join(shard)
            .join(&bad.sha256.as_str()[2..4])
            .join(bad.sha256.as_str());
        std::fs::write(&file, b"a recording of Urligex").unwrap();
        from.put_derivative(
            &BlobKey::Derivative(good.sha256.clone(), "w400.jpg"),
            b"small",
        )
        .await
        .unwrap();

        let to = MemoryStore::new();
        let mut heard = Vec::new();
        let report = copy_originals(&from, &to, &mut |d, t| heard.push((d, t)))
            .await
            .unwrap();
        assert_eq!(report.copied, 1);
        assert_eq!(report.copied_bytes, 21);
        assert_eq!(report.corrupt, vec![bad.sha256.clone()]);
        assert!(!report.complete());
        assert_eq!(to.originals().await.unwrap(), vec![good.sha256.clone()]);
        assert_eq!(
            to.len(),
            1,
            "neither the damaged file nor a derivative is copied"
        );
        assert_eq!(heard.last(), Some(&(2, 2)));

        let again = copy_originals(&from, &to, &mut |_, _| {}).await.unwrap();
        assert_eq!((again.copied, again.present), (0, 1));
    }
}
