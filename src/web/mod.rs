//! HTTP only: each submodule exports `router()`; `app` assembles them with the layers.

pub mod admin;
pub mod api;
pub mod assets;
pub mod crawlers;
pub mod gallery;
pub mod health;
pub mod html_pages;
pub mod iiif;
pub mod iiif_presentation;
pub mod lang;
pub mod media;
pub mod oai;
pub mod page;
pub mod page_text;
pub mod page_views;
pub mod params;
pub mod qr;
pub mod session;
pub mod uploads;
pub mod visit;
pub mod xml;
