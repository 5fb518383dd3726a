//! IIIF: the Image API 3.0 (level 2) — parsing image requests, the image information
//! document, and making the images — with no HTTP in it; `web::iiif` serves it.

pub mod image;
pub mod info;
pub mod request;
