//! The media store down for a while (a bucket unreachable): what was received is not lost,
//! and the work goes on once the store is back.

use crate::admin_import::{staged_id, with_bom, zip_of};
use crate::admin_import_upload::upload_id;
use crate::helpers::{HALL, TestApp, session};
use crate::import::jpeg_bytes;
use crate::uploads::staging_files;
use async_trait::async_trait;
use axum::http::StatusCode;
use edubase::accounts::types::Role;
use edubase::store::{BlobKey, BlobStore, BlobWriter, ByteStream, MemoryStore, Sha256Hex};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// A memory store whose writes fail while it is down; reads go on.
#[derive(Default)]
struct Outage {
    inner: MemoryStore,
    down: AtomicBool,
}

impl Outage {
    fn up(&self) -> anyhow::Result<()> {
        anyhow::ensure!(!self.down.load(Ordering::SeqCst), "the store is down");
        Ok(())
    }
}

#[async_trait]
impl BlobStore for Outage {
    async fn writer(&self) -> anyhow::Result<Box<dyn BlobWriter>> {
        self.up()?;
        self.inner.writer().await
    }
    async fn adopt(&self, path: &Path, sha256: &Sha256Hex) -> anyhow::Result<bool> {
        self.up()?;
        self.inner.adopt(path, sha256).await
    }
    async fn put_derivative(&self, key: &BlobKey, bytes: &[u8]) -> anyhow::Result<()> {
        self.up()?;
        self.inner.put_derivative(key, bytes).await
    }
    async fn put_staged(&self, key: &BlobKey, path: &Path) -> anyhow::Result<()> {
        self.up()?;
        self.inner.put_staged(key, path).await
    }
    async fn remove_staged(&self, key: &BlobKey) -> anyhow::Result<()> {
        self.up()?;
        self.inner.remove_staged(key).await
    }
    async fn size(&self, key: &BlobKey) -> anyhow::Result<Option<u64>> {
        self.inner.size(key).await
    }
    async fn read_range(
        &self,
        key: &BlobKey,
        start: u64,
        len: u64,
    ) -> anyhow::Result<Option<ByteStream>> {
        self.inner.read_range(key, start, len).await
    }
    async fn read(&self, key: &BlobKey) -> anyhow::Result<Option<Vec<u8>>> {
        self.inner.read(key).await
    }
    async fn exists(&self, key: &BlobKey) -> anyhow::Result<bool> {
        self.inner.exists(key).await
    }
    async fn originals(&self) -> anyhow::Result<Vec<Sha256Hex>> {
        self.inner.originals().await
    }
    fn kind(&self) -> &'static str {
        "memory"
    }
    async fn check(&self) -> anyhow::Result<()> {
        self.up()
    }
}

#[tokio::test]
async fn an_import_zip_received_while_the_store_is_down_is_moved_at_the_check() {
    let store = Arc::new(Outage::default());
    let app = TestApp::with_samples_in(store.clone()).await;
    let curator = session(&app, "saran", Role::Curator, &[HALL]).await;
    let zip = zip_of(&[("photos/saddle.jpg", &jpeg_bytes(64, 48))]);

    store.down.store(true, Ordering::SeqCst);
    let (location, sent) = curator.send_zip(&app, zip).await;
    assert_eq!(sent.status, StatusCode::INTERNAL_SERVER_ERROR);
    let id = upload_id(&location);
    assert_eq!(staging_files(&app), 1, "the bytes wait on this server");

    store.down.store(false, Ordering::SeqCst);
    let csv = with_bom(&format!(
        "accession,title_zh,category,base,media\nKZ-O-1,马鞍,quyi,{HALL},photos/saddle.jpg\n"
    ));
    let r = curator.check_with_upload(&app, &csv, &id).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(staging_files(&app), 0, "moved to the store at the check");
    let run = staged_id(&r.text());
    let done = curator.run_to_end(&app, &run).await;
    assert!(done.contains("导入完成：创建 1 件，失败 0 行"), "{done}");
    let saddle = app.item("kz-o-1").await.expect("imported");
    assert_eq!(saddle.media.len(), 1);
}
