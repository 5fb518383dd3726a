//! IIIF: Presentation API 3.0 manifests and collections (pure; the web layer serves them).

pub mod presentation;
