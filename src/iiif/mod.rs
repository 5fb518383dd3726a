//! IIIF, with no HTTP in it (`web::iiif` and `web::iiif_presentation` serve it): the Image
//! API 3.0 (level 2) — parsing image requests, the image information document, making the
//! images — and Presentation API 3.0 manifests and collections from catalogue records.

pub mod image;
pub mod info;
pub mod presentation;
pub mod request;
