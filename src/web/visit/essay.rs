//! The essay: an editor that saves as the student types (see `static/js/essay.js`) and a
//! plain save button that works without JavaScript; handing in; the confirmation.

use super::{assignment, beijing, current_visit, refuse_changes};
use crate::app::AppState;
use crate::classroom::model::{Assignment, Visit};
use crate::classroom::rules::{self, ESSAY_MAX, char_count};
use crate::error::AppError;
use crate::web::page::{PageCtx, render};
use crate::web::params::Params;
use crate::web::session::ClientIp;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "visit/essay.html")]
struct EssayPage {
    ctx: PageCtx,
    a: Assignment,
    visit: Visit,
    /// The text in the box (what was typed, also after a refused submit).
    text: String,
    stops: i64,
    locked: Option<String>,
    error: Option<String>,
    notice: Option<String>,
    essay_max: usize,
}

impl EssayPage {
    fn progress(&self) -> String {
        super::progress(&self.ctx, &self.visit, self.stops)
    }

    fn chars(&self) -> usize {
        char_count(&self.text)
    }

    /// The box's language when it is set vertically for Mongolian.
    fn essay_lang(&self) -> Option<&'static str> {
        crate::i18n::writing_lang(self.ctx.lang, &self.text)
    }

    fn saved_at(&self) -> String {
        self.visit
            .essay_saved_at
            .as_ref()
            .map(beijing)
            .unwrap_or_default()
    }
}

async fn stops_of(state: &AppState, a: &Assignment) -> Result<i64, AppError> {
    Ok(crate::classroom::tour::stop_count(state.catalogue.as_ref(), &a.fields.tour).await?)
}

fn page(ctx: PageCtx, a: Assignment, visit: Visit, stops: i64) -> EssayPage {
    EssayPage {
        locked: refuse_changes(&ctx, &a, &visit),
        text: visit.essay.clone(),
        error: None,
        notice: None,
        essay_max: ESSAY_MAX,
        stops,
        visit,
        a,
        ctx,
    }
}

/// The essay editor.
#[tracing::instrument(skip_all)]
pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    ip: ClientIp,
    headers: HeaderMap,
    params: Params,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let a = match assignment(&state, &ctx, &code, &ip).await? {
        Ok(a) => a,
        Err(page) => return Ok(page),
    };
    let Some(visit) = current_visit(&state, &headers, &a).await? else {
        return Ok(Redirect::to(&format!("/visit/{}", a.code)).into_response());
    };
    let stops = stops_of(&state, &a).await?;
    let notice = params.get("saved").map(|_| ctx.t("essay-saved-notice"));
    render(&EssayPage {
        notice,
        ..page(ctx, a, visit, stops)
    })
}

/// The essay form: the text and which button (or the autosave script) sent it.
#[derive(Deserialize)]
pub struct EssayForm {
    #[serde(default)]
    essay: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    autosave: String,
}

/// Saves the draft (autosave: a small JSON answer), or hands the essay in.
#[tracing::instrument(skip_all)]
pub async fn save(
    State(state): State<AppState>,
    ctx: PageCtx,
    ip: ClientIp,
    headers: HeaderMap,
    Path(code): Path<String>,
    Form(form): Form<EssayForm>,
) -> Result<Response, AppError> {
    let autosave = !form.autosave.is_empty();
    let a = match assignment(&state, &ctx, &code, &ip).await? {
        Ok(a) => a,
        Err(page) => return Ok(page),
    };
    let Some(visit) = current_visit(&state, &headers, &a).await? else {
        if autosave {
            return Ok(json(
                StatusCode::UNAUTHORIZED,
                false,
                &ctx.t("essay-not-joined"),
            ));
        }
        return Ok(Redirect::to(&format!("/visit/{}", a.code)).into_response());
    };
    let text = rules::essay_text(&form.essay);
    let now = chrono::Utc::now();
    if let Some(why) = refuse_changes(&ctx, &a, &visit) {
        if autosave {
            return Ok(json(StatusCode::FORBIDDEN, false, &why));
        }
        let stops = stops_of(&state, &a).await?;
        let mut p = page(ctx, a, visit, stops);
        p.text = text;
        p.error = Some(why);
        let mut r = render(&p)?;
        *r.status_mut() = StatusCode::FORBIDDEN;
        return Ok(r);
    }
    if form.action == "submit" {
        let chars = char_count(&text);
        if (chars as i64) < a.fields.essay_min_chars {
            let error = ctx.tr.with(
                "essay-too-short",
                &[
                    ("min", &a.fields.essay_min_chars.to_string()),
                    ("chars", &chars.to_string()),
                ],
            );
            // Keep the text: save it as a draft, then say what is missing.
            state
                .classroom
                .repo()
                .save_essay(visit.id, &text, now)
                .await?;
            let stops = stops_of(&state, &a).await?;
            let mut p = page(ctx, a, visit, stops);
            p.text = text;
            p.error = Some(error);
            let mut r = render(&p)?;
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(r);
        }
        state
            .classroom
            .repo()
            .submit_essay(visit.id, &text, now)
            .await?;
        return Ok(Redirect::to(&format!("/visit/{}/done", a.code)).into_response());
    }
    state
        .classroom
        .repo()
        .save_essay(visit.id, &text, now)
        .await?;
    if autosave {
        let saved = ctx.t1("essay-saved-at", "time", &beijing(&now));
        return Ok(json(StatusCode::OK, true, &saved));
    }
    Ok(Redirect::to(&format!("/visit/{}/essay?saved=1", a.code)).into_response())
}

/// The autosave script's answer: whether it was stored, and a sentence to show.
fn json(status: StatusCode, saved: bool, message: &str) -> Response {
    (
        status,
        Json(serde_json::json!({ "saved": saved, "message": message })),
    )
        .into_response()
}

#[derive(Template)]
#[template(path = "visit/done.html")]
struct DonePage {
    ctx: PageCtx,
    a: Assignment,
    visit: Visit,
    submitted: String,
    score: usize,
}

/// The confirmation after handing in (the teacher's dashboard shows the same).
#[tracing::instrument(skip_all)]
pub async fn done(
    State(state): State<AppState>,
    ctx: PageCtx,
    ip: ClientIp,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let a = match assignment(&state, &ctx, &code, &ip).await? {
        Ok(a) => a,
        Err(page) => return Ok(page),
    };
    let Some(visit) = current_visit(&state, &headers, &a).await? else {
        return Ok(Redirect::to(&format!("/visit/{}", a.code)).into_response());
    };
    let Some(at) = visit.submitted_at else {
        return Ok(Redirect::to(&format!("/visit/{}/essay", a.code)).into_response());
    };
    render(&DonePage {
        submitted: beijing(&at),
        score: visit.score(&a),
        visit,
        a,
        ctx,
    })
}
