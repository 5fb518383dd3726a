//! The editors' preview of an exhibition: the public pages as they will look once it is
//! published, under the admin's address, with a banner saying so.

use super::exhibitions::editable;
use crate::accounts::Authenticated;
use crate::app::AppState;
use crate::catalogue::types::Status;
use crate::error::AppError;
use crate::repo::Visibility;
use crate::web::gallery::exhibitions::{exhibition_page, stop_page};
use crate::web::page::PageCtx;
use crate::web::session::SignedIn;
use axum::extract::{Path, State};
use axum::response::Response;

/// The exhibition as the public will see it once published: only stops whose items are
/// published, numbered as the public will number them.
async fn previewed(
    state: &AppState,
    auth: &Authenticated,
    slug: &str,
) -> Result<(crate::catalogue::model::Exhibition, usize), AppError> {
    let draft = editable(state, auth, slug).await?;
    let mut ex = state
        .catalogue
        .exhibition(&draft.fields.slug, Visibility::All)
        .await?
        .ok_or(AppError::NotFound)?;
    let all = ex.stops.len();
    ex.stops.retain(|s| s.item.status == Status::Published);
    for (stop, n) in ex.stops.iter_mut().zip(1..) {
        stop.number = n;
    }
    ex.summary.stop_count = ex.stops.len() as i64;
    let hidden = all - ex.stops.len();
    Ok((ex, hidden))
}

fn preview_banner(ctx: &PageCtx, hidden: usize) -> String {
    let mut banner = ctx.t("exhibition-preview-banner");
    if hidden > 0 {
        banner.push(' ');
        banner.push_str(&ctx.n("exhibition-preview-hidden", &(hidden as i64)));
    }
    banner
}

#[tracing::instrument(skip_all, fields(%slug))]
pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let (ex, hidden) = previewed(&state, &auth, &slug).await?;
    let home = format!("/admin/exhibitions/{slug}/preview");
    let banner = preview_banner(&ctx, hidden);
    exhibition_page(ctx, ex, home, Some(banner))
}

#[tracing::instrument(skip_all, fields(%slug, %number))]
pub async fn stop(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Path((slug, number)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (ex, hidden) = previewed(&state, &auth, &slug).await?;
    let home = format!("/admin/exhibitions/{slug}/preview");
    let banner = preview_banner(&ctx, hidden);
    stop_page(&state, ctx, ex, &number, home, Some(banner)).await
}
