//! In-memory caches on the serving path: the bytes of hot derivatives and small originals
//! (bounded by total size), and which content addresses are public (kept briefly, so a
//! withdrawn item disappears within `PUBLIC_TTL`).

use crate::catalogue::repo::ServedMedia;
use crate::store::Sha256Hex;
use bytes::Bytes;
use std::sync::Arc;
use std::time::Duration;

/// How long "this hash is public" is believed without asking the database again.
pub const PUBLIC_TTL: Duration = Duration::from_secs(30);
/// Files up to this size are kept in memory when served.
pub const MAX_CACHED_FILE: u64 = 2 << 20;

/// The serving caches.
pub struct HotCache {
    bytes: moka::sync::Cache<(Sha256Hex, String), Bytes>,
    public: moka::sync::Cache<Sha256Hex, Option<Arc<ServedMedia>>>,
}

impl HotCache {
    /// Caches holding at most `max_bytes` of file contents.
    pub fn new(max_bytes: u64) -> HotCache {
        HotCache {
            bytes: moka::sync::Cache::builder()
                .max_capacity(max_bytes)
                .weigher(|_, v: &Bytes| u32::try_from(v.len()).unwrap_or(u32::MAX))
                .build(),
            public: moka::sync::Cache::builder()
                .max_capacity(100_000)
                .time_to_live(PUBLIC_TTL)
                .build(),
        }
    }

    /// Cached bytes of a variant.
    pub fn get(&self, sha: &Sha256Hex, variant: &str) -> Option<Bytes> {
        self.bytes.get(&(sha.clone(), variant.to_owned()))
    }

    /// Remembers the bytes of a variant.
    pub fn put(&self, sha: &Sha256Hex, variant: &str, bytes: Bytes) {
        if bytes.len() as u64 <= MAX_CACHED_FILE {
            self.bytes.insert((sha.clone(), variant.to_owned()), bytes);
        }
    }

    /// The remembered public record of a hash: `Some(None)` means "known not public".
    pub fn public(&self, sha: &Sha256Hex) -> Option<Option<Arc<ServedMedia>>> {
        self.public.get(sha)
    }

    /// Remembers whether a hash is public.
    pub fn set_public(&self, sha: &Sha256Hex, media: Option<Arc<ServedMedia>>) {
        self.public.insert(sha.clone(), media);
    }
}
