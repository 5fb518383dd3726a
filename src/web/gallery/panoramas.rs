//! A panorama of a base's hall: the photograph with a numbered marker at each item on
//! show, and the same items as a list. The flat photograph scrolls sideways and works
//! everywhere, without scripts; for a 360° photograph, panorama.js offers the spherical
//! viewer (Pannellum, loaded only when asked for).

use crate::app::AppState;
use crate::catalogue::model::Picture;
use crate::catalogue::panorama::Panorama;
use crate::catalogue::types::Slug;
use crate::error::AppError;
use crate::media::Variant;
use crate::repo::Visibility;
use crate::web::page::{PageCtx, render};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;

/// How big markers are drawn, in the photograph's pixels: a fixed share of its height,
/// so they look the same whatever its resolution. `(radius, font size)`.
pub(crate) fn marker_size(p: &Panorama) -> (i64, i64) {
    ((p.image.height / 28).max(8), (p.image.height / 24).max(10))
}

#[derive(Template)]
#[template(path = "panorama.html")]
struct PanoramaPage {
    ctx: PageCtx,
    p: Panorama,
    pic: Picture,
}

impl PanoramaPage {
    fn marker_size(&self) -> (i64, i64) {
        marker_size(&self.p)
    }

    /// The photograph the spherical viewer loads.
    fn sphere_url(&self) -> String {
        format!(
            "/media/{}/{}",
            self.p.image.sha256,
            Variant::PANORAMA.name()
        )
    }

    /// How wide the photograph shows: the frame's height (see site.css) times its aspect.
    fn sizes(&self) -> String {
        let aspect = self.p.image.width as f64 / self.p.image.height.max(1) as f64;
        format!("calc(min(60vh, 520px) * {aspect:.2})")
    }
}

#[tracing::instrument(skip_all, fields(%slug, %number))]
pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((slug, number)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let slug = Slug::parse(&slug).map_err(|_| AppError::NotFound)?;
    let number: i64 = number.parse().map_err(|_| AppError::NotFound)?;
    let p = state
        .panoramas
        .panorama(&slug, number, Visibility::Public)
        .await?
        .ok_or(AppError::NotFound)?;
    render(&PanoramaPage {
        pic: p.picture(),
        ctx,
        p,
    })
}
