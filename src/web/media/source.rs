//! Where a media answer's bytes come from: memory (small files and derivatives), cached
//! chunks of large originals (short ranges, such as video seeks), or the store (long
//! ranges, streamed).

use crate::app::AppState;
use crate::error::AppError;
use crate::store::{BlobKey, Sha256Hex};
use axum::body::Body;
use bytes::Bytes;
use std::ops::RangeInclusive;

/// Where the bytes come from.
pub(super) enum Source {
    /// The bytes, in memory.
    Memory(Bytes),
    /// A file in the store, and its length.
    Store(BlobKey, u64),
}

impl Source {
    /// The file's length.
    pub(super) fn len(&self) -> u64 {
        match self {
            Source::Memory(b) => b.len() as u64,
            Source::Store(_, n) => *n,
        }
    }

    /// Bytes `r` as a body: a slice of memory, cached chunks, or streamed from the store.
    pub(super) async fn range(
        &self,
        state: &AppState,
        r: &RangeInclusive<u64>,
    ) -> Result<Body, AppError> {
        let len = r.end() - r.start() + 1;
        Ok(match self {
            Source::Memory(b) => Body::from(b.slice(*r.start() as usize..=*r.end() as usize)),
            // Short ranges (a video seek, a PDF page) come from cached chunks.
            Source::Store(key, size) if len <= CHUNKED_RANGE_MAX => {
                let mut parts = Vec::new();
                for n in r.start() / CHUNK..=r.end() / CHUNK {
                    let chunk = chunk(state, key, *size, n).await?;
                    let from = r.start().saturating_sub(n * CHUNK) as usize;
                    let to = ((r.end() - n * CHUNK) as usize).min(chunk.len() - 1);
                    parts.push(chunk.slice(from..=to));
                }
                match parts.len() {
                    1 => Body::from(parts.pop().expect("one part")),
                    _ => Body::from_stream(futures_util::stream::iter(
                        parts.into_iter().map(Ok::<_, std::io::Error>),
                    )),
                }
            }
            Source::Store(key, _) => Body::from_stream(
                state
                    .blobs
                    .read_range(key, *r.start(), len)
                    .await?
                    .ok_or(AppError::NotFound)?,
            ),
        })
    }

    /// Bytes `r` in memory (the parts of a multipart answer).
    pub(super) async fn collect(
        &self,
        state: &AppState,
        r: &RangeInclusive<u64>,
    ) -> Result<Bytes, AppError> {
        match self {
            Source::Memory(b) => Ok(b.slice(*r.start() as usize..=*r.end() as usize)),
            Source::Store(..) => {
                let body = self.range(state, r).await?;
                axum::body::to_bytes(body, usize::MAX)
                    .await
                    .map_err(|e| AppError::Internal(anyhow::anyhow!("reading a range: {e}")))
            }
        }
    }
}

/// Large originals are cached in chunks of this size for range requests.
pub(super) const CHUNK: u64 = 256 * 1024;
/// Ranges up to this length are served from cached chunks; longer ones stream from the store.
pub(super) const CHUNKED_RANGE_MAX: u64 = 4 << 20;

/// Chunk `n` of a large original, from the hot cache or the store.
async fn chunk(state: &AppState, key: &BlobKey, size: u64, n: u64) -> Result<Bytes, AppError> {
    let BlobKey::Original(sha) = key else {
        return Err(AppError::NotFound);
    };
    let name = chunk_name(n);
    if let Some(b) = state.hot.get(sha, &name) {
        return Ok(b);
    }
    let start = n * CHUNK;
    let len = CHUNK.min(size.saturating_sub(start));
    let stream = state
        .blobs
        .read_range(key, start, len)
        .await?
        .ok_or(AppError::NotFound)?;
    let bytes = axum::body::to_bytes(Body::from_stream(stream), usize::MAX)
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("reading a chunk: {e}")))?;
    state.hot.put(sha, &name, bytes.clone());
    Ok(bytes)
}

/// Bytes `start..=end` of a large original from its cached chunk, when the range lies in
/// one chunk that is in memory.
pub(super) fn cached_slice(
    state: &AppState,
    sha: &Sha256Hex,
    start: u64,
    end: u64,
) -> Option<Bytes> {
    if end - start >= CHUNKED_RANGE_MAX || start / CHUNK != end / CHUNK {
        return None;
    }
    let n = start / CHUNK;
    let chunk = state.hot.get(sha, &chunk_name(n))?;
    Some(chunk.slice((start - n * CHUNK) as usize..=(end - n * CHUNK) as usize))
}

/// The hot-cache name of chunk `n` of a large original.
fn chunk_name(n: u64) -> String {
    format!("chunk-{n}")
}
