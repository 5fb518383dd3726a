//! edubase: a region's digital education bases online — gallery, catalogue, open interfaces.
//!
//! Dependency direction: `web → domain ← db, store`. Domain modules (`catalogue`, `media`,
//! `i18n`) know nothing of HTTP or SQL; `app` plugs the concrete backends in.

pub mod accounts; // users and roles, passwords, sessions, sign-in throttling, audit log
pub mod app; // AppState, backends plugged together, the HTTP server and its shutdown
pub mod catalogue; // bases, items, media records, exhibitions; the catalogue repository trait; import
pub mod classroom; // classes, assignments, students' visits and essays, join codes, retention
pub mod config; // settings from flags, EDUBASE_* environment and edubase.toml
pub mod db; // SQLite and PostgreSQL: the only place SQL lives
pub mod error; // AppError: one error type that renders as an HTML page or JSON
pub mod i18n; // languages (zh, mn, en), localized text, message bundles, negotiation
pub mod iiif; // IIIF Image API 3.0 (requests, info.json, images) and Presentation 3.0 (no HTTP)
pub mod jobs; // the durable background job queue and its worker
pub mod media; // media type sniffing and image derivatives
pub mod repo; // what every repository shares: errors, pages, cursors, visibility
pub mod search; // analysis (jieba, pinyin, Mongolian, English) and the query model; the search repository trait
pub mod stats; // the dashboard's statistics and privately counted page views
pub mod store; // BlobStore: content-addressed originals and derivative caches (fs, memory)
pub mod web; // HTTP only: gallery pages, JSON API, media and static files, health
