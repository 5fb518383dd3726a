//! The storage suite: every repository query, run against SQLite always and against
//! PostgreSQL when `EDUBASE_TEST_POSTGRES_URL` is set (each test in its own schema).

mod accounts;
mod catalogue;
mod catalogue_exhibitions;
mod catalogue_items;
mod classroom;
mod editor;
mod exhibitions;
mod stats;
mod view_folding;

use edubase::db::{self, DatabaseUrl, Db};

/// The repositories to test: SQLite, plus PostgreSQL when configured.
pub async fn backends() -> Vec<(&'static str, Db)> {
    let sqlite = db::connect(&DatabaseUrl::SqliteMemory)
        .await
        .expect("SQLite");
    let mut out = vec![("sqlite", sqlite)];
    if let Ok(url) = std::env::var("EDUBASE_TEST_POSTGRES_URL") {
        out.push(("postgres", postgres_schema(&url).await));
    }
    out
}

/// A fresh schema in the test database, so tests running in parallel never meet.
pub async fn postgres_schema(url: &str) -> Db {
    db::connect(&DatabaseUrl::Postgres(postgres_schema_url(url).await))
        .await
        .expect("migrate schema")
}

/// A fresh, empty schema in the test database, as a URL that connects into it.
pub async fn postgres_schema_url(url: &str) -> String {
    use sqlx::Connection;
    let schema = format!("t_{}", hex::encode(rand_bytes()));
    let mut conn = sqlx::PgConnection::connect(url)
        .await
        .expect("PostgreSQL reachable");
    sqlx::query(sqlx::AssertSqlSafe(format!("create schema {schema}")))
        .execute(&mut conn)
        .await
        .expect("create schema");
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}options=-c%20search_path%3D{schema}")
}

pub fn rand_bytes() -> [u8; 8] {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos(),
    );
    h.finish().to_le_bytes()
}
