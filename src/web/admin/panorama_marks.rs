//! Placing things on a hall panorama in the admin: numbered markers at the items on show
//! and doors to the base's other panoramas, each where a click on the photograph (or the
//! typed percentages) says; and removing them. A refused placement shows the edit page
//! again with the reason and what was typed.

use super::bases::editable;
use super::panoramas::{CsrfOnly, Typed, edit_page, panorama_of};
use super::with_status;
use crate::accounts::Authenticated;
use crate::app::AppState;
use crate::catalogue::model::Base;
use crate::catalogue::panorama::{MAX_DOORS, MAX_SPOTS, NewDoor, NewSpot, percent};
use crate::catalogue::types::Accession;
use crate::error::AppError;
use crate::repo::{RepoError, RepoResult, Visibility};
use crate::web::page::PageCtx;
use crate::web::session::{SignedIn, require_csrf};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Form, Router};
use serde::Deserialize;

/// The routes that place and remove markers and doors.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/bases/{slug}/panoramas/{n}/spots", post(add_spot))
        .route("/admin/bases/{slug}/panoramas/{n}/doors", post(add_door))
        .route(
            "/admin/bases/{slug}/panoramas/{n}/{kind}/{m}/remove",
            post(remove),
        )
}

/// The marker form: an accession number and where, in percent of width and height.
#[derive(Deserialize, Default)]
pub(super) struct SpotForm {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(default)]
    pub(super) accession: String,
    #[serde(default)]
    pub(super) x: String,
    #[serde(default)]
    pub(super) y: String,
}

/// The door form: the panorama it leads to, by number, and where, in percent.
#[derive(Deserialize, Default)]
pub(super) struct DoorForm {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(default)]
    pub(super) to: String,
    #[serde(default)]
    pub(super) x: String,
    #[serde(default)]
    pub(super) y: String,
}

/// Where, from the two fields typed in percent: fractions of the width and height, or
/// what is wrong.
fn place(ctx: &PageCtx, x: &str, y: &str) -> Result<(f64, f64), String> {
    let one = |v: &str| {
        percent(v).map_err(|_| match v.trim() {
            "" => ctx.t("panorama-no-place"),
            typed => ctx.t1("panorama-bad-place", "value", typed),
        })
    };
    Ok((one(x)?, one(y)?))
}

/// A placement's answer from the repository: done, refused (why), or an error.
fn placed(r: RepoResult<Option<i64>>) -> Result<Result<(), String>, AppError> {
    match r {
        Ok(Some(_)) => Ok(Ok(())),
        Ok(None) => Err(AppError::NotFound),
        Err(RepoError::Invalid(why)) => Ok(Err(why)),
        Err(e) => Err(e.into()),
    }
}

/// Where a placement leads: back to the edit page at `section` with a notice, or,
/// refused, the edit page with the reason and what was typed.
struct Placement<'a> {
    state: &'a AppState,
    auth: &'a Authenticated,
    base: Base,
    n: &'a str,
    notice: &'static str,
    section: &'static str,
}

impl<'a> Placement<'a> {
    /// `(notice, section)`: the notice shown after a placement, the page section it returns to.
    fn new(
        state: &'a AppState,
        auth: &'a Authenticated,
        base: Base,
        n: &'a str,
        (notice, section): (&'static str, &'static str),
    ) -> Self {
        Placement {
            state,
            auth,
            base,
            n,
            notice,
            section,
        }
    }

    async fn answer(
        self,
        ctx: PageCtx,
        outcome: Result<(), String>,
        typed: Typed,
    ) -> Result<Response, AppError> {
        match outcome {
            Ok(()) => {
                let to = format!(
                    "/admin/bases/{}/panoramas/{}?{}=1#{}",
                    self.base.fields.slug, self.n, self.notice, self.section
                );
                Ok(Redirect::to(&to).into_response())
            }
            Err(why) => {
                let page = (None, Some(why));
                let r = edit_page(self.state, ctx, self.auth, self.base, self.n, page, typed);
                Ok(with_status(r.await?, StatusCode::UNPROCESSABLE_ENTITY))
            }
        }
    }
}

async fn add_spot(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Path((slug, n)): Path<(String, String)>,
    Form(f): Form<SpotForm>,
) -> Result<Response, AppError> {
    require_csrf(&auth, Some(&f.csrf))?;
    let base = editable(&state, &auth, &slug).await?;
    let (p, number) = panorama_of(&state, &base, &n).await?;
    let typed = f.accession.trim();
    let item = match Accession::parse(typed) {
        Ok(a) => state
            .catalogue
            .item_slug_by_accession(&a, Visibility::All)
            .await?
            .map(|_| a),
        Err(_) => None,
    };
    let outcome = match (item, place(&ctx, &f.x, &f.y)) {
        (None, _) => Err(ctx.t1("panorama-no-item", "accession", typed)),
        (_, Err(e)) => Err(e),
        _ if p.spots.len() >= MAX_SPOTS => {
            Err(ctx.t1("panorama-too-many", "max", MAX_SPOTS.to_string().as_str()))
        }
        (Some(item), Ok((x, y))) => {
            let spot = NewSpot { item, x, y };
            let (slug, actor) = (&base.fields.slug, auth.actor());
            placed(state.panoramas.add_spot(slug, number, &spot, &actor).await)?
        }
    };
    let typed = Typed {
        spot: f,
        ..Typed::default()
    };
    Placement::new(&state, &auth, base, &n, ("placed", "spots"))
        .answer(ctx, outcome, typed)
        .await
}

async fn add_door(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Path((slug, n)): Path<(String, String)>,
    Form(f): Form<DoorForm>,
) -> Result<Response, AppError> {
    require_csrf(&auth, Some(&f.csrf))?;
    let base = editable(&state, &auth, &slug).await?;
    let (p, number) = panorama_of(&state, &base, &n).await?;
    let outcome = match (f.to.trim().parse::<i64>(), place(&ctx, &f.x, &f.y)) {
        (Err(_), _) => Err(ctx.t("panorama-door-no-target")),
        (_, Err(e)) => Err(e),
        _ if p.doors.len() >= MAX_DOORS => Err(ctx.t1(
            "panorama-too-many-doors",
            "max",
            MAX_DOORS.to_string().as_str(),
        )),
        (Ok(to), Ok((x, y))) => {
            let door = NewDoor { to, x, y };
            let (slug, actor) = (&base.fields.slug, auth.actor());
            placed(state.panoramas.add_door(slug, number, &door, &actor).await)?
        }
    };
    let typed = Typed {
        door: f,
        ..Typed::default()
    };
    Placement::new(&state, &auth, base, &n, ("door-placed", "doors"))
        .answer(ctx, outcome, typed)
        .await
}

/// Removes marker or door `m` (`kind` is `spots` or `doors`).
async fn remove(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    Path((slug, n, kind, m)): Path<(String, String, String, String)>,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    require_csrf(&auth, Some(&f.csrf))?;
    let base = editable(&state, &auth, &slug).await?;
    let (_, number) = panorama_of(&state, &base, &n).await?;
    let m: i64 = m.parse().map_err(|_| AppError::NotFound)?;
    let (slug, actor) = (&base.fields.slug, auth.actor());
    let (gone, notice) = match kind.as_str() {
        "spots" => {
            let gone = state.panoramas.remove_spot(slug, number, m, &actor).await?;
            (gone, "unplaced")
        }
        "doors" => {
            let gone = state.panoramas.remove_door(slug, number, m, &actor).await?;
            (gone, "door-removed")
        }
        _ => return Err(AppError::NotFound),
    };
    if !gone {
        return Err(AppError::NotFound);
    }
    let to = format!("/admin/bases/{slug}/panoramas/{number}?{notice}=1#{kind}");
    Ok(Redirect::to(&to).into_response())
}
