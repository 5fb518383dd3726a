//! `TestApp`: the real router over an in-memory SQLite database and blob store — or, as CI
//! runs the suite again, PostgreSQL (`EDUBASE_TEST_APP_POSTGRES`) and an S3-compatible
//! object store (`EDUBASE_TEST_S3_URL`, a fresh key prefix per application).

use crate::uploads::multipart;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use edubase::accounts::types::Role;
use edubase::app::{self, AppState};
use edubase::catalogue::import::{ImportReport, Importer};
use edubase::config::Config;
use edubase::db::{self, DatabaseUrl};
use edubase::store::{BlobStore, MemoryStore, S3Store, S3Url};
use http_body_util::BodyExt;
use std::path::Path;
use std::sync::Arc;
use tower::ServiceExt;

/// A running application without a socket.
pub struct TestApp {
    pub state: AppState,
    pub router: edubase::app::App,
    /// The data folder (staging for uploads), deleted when the app is dropped.
    _data: Arc<tempfile::TempDir>,
}

/// What a client receives.
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub bytes: Vec<u8>,
}

impl TestResponse {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.bytes)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// `name=value` of the first `Set-Cookie`, to send back as `Cookie`.
    pub fn cookie(&self) -> String {
        self.header("set-cookie")
            .split(';')
            .next()
            .unwrap_or("")
            .to_owned()
    }
}

/// The PostgreSQL URL to run the suite on (`EDUBASE_TEST_APP_POSTGRES` with
/// `EDUBASE_TEST_POSTGRES_URL`), if any.
fn postgres_url() -> Option<String> {
    std::env::var("EDUBASE_TEST_APP_POSTGRES").ok()?;
    std::env::var("EDUBASE_TEST_POSTGRES_URL").ok()
}

/// The media store for one test application: in memory, or a fresh prefix of the bucket
/// `EDUBASE_TEST_S3_URL` names (endpoint and credentials from the `AWS_*` variables).
async fn media_store(data: &Path) -> Arc<dyn BlobStore> {
    match std::env::var("EDUBASE_TEST_S3_URL") {
        Ok(url) => {
            let base = S3Url::parse(&url).expect("EDUBASE_TEST_S3_URL is an s3:// address");
            let fresh = S3Url {
                prefix: format!(
                    "{}/t-{}",
                    base.prefix,
                    hex::encode(crate::storage::rand_bytes())
                )
                .trim_start_matches('/')
                .to_owned(),
                ..base
            };
            Arc::new(
                S3Store::open(&fresh, data.join("spool"))
                    .await
                    .expect("the test object store"),
            )
        }
        Err(_) => Arc::new(MemoryStore::new()),
    }
}

/// An empty database: on PostgreSQL (a fresh schema) when the suite runs there, else
/// SQLite in memory.
async fn fresh_db() -> db::Db {
    match postgres_url() {
        Some(url) => crate::storage::postgres_schema(&url).await,
        None => db::connect(&DatabaseUrl::SqliteMemory)
            .await
            .expect("in-memory SQLite"),
    }
}

impl TestApp {
    /// An empty catalogue.
    /// On PostgreSQL (a fresh schema) when `EDUBASE_TEST_APP_POSTGRES` is set with
    /// `EDUBASE_TEST_POSTGRES_URL`, so CI runs the whole suite on both databases.
    pub async fn empty() -> TestApp {
        TestApp::on(fresh_db().await).await
    }

    /// Two servers on one database and one media store, each with its own connections,
    /// memory and data folder (uploads in progress), as two nodes would be: on PostgreSQL
    /// (one fresh schema) when the suite runs there, else on one SQLite file.
    pub async fn pair() -> (TestApp, TestApp) {
        match postgres_url() {
            Some(url) => {
                let scoped = crate::storage::postgres_schema_url(&url).await;
                let connect = || async {
                    db::connect(&DatabaseUrl::Postgres(scoped.clone()))
                        .await
                        .expect("PostgreSQL")
                };
                let first = TestApp::on(connect().await).await;
                let media = first.state.blobs.clone();
                let second = TestApp::with_media(connect().await, media).await;
                (first, second)
            }
            None => {
                let dir = Arc::new(tempfile::tempdir().expect("a temporary folder"));
                let mut first = TestApp::at(dir.path()).await;
                let file = DatabaseUrl::Sqlite(dir.path().join("edubase.sqlite"));
                let db = db::connect(&file).await.expect("the same SQLite file");
                let media = first.state.blobs.clone();
                let second = TestApp::with_media(db, media).await;
                first._data = dir;
                (first, second)
            }
        }
    }

    async fn on(db: db::Db) -> TestApp {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let media = media_store(dir.path()).await;
        TestApp::in_folder(db, media, dir).await
    }

    /// A second node sharing `media` (each node keeps its own data folder).
    async fn with_media(db: db::Db, media: Arc<dyn BlobStore>) -> TestApp {
        let dir = tempfile::tempdir().expect("a temporary folder");
        TestApp::in_folder(db, media, dir).await
    }

    async fn in_folder(db: db::Db, media: Arc<dyn BlobStore>, dir: tempfile::TempDir) -> TestApp {
        let mut config = Config::for_tests();
        config.data_dir = dir.path().to_owned();
        let state = AppState::new(config, db, media)
            .await
            .expect("the application starts");
        let router = app::router(state.clone());
        TestApp {
            state,
            router,
            _data: Arc::new(dir),
        }
    }

    /// An application whose database (SQLite file) and media folder live in `dir`, so a
    /// second `at(dir)` is the same server after a restart.
    pub async fn at(dir: &Path) -> TestApp {
        let mut config = Config::for_tests();
        config.data_dir = dir.to_owned();
        config.database = DatabaseUrl::Sqlite(dir.join("edubase.sqlite"));
        let state = AppState::open(config)
            .await
            .expect("the application starts");
        let router = app::router(state.clone());
        TestApp {
            state,
            router,
            _data: Arc::new(tempfile::tempdir().unwrap()),
        }
    }

    /// The sample exhibits of the repository, imported.
    pub async fn with_samples() -> TestApp {
        TestApp::empty().await.with_sample_exhibits().await
    }

    /// The sample exhibits imported, with media in `media`.
    pub async fn with_samples_in(media: Arc<dyn BlobStore>) -> TestApp {
        let app = TestApp::with_media(fresh_db().await, media).await;
        app.with_sample_exhibits().await
    }

    async fn with_sample_exhibits(self) -> TestApp {
        let app = self;
        let report = app.import(Path::new("exhibits")).await;
        assert!(
            report.errors.is_empty(),
            "sample exhibits have errors: {:?}",
            report.errors
        );
        app
    }

    pub async fn import(&self, dir: &Path) -> ImportReport {
        Importer::new(
            self.state.catalogue.as_ref(),
            self.state.panoramas.as_ref(),
            &self.state.ingest,
        )
        .import_dir(dir, &mut |_| {})
        .await
        .expect("import runs")
    }

    /// The item with this slug, published or not.
    pub async fn item(&self, slug: &str) -> Option<edubase::catalogue::model::Item> {
        let slug = edubase::catalogue::types::Slug::parse(slug).expect("a valid slug");
        let all = edubase::repo::Visibility::All;
        self.state.catalogue.item(&slug, all).await.unwrap()
    }

    /// The newest audit row: (action, entity id, actor name).
    pub async fn last_audit(&self) -> (String, String, String) {
        let log = self.state.accounts.repo().recent_audit(1).await.unwrap();
        let e = &log[0].1;
        (e.action.clone(), e.entity_id.clone(), e.actor_name.clone())
    }

    pub async fn get(&self, uri: &str) -> TestResponse {
        self.get_with(uri, &[]).await
    }

    pub async fn get_with(&self, uri: &str, headers: &[(&str, &str)]) -> TestResponse {
        self.send("GET", uri, headers, Vec::new(), None).await
    }

    /// POSTs a urlencoded form.
    pub async fn post_form(
        &self,
        uri: &str,
        fields: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> TestResponse {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let mut all = vec![("content-type", "application/x-www-form-urlencoded")];
        all.extend_from_slice(headers);
        self.send("POST", uri, &all, body.into_bytes(), None).await
    }

    /// Sends any request; `peer` is the client address the server sees.
    pub async fn send(
        &self,
        method: &str,
        uri: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
        peer: Option<std::net::SocketAddr>,
    ) -> TestResponse {
        let mut request = Request::builder().method(method).uri(uri);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let mut request = request.body(Body::from(body)).unwrap();
        if let Some(peer) = peer {
            request
                .extensions_mut()
                .insert(axum::extract::ConnectInfo(peer));
        }
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("the router never fails");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec();
        TestResponse {
            status,
            headers,
            bytes,
        }
    }

    /// GETs a page and checks it is an HTML 200.
    pub async fn page(&self, uri: &str) -> String {
        let r = self.get(uri).await;
        assert_eq!(r.status, StatusCode::OK, "GET {uri}: {}", r.text());
        assert!(
            r.header("content-type").starts_with("text/html"),
            "GET {uri}: {}",
            r.header("content-type")
        );
        r.text()
    }
}

/// All `href="…"` values of a page, in order.
pub fn links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(|s| {
            s.replace("&amp;", "&")
                .replace("&#x3d;", "=")
                .replace("&#61;", "=")
        })
        .collect()
}

/// The `href` of the link with `rel="next"` (the pager's next page).
pub fn next_link(html: &str) -> Option<String> {
    let start = html.find("rel=\"next\" href=\"")? + "rel=\"next\" href=\"".len();
    let end = html[start..].find('"')? + start;
    Some(
        html[start..end]
            .replace("&amp;", "&")
            .replace("&#38;", "&")
            .replace("&#x3d;", "="),
    )
}

/// The slugs of item cards on a page, in order.
pub fn item_slugs(html: &str) -> Vec<String> {
    links(html)
        .into_iter()
        .filter_map(|l| l.strip_prefix("/items/").map(str::to_owned))
        .filter(|s| !s.contains('?'))
        .collect()
}

/// A form's fields with `key` set to `value` (replacing any earlier value).
pub fn with<'a>(
    mut form: Vec<(&'a str, &'a str)>,
    key: &'a str,
    value: &'a str,
) -> Vec<(&'a str, &'a str)> {
    form.retain(|(k, _)| *k != key);
    form.push((key, value));
    form
}

/// A multipart body: text fields first, then files `(field, file name, bytes)`.
pub fn multipart_form(fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "edubase-test-boundary";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    for (field, name, bytes) in files {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// The sample banner hall, and the sample school room (in `exhibits/`).
pub const HALL: &str = "banner-heritage-hall";
pub const SCHOOL: &str = "ganjig-school-culture-room";

/// A signed-in user: (cookie, csrf token).
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

/// Adds a user and signs them in.
pub async fn session(app: &TestApp, name: &str, role: Role, bases: &[&str]) -> Session {
    app.add_user(name, role, bases).await;
    let cookie = app.sign_in(name).await;
    let csrf = app.csrf(&cookie).await;
    Session { cookie, csrf }
}

impl Session {
    pub async fn get(&self, app: &TestApp, uri: &str) -> TestResponse {
        app.get_with(uri, &[("cookie", &self.cookie)]).await
    }

    pub async fn post(&self, app: &TestApp, uri: &str, fields: &[(&str, &str)]) -> TestResponse {
        let mut all = vec![("_csrf", self.csrf.as_str())];
        all.extend_from_slice(fields);
        app.post_form(uri, &all, &[("cookie", &self.cookie)]).await
    }

    /// Posts files the way the no-JavaScript upload form does.
    pub async fn post_files(
        &self,
        app: &TestApp,
        uri: &str,
        file_name: &str,
        bytes: &[u8],
    ) -> TestResponse {
        let (content_type, body) = multipart(file_name, bytes, &[("_csrf", &self.csrf)]);
        app.send(
            "POST",
            uri,
            &[("cookie", &self.cookie), ("content-type", &content_type)],
            body,
            None,
        )
        .await
    }
}

/// Where the file store of a data folder keeps the original with this hash.
pub fn original_file(data: &std::path::Path, sha: &str) -> std::path::PathBuf {
    data.join("media")
        .join(&sha[..2])
        .join(&sha[2..4])
        .join(sha)
}
