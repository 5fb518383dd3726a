//! Every blob store keeps the same promises: the media folder, memory, the object-store
//! code over an in-memory object store, and a real S3-compatible server when
//! `EDUBASE_TEST_S3_URL` names a bucket (CI runs one).

use edubase::store::{
    BlobKey, BlobStore, FsStore, MemoryStore, S3Store, S3Url, Sha256Hex, StagedId, put_bytes,
};
use futures_util::StreamExt;
use std::sync::Arc;

/// Each store under test, with the folder it may use for spooling.
async fn stores(dir: &std::path::Path) -> Vec<(&'static str, Arc<dyn BlobStore>)> {
    let mut out: Vec<(&'static str, Arc<dyn BlobStore>)> = vec![
        (
            "folder",
            Arc::new(FsStore::open(dir.join("media")).await.unwrap()),
        ),
        ("memory", Arc::new(MemoryStore::new())),
        (
            "object store (in memory)",
            Arc::new(
                S3Store::with_objects(
                    Arc::new(object_store::memory::InMemory::new()),
                    "edubase/media",
                    dir.join("spool-memory"),
                )
                .await
                .unwrap(),
            ),
        ),
    ];
    if let Ok(url) = std::env::var("EDUBASE_TEST_S3_URL") {
        let base = S3Url::parse(&url).unwrap();
        let url = S3Url {
            prefix: format!(
                "{}/stores-{}",
                base.prefix,
                hex::encode(crate::storage::rand_bytes())
            )
            .trim_start_matches('/')
            .to_owned(),
            ..base
        };
        out.push((
            "S3 server",
            Arc::new(S3Store::open(&url, dir.join("spool-s3")).await.unwrap()),
        ));
    }
    out
}

async fn range(store: &dyn BlobStore, key: &BlobKey, start: u64, len: u64) -> Option<Vec<u8>> {
    let mut stream = store.read_range(key, start, len).await.unwrap()?;
    let mut out = Vec::new();
    while let Some(chunk) = stream.next().await {
        out.extend_from_slice(&chunk.unwrap());
    }
    Some(out)
}

#[tokio::test]
async fn originals_are_stored_once_under_their_hash_and_read_back_whole_or_in_ranges() {
    let dir = tempfile::tempdir().unwrap();
    for (name, store) in stores(dir.path()).await {
        let store = store.as_ref();
        let text = "乌力格尔 — Urliger storytelling".repeat(100);
        let first = put_bytes(store, text.as_bytes()).await.unwrap();
        assert!(first.created, "{name}");
        assert_eq!(first.sha256, Sha256Hex::of(text.as_bytes()), "{name}");
        assert_eq!(first.bytes, text.len() as u64, "{name}");
        assert!(
            !put_bytes(store, text.as_bytes()).await.unwrap().created,
            "{name}: stored twice"
        );

        let key = BlobKey::Original(first.sha256.clone());
        assert!(store.exists(&key).await.unwrap(), "{name}");
        assert_eq!(
            store.size(&key).await.unwrap(),
            Some(text.len() as u64),
            "{name}"
        );
        assert_eq!(
            store.read(&key).await.unwrap().unwrap(),
            text.as_bytes(),
            "{name}"
        );
        assert_eq!(
            range(store, &key, 3, 12).await.unwrap(),
            &text.as_bytes()[3..15],
            "{name}: a range"
        );
        assert_eq!(
            range(store, &key, 5, 0).await.unwrap(),
            b"",
            "{name}: an empty range"
        );
        assert_eq!(
            store.originals().await.unwrap(),
            vec![first.sha256],
            "{name}"
        );
        store.check().await.unwrap();
    }
}

#[tokio::test]
async fn a_missing_blob_is_none_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    for (name, store) in stores(dir.path()).await {
        let missing = BlobKey::Original(Sha256Hex::of(b"never stored"));
        assert!(!store.exists(&missing).await.unwrap(), "{name}");
        assert_eq!(store.size(&missing).await.unwrap(), None, "{name}");
        assert!(store.read(&missing).await.unwrap().is_none(), "{name}");
        assert!(
            range(store.as_ref(), &missing, 0, 10).await.is_none(),
            "{name}"
        );
        assert!(
            range(store.as_ref(), &missing, 0, 0).await.is_none(),
            "{name}"
        );
        assert!(store.originals().await.unwrap().is_empty(), "{name}");
    }
}

#[tokio::test]
async fn an_uncommitted_writer_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    for (name, store) in stores(dir.path()).await {
        let mut writer = store.writer().await.unwrap();
        writer.write(b"half an upload").await.unwrap();
        drop(writer);
        assert!(store.originals().await.unwrap().is_empty(), "{name}");
        let key = BlobKey::Original(Sha256Hex::of(b"half an upload"));
        assert!(!store.exists(&key).await.unwrap(), "{name}");
    }
    for spool in ["spool-memory", "spool-s3"] {
        if let Ok(entries) = std::fs::read_dir(dir.path().join(spool)) {
            assert_eq!(entries.count(), 0, "{spool}: spooled bytes left behind");
        }
    }
}

#[tokio::test]
async fn a_staged_file_is_adopted_once_and_consumed_either_way() {
    let dir = tempfile::tempdir().unwrap();
    for (name, store) in stores(dir.path()).await {
        let bytes = format!("staged for {name}").into_bytes();
        let sha = Sha256Hex::of(&bytes);
        let staged = dir.path().join("staged.part");
        std::fs::write(&staged, &bytes).unwrap();
        assert!(store.adopt(&staged, &sha).await.unwrap(), "{name}");
        assert!(!staged.exists(), "{name}: the staged file is kept");
        std::fs::write(&staged, &bytes).unwrap();
        assert!(
            !store.adopt(&staged, &sha).await.unwrap(),
            "{name}: adopted twice"
        );
        assert!(!staged.exists(), "{name}: the duplicate is kept");
        let key = BlobKey::Original(sha);
        assert_eq!(store.read(&key).await.unwrap().unwrap(), bytes, "{name}");
    }
}

#[tokio::test]
async fn derivatives_are_replaced_and_never_listed_as_originals() {
    let dir = tempfile::tempdir().unwrap();
    for (name, store) in stores(dir.path()).await {
        let original = put_bytes(store.as_ref(), b"a photograph").await.unwrap();
        let key = BlobKey::Derivative(original.sha256.clone(), "w400");
        store.put_derivative(&key, b"first").await.unwrap();
        store.put_derivative(&key, b"second, longer").await.unwrap();
        assert_eq!(
            store.read(&key).await.unwrap().unwrap(),
            b"second, longer",
            "{name}"
        );
        assert_eq!(store.size(&key).await.unwrap(), Some(14), "{name}");
        assert_eq!(
            store.originals().await.unwrap(),
            vec![original.sha256.clone()],
            "{name}"
        );
        let as_original = BlobKey::Original(Sha256Hex::of(b"x"));
        assert!(
            store.put_derivative(&as_original, b"x").await.is_err(),
            "{name}: an original written as a derivative"
        );
    }
}

#[tokio::test]
async fn a_staged_file_waits_apart_from_the_originals_and_only_it_can_be_removed() {
    let dir = tempfile::tempdir().unwrap();
    for (name, store) in stores(dir.path()).await {
        let original = put_bytes(store.as_ref(), b"a photograph").await.unwrap();
        let id = StagedId::parse("a-staged-zip_0123456789").unwrap();
        let key = BlobKey::Staged(id);
        let local = dir.path().join(format!("zip-{}", name.len()));
        let zip = b"PK a bulk import's media".repeat(1000);
        std::fs::write(&local, &zip).unwrap();
        store.put_staged(&key, &local).await.unwrap();
        assert!(!local.exists(), "{name}: the local file is consumed");
        assert_eq!(store.size(&key).await.unwrap(), Some(zip.len() as u64));
        let copy = dir.path().join(format!("copy-{}", name.len()));
        let at = edubase::store::local_copy(store.as_ref(), &key, &copy)
            .await
            .unwrap()
            .expect("there");
        assert_eq!(std::fs::read(&at).unwrap(), zip, "{name}");
        assert_eq!(
            store.originals().await.unwrap(),
            vec![original.sha256.clone()],
            "{name}: a staged file is no original"
        );
        let as_original = BlobKey::Original(original.sha256.clone());
        assert!(
            store.remove_staged(&as_original).await.is_err(),
            "{name}: an original removed"
        );
        assert!(store.exists(&as_original).await.unwrap(), "{name}");
        store.remove_staged(&key).await.unwrap();
        assert!(!store.exists(&key).await.unwrap(), "{name}");
        store.remove_staged(&key).await.unwrap();
        assert!(
            StagedId::parse("../../etc/passwd").is_none(),
            "ids are tokens, never paths"
        );
    }
}

#[tokio::test]
async fn a_file_larger_than_one_part_arrives_whole() {
    // 40 MiB: more than two of the object store's 16 MiB parts, with a short last part.
    let dir = tempfile::tempdir().unwrap();
    let bytes: Vec<u8> = (0..40u32 << 20)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    for (name, store) in stores(dir.path()).await {
        let mut writer = store.writer().await.unwrap();
        for chunk in bytes.chunks(3 << 20) {
            writer.write(chunk).await.unwrap();
        }
        let stored = writer.commit().await.unwrap();
        assert!(stored.created, "{name}");
        assert_eq!(stored.sha256, Sha256Hex::of(&bytes), "{name}");
        let key = BlobKey::Original(stored.sha256);
        assert_eq!(
            store.size(&key).await.unwrap(),
            Some(bytes.len() as u64),
            "{name}"
        );
        let seam = (16u64 << 20) - 5;
        assert_eq!(
            range(store.as_ref(), &key, seam, 10).await.unwrap(),
            &bytes[seam as usize..seam as usize + 10],
            "{name}: across the first part boundary"
        );
        let whole = range(store.as_ref(), &key, 0, bytes.len() as u64)
            .await
            .unwrap();
        assert!(whole == bytes, "{name}: the whole file as one range");
        let tail = bytes.len() as u64 - 7;
        assert_eq!(
            range(store.as_ref(), &key, tail, 7).await.unwrap(),
            &bytes[tail as usize..],
            "{name}: the last bytes"
        );
    }
}

#[tokio::test]
async fn a_reader_that_pauses_longer_than_a_request_may_take_still_gets_every_byte() {
    // A visitor pauses a video: the server stops reading. Against a real S3 server whose
    // requests may take 2 seconds, a 3-second pause must not break the stream.
    let Ok(url) = std::env::var("EDUBASE_TEST_S3_URL") else {
        return;
    };
    use object_store::ClientConfigKey;
    use object_store::aws::{AmazonS3Builder, AmazonS3ConfigKey};
    let url = S3Url::parse(&url).unwrap();
    let _ = rustls::crypto::ring::default_provider().install_default();
    let objects = AmazonS3Builder::from_env()
        .with_bucket_name(&url.bucket)
        .with_config(AmazonS3ConfigKey::Client(ClientConfigKey::Timeout), "2s")
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let prefix = format!(
        "{}/pause-{}",
        url.prefix,
        hex::encode(crate::storage::rand_bytes())
    );
    let store = S3Store::with_objects(Arc::new(objects), &prefix, dir.path())
        .await
        .unwrap();
    let bytes: Vec<u8> = (0..40u32 << 20).map(|i| (i % 251) as u8).collect();
    let stored = put_bytes(&store, &bytes).await.unwrap();
    let key = BlobKey::Original(stored.sha256);
    let mut stream = store
        .read_range(&key, 0, bytes.len() as u64)
        .await
        .unwrap()
        .unwrap();
    let mut got = stream.next().await.unwrap().unwrap().to_vec();
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    while let Some(chunk) = stream.next().await {
        got.extend_from_slice(&chunk.expect("the stream survives the pause"));
    }
    assert!(got == bytes, "every byte, in order");
}
