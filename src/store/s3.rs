//! Blobs in an S3-compatible object store (`--media-url s3://bucket/prefix`): the shape for
//! several stateless nodes sharing one catalogue. Keys mirror the folder store's layout —
//! originals at `prefix/ab/cd/<sha256>`, derivatives at `prefix/derived/ab/cd/<sha256>/
//! <variant>` — so a media folder copied into a bucket (`aws s3 sync data/media
//! s3://bucket/prefix`, `mc mirror`) is a valid store as it is.
//!
//! An original's key is its hash, known only after its last byte, so its bytes are spooled
//! to a local temporary file while they are hashed, then uploaded (in parts when large).
//! An object store shows an object whole or not at all, so a crash never leaves half a
//! file under a final key.

use super::hashing::{Hashed, HashingFile, clear_leftovers};
use super::{BlobKey, BlobStore, BlobWriter, ByteStream, Sha256Hex, StoredBlob};
use anyhow::Context;
use async_trait::async_trait;
use futures_util::StreamExt;
use object_store::path::Path as Key;
use object_store::{GetOptions, GetRange, ObjectStore, ObjectStoreExt, WriteMultipart};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::io::AsyncReadExt;

/// Files up to this size are uploaded in one request; larger ones in parts of this size.
const PART_BYTES: usize = 16 << 20;

/// Parts of one file in flight at once.
const PARTS_IN_FLIGHT: usize = 4;

/// Where the media live: an `s3://bucket/prefix` address, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Url {
    /// The bucket.
    pub bucket: String,
    /// Key prefix inside the bucket, without slashes at either end (may be empty).
    pub prefix: String,
}

impl S3Url {
    /// Parses `s3://bucket` or `s3://bucket/some/prefix`.
    pub fn parse(url: &str) -> anyhow::Result<S3Url> {
        let rest = url.strip_prefix("s3://").with_context(|| {
            format!("media_url {url:?} is not an s3://bucket/prefix address (only S3-compatible stores are supported; leave it unset for the media folder)")
        })?;
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        // S3's bucket naming rules: 3–63 lowercase letters, digits, dots and hyphens.
        let bucket_ok = (3..=63).contains(&bucket.len())
            && bucket
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
            && bucket.as_bytes()[0].is_ascii_alphanumeric();
        anyhow::ensure!(
            bucket_ok,
            "media_url {url:?}: {bucket:?} is not a bucket name (3 to 63 lowercase letters, digits, dots and hyphens)"
        );
        let prefix = prefix.trim_matches('/');
        anyhow::ensure!(
            prefix.split('/').all(|p| !matches!(p, "." | ".."))
                && !prefix.contains("//")
                && !prefix.chars().any(|c| c.is_control() || c == '\\'),
            "media_url {url:?}: the key prefix {prefix:?} must be plain names separated by single slashes"
        );
        Ok(S3Url {
            bucket: bucket.to_owned(),
            prefix: prefix.to_owned(),
        })
    }
}

impl std::fmt::Display for S3Url {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "s3://{}/{}", self.bucket, self.prefix)
    }
}

/// A blob store in an object store. Cloning shares the connection.
#[derive(Clone)]
pub struct S3Store {
    objects: Arc<dyn ObjectStore>,
    prefix: String,
    spool: PathBuf,
    /// When a write last proved the bucket writable (see [`BlobStore::check`]).
    last_check: Arc<std::sync::Mutex<Option<std::time::Instant>>>,
}

/// How long a successful write check stands: load balancers ask `/readyz` every few
/// seconds on every node, and each check is a PUT request.
const CHECK_STANDS: std::time::Duration = std::time::Duration::from_secs(10);

impl S3Store {
    /// Connects to the bucket `url` names, with the endpoint, region and credentials from
    /// the standard `AWS_*` environment variables (`AWS_ENDPOINT`, `AWS_REGION`,
    /// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_ALLOW_HTTP`…), so no secret is
    /// ever in a settings file. Originals are spooled in `spool` while they are hashed (a
    /// crash's leftovers there, older than a day, are cleared here).
    pub async fn open(url: &S3Url, spool: impl Into<PathBuf>) -> anyhow::Result<S3Store> {
        // reqwest's rustls has no built-in provider here: use ring, as signing does. A
        // second install (tests open several stores) is refused harmlessly.
        let _ = rustls::crypto::ring::default_provider().install_default();
        use object_store::ClientConfigKey;
        use object_store::aws::{AmazonS3Builder, AmazonS3ConfigKey};
        let mut builder = AmazonS3Builder::from_env().with_bucket_name(&url.bucket);
        // A request moves at most a part (16 MB) or one original: a slow link has five
        // minutes for it, and a minute without a byte is a stall (a stream that a visitor
        // paused is then resumed with a new request). AWS_TIMEOUT and AWS_READ_TIMEOUT
        // decide instead when set.
        for (variable, key, value) in [
            ("AWS_TIMEOUT", ClientConfigKey::Timeout, "300s"),
            ("AWS_READ_TIMEOUT", ClientConfigKey::ReadTimeout, "60s"),
        ] {
            if std::env::var_os(variable).is_none() {
                builder = builder.with_config(AmazonS3ConfigKey::Client(key), value);
            }
        }
        let objects = builder
            .build()
            .with_context(|| format!("Failed to set up the object store {url}"))?;
        S3Store::with_objects(Arc::new(objects), &url.prefix, spool).await
    }

    /// A store over any object store (tests use an in-memory one).
    pub async fn with_objects(
        objects: Arc<dyn ObjectStore>,
        prefix: &str,
        spool: impl Into<PathBuf>,
    ) -> anyhow::Result<S3Store> {
        let spool = spool.into();
        tokio::fs::create_dir_all(&spool)
            .await
            .with_context(|| format!("Failed to create {}", spool.display()))?;
        clear_leftovers(&spool).await?;
        Ok(S3Store {
            objects,
            prefix: prefix.trim_matches('/').to_owned(),
            spool,
            last_check: Arc::default(),
        })
    }

    fn key(&self, key: &BlobKey) -> Key {
        let shard = |sha: &Sha256Hex| {
            let s = sha.as_str();
            format!("{}/{}/{s}", &s[0..2], &s[2..4])
        };
        let name = match key {
            BlobKey::Original(sha) => shard(sha),
            BlobKey::Derivative(sha, variant) => format!("derived/{}/{variant}", shard(sha)),
            BlobKey::Staged(id) => format!("staging/{}", id.as_str()),
        };
        self.under_prefix(&name)
    }

    fn under_prefix(&self, name: &str) -> Key {
        if self.prefix.is_empty() {
            Key::from(name)
        } else {
            Key::from(format!("{}/{name}", self.prefix))
        }
    }

    /// The object's size, or `None` when there is none.
    async fn head(&self, key: &Key) -> anyhow::Result<Option<u64>> {
        match self.objects.head(key).await {
            Ok(meta) => Ok(Some(meta.size)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => {
                Err(e).with_context(|| format!("Failed to look up {key} in {}", self.objects))
            }
        }
    }

    /// Uploads a local file to `key`: in one request when small, else in parts.
    async fn upload(&self, path: &Path, key: &Key) -> anyhow::Result<()> {
        let mut file = tokio::fs::File::open(path)
            .await
            .context("Failed to open a spooled file")?;
        let size = file.metadata().await?.len();
        if size <= PART_BYTES as u64 {
            let mut bytes = Vec::with_capacity(size as usize);
            file.read_to_end(&mut bytes).await?;
            self.objects
                .put(key, bytes.into())
                .await
                .with_context(|| format!("Failed to upload {key} to {}", self.objects))?;
            return Ok(());
        }
        let upload = self
            .objects
            .put_multipart(key)
            .await
            .with_context(|| format!("Failed to start uploading {key} to {}", self.objects))?;
        let mut parts = WriteMultipart::new_with_chunk_size(upload, PART_BYTES);
        let mut buf = vec![0u8; 1 << 20];
        let sent = async {
            loop {
                let n = file.read(&mut buf).await?;
                if n == 0 {
                    break;
                }
                parts.wait_for_capacity(PARTS_IN_FLIGHT).await?;
                parts.write(&buf[..n]);
            }
            anyhow::Ok(())
        }
        .await;
        match sent {
            Ok(()) => {
                parts
                    .finish()
                    .await
                    .with_context(|| format!("Failed to upload {key} to {}", self.objects))?;
                Ok(())
            }
            Err(e) => {
                parts.abort().await.ok();
                Err(e).with_context(|| format!("Failed to upload {key} to {}", self.objects))
            }
        }
    }

    /// Stores a local file as the original `sha256` unless it is there already; the file
    /// is removed either way. True when it was new.
    async fn store_file(&self, path: &Path, sha256: &Sha256Hex) -> anyhow::Result<bool> {
        let key = self.key(&BlobKey::Original(sha256.clone()));
        let new = self.head(&key).await?.is_none();
        let result = if new {
            self.upload(path, &key).await
        } else {
            Ok(())
        };
        tokio::fs::remove_file(path).await.ok();
        result.map(|()| new)
    }
}

struct S3Writer {
    spool: HashingFile,
    store: S3Store,
}

#[async_trait]
impl BlobWriter for S3Writer {
    async fn write(&mut self, chunk: &[u8]) -> anyhow::Result<()> {
        self.spool.write(chunk).await
    }

    async fn commit(self: Box<Self>) -> anyhow::Result<StoredBlob> {
        let S3Writer { spool, store } = *self;
        let Hashed {
            temp,
            sha256,
            bytes,
        } = spool.finish(false).await?;
        // The upload removes the file; the temporary path then has nothing to delete.
        let created = store.store_file(&temp, &sha256).await?;
        Ok(StoredBlob {
            sha256,
            bytes,
            created,
        })
    }
}

#[async_trait]
impl BlobStore for S3Store {
    async fn writer(&self) -> anyhow::Result<Box<dyn BlobWriter>> {
        Ok(Box::new(S3Writer {
            spool: HashingFile::create_in(&self.spool)?,
            store: self.clone(),
        }))
    }

    async fn adopt(&self, path: &Path, sha256: &Sha256Hex) -> anyhow::Result<bool> {
        self.store_file(path, sha256).await
    }

    async fn put_staged(&self, key: &BlobKey, path: &Path) -> anyhow::Result<()> {
        super::staged_only(key)?;
        let result = self.upload(path, &self.key(key)).await;
        tokio::fs::remove_file(path).await.ok();
        result
    }

    async fn remove_staged(&self, key: &BlobKey) -> anyhow::Result<()> {
        super::staged_only(key)?;
        let key = self.key(key);
        match self.objects.delete(&key).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e).with_context(|| format!("Failed to delete {key} in {}", self.objects)),
        }
    }

    async fn put_derivative(&self, key: &BlobKey, bytes: &[u8]) -> anyhow::Result<()> {
        anyhow::ensure!(
            matches!(key, BlobKey::Derivative(..)),
            "originals are written with a BlobWriter"
        );
        let key = self.key(key);
        self.objects
            .put(&key, bytes::Bytes::copy_from_slice(bytes).into())
            .await
            .with_context(|| format!("Failed to upload {key} to {}", self.objects))?;
        Ok(())
    }

    async fn size(&self, key: &BlobKey) -> anyhow::Result<Option<u64>> {
        self.head(&self.key(key)).await
    }

    async fn read_range(
        &self,
        key: &BlobKey,
        start: u64,
        len: u64,
    ) -> anyhow::Result<Option<ByteStream>> {
        let key = self.key(key);
        if len == 0 {
            // Object stores refuse empty ranges; an empty answer needs no request but the
            // object must exist.
            return Ok(self
                .head(&key)
                .await?
                .map(|_| Box::pin(futures_util::stream::empty()) as ByteStream));
        }
        // object_store resumes a body that breaks (a visitor paused a video longer than a
        // request may take) with a request for the rest, so the stream survives pauses.
        let options = GetOptions::new().with_range(Some(GetRange::Bounded(start..start + len)));
        match self.objects.get_opts(&key, options).await {
            Ok(got) => Ok(Some(Box::pin(
                got.into_stream()
                    .map(|chunk| chunk.map_err(std::io::Error::other)),
            ))),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e).with_context(|| format!("Failed to read {key} from {}", self.objects)),
        }
    }

    async fn read(&self, key: &BlobKey) -> anyhow::Result<Option<Vec<u8>>> {
        let key = self.key(key);
        let got = match self.objects.get(&key).await {
            Ok(got) => got,
            Err(object_store::Error::NotFound { .. }) => return Ok(None),
            Err(e) => {
                return Err(e)
                    .with_context(|| format!("Failed to read {key} from {}", self.objects));
            }
        };
        let bytes = got
            .bytes()
            .await
            .with_context(|| format!("Failed to read {key} from {}", self.objects))?;
        Ok(Some(bytes.to_vec()))
    }

    async fn exists(&self, key: &BlobKey) -> anyhow::Result<bool> {
        Ok(self.head(&self.key(key)).await?.is_some())
    }

    async fn originals(&self) -> anyhow::Result<Vec<Sha256Hex>> {
        // Originals are the keys exactly `ab/cd/<sha256>` below the prefix, with the shards
        // matching the hash; derivatives are under `derived/`.
        // Each first-level shard is listed on its own, so the derivatives (several per
        // image) are never listed at all.
        let prefix = (!self.prefix.is_empty()).then(|| Key::from(self.prefix.as_str()));
        let depth = prefix.as_ref().map_or(0, |p| p.parts_count());
        let top = self
            .objects
            .list_with_delimiter(prefix.as_ref())
            .await
            .with_context(|| format!("Failed to list {}", self.objects))?;
        let mut out = Vec::new();
        for shard in top.common_prefixes {
            let hex = shard.filename().unwrap_or("");
            if hex.len() != 2 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                continue; // derived/, or something that is not ours
            }
            let mut listing = self.objects.list(Some(&shard));
            while let Some(meta) = listing.next().await {
                let meta = meta.with_context(|| format!("Failed to list {}", self.objects))?;
                let parts: Vec<_> = meta.location.parts().skip(depth).collect();
                if let [a, b, name] = parts.as_slice()
                    && let Some(sha) = Sha256Hex::parse(name.as_ref())
                    && a.as_ref() == &sha.as_str()[0..2]
                    && b.as_ref() == &sha.as_str()[2..4]
                {
                    out.push(sha);
                }
            }
        }
        out.sort();
        Ok(out)
    }

    fn kind(&self) -> &'static str {
        "s3"
    }

    async fn check(&self) -> anyhow::Result<()> {
        let recent =
            |at: &Option<std::time::Instant>| at.is_some_and(|t| t.elapsed() < CHECK_STANDS);
        if recent(&self.last_check.lock().expect("not poisoned")) {
            return Ok(());
        }
        let key = self.under_prefix(".edubase-ready");
        self.objects
            .put(&key, bytes::Bytes::from_static(b"ok").into())
            .await
            .with_context(|| format!("The object store {} cannot be written", self.objects))?;
        *self.last_check.lock().expect("not poisoned") = Some(std::time::Instant::now());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_write_check_stands_for_a_few_seconds() {
        use object_store::ObjectStoreExt;
        let objects = Arc::new(object_store::memory::InMemory::new());
        let dir = tempfile::tempdir().unwrap();
        let store = S3Store::with_objects(objects.clone(), "p", dir.path())
            .await
            .unwrap();
        store.check().await.unwrap();
        let key = Key::from("p/.edubase-ready");
        objects.delete(&key).await.unwrap();
        store.check().await.unwrap();
        assert!(
            objects.head(&key).await.is_err(),
            "the second check wrote nothing"
        );
        *store.last_check.lock().unwrap() = Some(std::time::Instant::now() - CHECK_STANDS);
        store.check().await.unwrap();
        assert!(
            objects.head(&key).await.is_ok(),
            "an old check is made again"
        );
    }

    #[test]
    fn media_urls_name_a_bucket_and_a_plain_prefix() {
        let u = S3Url::parse("s3://heritage-media/edubase/media/").unwrap();
        assert_eq!(u.bucket, "heritage-media");
        assert_eq!(u.prefix, "edubase/media");
        assert_eq!(S3Url::parse("s3://heritage-media").unwrap().prefix, "");
        for bad in [
            "https://example.com/bucket",
            "/srv/media",
            "s3://",
            "s3://Heritage",
            "s3://ab",
            "s3://bucket_name/x",
            "s3://bucket/../etc",
            "s3://bucket/a//b",
        ] {
            assert!(S3Url::parse(bad).is_err(), "{bad} accepted");
        }
        let e = S3Url::parse("file:///srv/media").unwrap_err().to_string();
        assert!(e.contains("s3://bucket/prefix"), "{e}");
    }
}
