//! Blob storage: content-addressed originals and derivative caches.
//!
//! Originals are named by the SHA-256 of their bytes and written once: a [`BlobWriter`]
//! streams into a temporary file beside the final place while hashing, then syncs and
//! renames it into place. Nothing is ever stored under a name a user chose.

mod copy;
mod fs;
mod hashing;
mod memory;
mod s3;

pub use copy::{CopyReport, copy_originals};
pub use fs::FsStore;
pub use hashing::is_leftover;
pub use memory::MemoryStore;
pub use s3::{S3Store, S3Url};

use async_trait::async_trait;
use std::fmt;

/// What a blob is: an original, or a derivative of one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum BlobKey {
    /// The original file, by the hex SHA-256 of its bytes.
    Original(Sha256Hex),
    /// A derived file (e.g. a 400 px JPEG) of the original with this hash.
    Derivative(Sha256Hex, &'static str),
    /// A file waiting for a background job (a bulk import's media zip), deleted after it.
    Staged(StagedId),
}

impl BlobKey {
    /// The staged file named `id`, if `id` is a valid token (see [`StagedId::parse`]).
    pub fn staged(id: &str) -> Option<BlobKey> {
        StagedId::parse(id).map(BlobKey::Staged)
    }
}

/// The name of a staged file: a random token, checked, so it is safe in a path or a key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StagedId(String);

impl StagedId {
    /// Checks that `s` looks like one of our tokens (20 to 64 base64url characters).
    pub fn parse(s: &str) -> Option<StagedId> {
        ((20..=64).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
        .then(|| StagedId(s.to_owned()))
    }

    /// The token.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A lowercase hex SHA-256, checked.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sha256Hex(String);

impl Sha256Hex {
    /// Checks that `s` is 64 lowercase hex digits.
    pub fn parse(s: &str) -> Option<Sha256Hex> {
        (s.len() == 64
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
        .then(|| Sha256Hex(s.to_owned()))
    }

    /// The hash of some bytes.
    pub fn of(bytes: &[u8]) -> Sha256Hex {
        use sha2::Digest;
        Sha256Hex(hex::encode(sha2::Sha256::digest(bytes)))
    }

    /// The hex digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Sha256Hex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Bytes arriving in chunks.
pub type ByteStream =
    std::pin::Pin<Box<dyn futures_core::Stream<Item = std::io::Result<bytes::Bytes>> + Send>>;

/// An original that has been stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredBlob {
    /// Its content address.
    pub sha256: Sha256Hex,
    /// Its size.
    pub bytes: u64,
    /// False when identical bytes were already stored (deduplicated).
    pub created: bool,
}

/// Streams one original into the store.
#[async_trait]
pub trait BlobWriter: Send {
    /// Appends bytes (and hashes them).
    async fn write(&mut self, chunk: &[u8]) -> anyhow::Result<()>;
    /// Makes the bytes durable under their hash and visible. Dropping the writer without
    /// committing discards everything written.
    async fn commit(self: Box<Self>) -> anyhow::Result<StoredBlob>;
}

/// Where blobs live: a local folder, an S3-compatible object store, or memory (tests).
#[async_trait]
pub trait BlobStore: Send + Sync {
    /// Starts streaming a new original.
    async fn writer(&self) -> anyhow::Result<Box<dyn BlobWriter>>;
    /// Moves a finished local file, whose SHA-256 the caller computed while writing it, into
    /// the store as that original. The file is consumed either way. Returns false when the
    /// same bytes were stored already.
    async fn adopt(&self, path: &std::path::Path, sha256: &Sha256Hex) -> anyhow::Result<bool>;
    /// Stores a derivative (replacing any previous one), atomically.
    async fn put_derivative(&self, key: &BlobKey, bytes: &[u8]) -> anyhow::Result<()>;
    /// Moves a local file into the store as the staged file `key` (a [`BlobKey::Staged`]),
    /// replacing any before. The local file is consumed.
    async fn put_staged(&self, key: &BlobKey, path: &std::path::Path) -> anyhow::Result<()>;
    /// Deletes a staged file (nothing else can be deleted this way); gone already is fine.
    async fn remove_staged(&self, key: &BlobKey) -> anyhow::Result<()>;
    /// The size of a blob, or `None` if it does not exist.
    async fn size(&self, key: &BlobKey) -> anyhow::Result<Option<u64>>;
    /// `len` bytes of a blob from `start`, streamed (video seeks ask for ranges of huge
    /// files). The caller keeps the range within the blob's size.
    async fn read_range(
        &self,
        key: &BlobKey,
        start: u64,
        len: u64,
    ) -> anyhow::Result<Option<ByteStream>>;
    /// Reads a whole blob, or `None` if it does not exist.
    async fn read(&self, key: &BlobKey) -> anyhow::Result<Option<Vec<u8>>>;
    /// True if the blob exists.
    async fn exists(&self, key: &BlobKey) -> anyhow::Result<bool>;
    /// Every original in the store, in hash order (for fixity checks).
    async fn originals(&self) -> anyhow::Result<Vec<Sha256Hex>>;
    /// What kind of store this is, for `/readyz`: `folder`, `s3` or `memory`.
    fn kind(&self) -> &'static str;
    /// Checks that the store can be written (for `/readyz`).
    async fn check(&self) -> anyhow::Result<()>;
    /// Where a blob's file is on this machine, for stores that keep files locally (so that
    /// the server can hand them to the kernel with `sendfile`); `None` for other stores.
    fn local_path(&self, _key: &BlobKey) -> Option<std::path::PathBuf> {
        None
    }
}

/// A file of the store on this machine: its own path when the store keeps files locally,
/// else a copy downloaded to `scratch`. `None` when the store has no such blob.
pub async fn local_copy(
    store: &dyn BlobStore,
    key: &BlobKey,
    scratch: &std::path::Path,
) -> anyhow::Result<Option<std::path::PathBuf>> {
    use futures_util::StreamExt;
    use tokio::io::AsyncWriteExt;
    if let Some(path) = store.local_path(key) {
        return Ok(tokio::fs::try_exists(&path).await?.then_some(path));
    }
    let Some(size) = store.size(key).await? else {
        return Ok(None);
    };
    let Some(mut stream) = store.read_range(key, 0, size).await? else {
        return Ok(None);
    };
    let mut file = tokio::fs::File::create(scratch).await?;
    while let Some(chunk) = stream.next().await {
        file.write_all(&chunk?).await?;
    }
    file.flush().await?;
    Ok(Some(scratch.to_owned()))
}

/// Refuses keys other than staged files, for the calls only they take.
fn staged_only(key: &BlobKey) -> anyhow::Result<()> {
    anyhow::ensure!(
        matches!(key, BlobKey::Staged(_)),
        "only staged files can be put or removed this way"
    );
    Ok(())
}

/// Stores a whole in-memory file as an original.
pub async fn put_bytes(store: &dyn BlobStore, bytes: &[u8]) -> anyhow::Result<StoredBlob> {
    let mut writer = store.writer().await?;
    for chunk in bytes.chunks(1 << 20) {
        writer.write(chunk).await?;
    }
    writer.commit().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_lowercase_hex_of_the_right_length_is_a_hash() {
        let h = Sha256Hex::of(b"abc");
        assert_eq!(
            h.as_str(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(Sha256Hex::parse(h.as_str()).is_some());
        assert!(Sha256Hex::parse(&h.as_str().to_uppercase()).is_none());
        assert!(Sha256Hex::parse("../../etc/passwd").is_none());
        assert!(Sha256Hex::parse(&h.as_str()[1..]).is_none());
    }
}
