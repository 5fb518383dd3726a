//! HTTP only: each submodule exports `router()`; `app` assembles them with the layers.

pub mod api;
pub mod assets;
pub mod gallery;
pub mod health;
pub mod lang;
pub mod media;
pub mod page;
pub mod params;
