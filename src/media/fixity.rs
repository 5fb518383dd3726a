//! Fixity: proof that every original is still the file that was stored. Each original is
//! read whole and hashed again (its name is its SHA-256), and the store is compared with
//! the media records: a record whose file is gone, or a file whose bytes changed, is damage
//! to report at once; a file no record uses (left by a removed media record) is only
//! counted. Nothing is changed or deleted.

use crate::catalogue::types::Slug;
use crate::store::{BlobKey, BlobStore, Sha256Hex};
use anyhow::Context;
use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};

/// A damaged original and the items (or the bases' hall panoramas) that show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Damage {
    /// The content address.
    pub sha256: String,
    /// The items whose media records name it.
    pub items: Vec<Slug>,
    /// The bases whose panoramas show it.
    #[serde(default)]
    pub bases: Vec<Slug>,
}

/// What a fixity check found.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixityReport {
    /// Originals read and hashed.
    pub checked: usize,
    /// Their bytes.
    pub bytes: u64,
    /// Named by media records but not in the store.
    pub missing: Vec<Damage>,
    /// In the store, but their bytes no longer hash to their name.
    pub corrupt: Vec<Damage>,
    /// In the store, named by no media record.
    pub unreferenced: usize,
    /// Their bytes.
    pub unreferenced_bytes: u64,
}

impl FixityReport {
    /// True when nothing is missing or corrupt.
    pub fn intact(&self) -> bool {
        self.missing.is_empty() && self.corrupt.is_empty()
    }
}

/// A finished check, as it is kept for the dashboard and `/metrics`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixityRun {
    /// When it finished.
    pub at: DateTime<Utc>,
    /// The ISO week it counts for (`2026-W48`): the server checks once a week.
    pub week: String,
    /// What it found.
    pub report: FixityReport,
}

/// The ISO week of a moment, as the weekly check names it.
pub fn week_of(at: DateTime<Utc>) -> String {
    at.format("%G-W%V").to_string()
}

/// Hashes one original; `None` when it vanished meanwhile.
async fn hash(blobs: &dyn BlobStore, sha: &Sha256Hex) -> anyhow::Result<Option<(String, u64)>> {
    let key = BlobKey::Original(sha.clone());
    let Some(size) = blobs.size(&key).await? else {
        return Ok(None);
    };
    let Some(mut stream) = blobs.read_range(&key, 0, size).await? else {
        return Ok(None);
    };
    let mut hasher = Sha256::new();
    let mut read = 0u64;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.with_context(|| format!("reading the original {sha}"))?;
        read += chunk.len() as u64;
        hasher.update(&chunk);
    }
    Ok(Some((hex::encode(hasher.finalize()), read)))
}

/// Checks every original in `blobs` against the media records (`(sha256, item)` pairs)
/// and the panoramas (`(sha256, base)` pairs). `progress` hears each original as it is
/// checked.
pub async fn check(
    blobs: &dyn BlobStore,
    records: Vec<(String, Slug)>,
    panoramas: Vec<(String, Slug)>,
    progress: &mut (dyn FnMut(usize, usize) + Send),
) -> anyhow::Result<FixityReport> {
    // Who shows each original: (items, bases).
    let mut named: BTreeMap<String, (Vec<Slug>, Vec<Slug>)> = BTreeMap::new();
    for (sha, item) in records {
        let (items, _) = named.entry(sha).or_default();
        if !items.contains(&item) {
            items.push(item);
        }
    }
    for (sha, base) in panoramas {
        let (_, bases) = named.entry(sha).or_default();
        if !bases.contains(&base) {
            bases.push(base);
        }
    }
    let damage = |sha: &str, shown: Option<&(Vec<Slug>, Vec<Slug>)>| {
        let (items, bases) = shown.cloned().unwrap_or_default();
        Damage {
            sha256: sha.to_owned(),
            items,
            bases,
        }
    };
    let originals = blobs.originals().await?;
    let stored: BTreeSet<&str> = originals.iter().map(Sha256Hex::as_str).collect();
    let mut report = FixityReport::default();
    for (sha, shown) in &named {
        if !stored.contains(sha.as_str()) {
            report.missing.push(damage(sha, Some(shown)));
        }
    }
    for (i, sha) in originals.iter().enumerate() {
        progress(i + 1, originals.len());
        let Some((actual, bytes)) = hash(blobs, sha).await? else {
            continue;
        };
        report.checked += 1;
        report.bytes += bytes;
        let shown = named.get(sha.as_str());
        if actual != sha.as_str() {
            report.corrupt.push(damage(sha.as_str(), shown));
        }
        if shown.is_none() {
            report.unreferenced += 1;
            report.unreferenced_bytes += bytes;
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{MemoryStore, put_bytes};

    #[tokio::test]
    async fn missing_and_unused_originals_are_told_apart() {
        // (Corrupt files are made on a real disk in the integration tests.)
        let store = MemoryStore::new();
        let good = put_bytes(&store, b"a photo").await.unwrap().sha256;
        let spare = put_bytes(&store, b"a removed photo").await.unwrap().sha256;
        let gone = Sha256Hex::of(b"never stored");
        let saddle = Slug::parse("saddle").unwrap();
        let records = vec![
            (good.to_string(), saddle.clone()),
            (good.to_string(), saddle.clone()),
            (gone.to_string(), Slug::parse("fiddle").unwrap()),
        ];
        let mut seen = 0;
        let report = check(&store, records, Vec::new(), &mut |_, _| seen += 1)
            .await
            .unwrap();
        assert_eq!(seen, 2);
        assert_eq!(report.checked, 2);
        assert_eq!(
            report.missing,
            [Damage {
                sha256: gone.to_string(),
                items: vec![Slug::parse("fiddle").unwrap()],
                bases: Vec::new(),
            }]
        );
        assert!(report.corrupt.is_empty());
        assert_eq!(report.unreferenced, 1, "{spare} is counted, not damage");
        assert!(!report.intact());
    }
}
