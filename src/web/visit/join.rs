//! Entering a code, joining with a nickname, resuming with a resume code, leaving.

use super::{assignment, closed_text, current_visit, join_error, last_day, set_cookie};
use crate::app::AppState;
use crate::classroom::model::{Assignment, Visit};
use crate::classroom::rules::{self, NICKNAME_MAX};
use crate::error::AppError;
use crate::web::gallery::exhibitions::guide_recording;
use crate::web::gallery::item_page::describe_size;
use crate::web::page::{PageCtx, render};
use crate::web::params::Params;
use crate::web::session::ClientIp;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "visit/start.html")]
struct StartPage {
    ctx: PageCtx,
}

/// `/visit`: the code field; `?code=` (the form) goes to that assignment.
#[tracing::instrument(skip_all)]
pub async fn start(
    State(state): State<AppState>,
    ctx: PageCtx,
    ip: ClientIp,
    params: Params,
) -> Result<Response, AppError> {
    let Some(typed) = params.get("code") else {
        return render(&StartPage { ctx });
    };
    match state
        .classroom
        .find(typed, ip.0.as_deref(), chrono::Utc::now())
        .await
    {
        Ok(a) => Ok(Redirect::to(&format!("/visit/{}", a.code)).into_response()),
        Err(e) => join_error(ctx, e),
    }
}

#[derive(Template)]
#[template(path = "visit/join.html")]
struct JoinPage {
    ctx: PageCtx,
    a: Assignment,
    visit: Option<Visit>,
    stops: i64,
    open: bool,
    closed_note: Option<String>,
    last_day: String,
    /// Just joined: show the resume code prominently.
    joined: bool,
    nickname: String,
    error: Option<String>,
    resume_error: Option<String>,
    nickname_max: usize,
    /// "This includes 3 audio guides, 4.2 MB": what a saved copy holds beyond pictures.
    offline_recordings: Option<String>,
}

impl JoinPage {
    fn progress(&self, v: &Visit) -> String {
        super::progress(&self.ctx, v, self.stops)
    }

    /// The first stop not yet seen (or the essay when all are).
    fn next_href(&self, v: &Visit) -> String {
        match (1..=self.stops).find(|n| !v.stops_seen.contains(n)) {
            Some(n) => format!("/visit/{}/stops/{n}", self.a.code),
            None => format!("/visit/{}/essay", self.a.code),
        }
    }

    /// Every page of the visit, space-separated: what "save for offline use" downloads.
    fn offline_pages(&self) -> String {
        let code = &self.a.code;
        let mut pages = vec![format!("/visit/{code}")];
        pages.extend((1..=self.stops).map(|n| format!("/visit/{code}/stops/{n}")));
        pages.push(format!("/visit/{code}/essay"));
        pages.join(" ")
    }

    /// "Downloading {done} of {total}…", with the numbers left for the script.
    fn offline_text(&self, key: &str) -> String {
        let args = [
            ("done", "{done}"),
            ("total", "{total}"),
            ("pages", "{pages}"),
            ("size", "{size}"),
        ];
        self.ctx.tr.with(key, &args)
    }
}

async fn join_page(
    state: &AppState,
    ctx: PageCtx,
    a: Assignment,
    visit: Option<Visit>,
) -> Result<JoinPage, AppError> {
    let stops =
        crate::classroom::tour::stop_count(state.catalogue.as_ref(), &a.fields.tour).await?;
    let open = a.is_open(chrono::Utc::now());
    let offline_recordings = match &visit {
        Some(_) if open => recordings(state, &ctx, &a).await?,
        _ => None,
    };
    Ok(JoinPage {
        offline_recordings,
        closed_note: (!open).then(|| closed_text(&ctx, &a)),
        last_day: last_day(&a),
        stops,
        open,
        visit,
        joined: false,
        nickname: String::new(),
        error: None,
        resume_error: None,
        nickname_max: NICKNAME_MAX,
        a,
        ctx,
    })
}

/// How many audio guides a saved copy of the visit takes, and their size (a student on a
/// metered connection should know before saving); `None` when there are none.
async fn recordings(
    state: &AppState,
    ctx: &PageCtx,
    a: &Assignment,
) -> Result<Option<String>, AppError> {
    let Some(ex) = crate::classroom::tour::walk(state.catalogue.as_ref(), &a.fields.tour).await?
    else {
        return Ok(None);
    };
    let (mut count, mut bytes) = (0usize, 0i64);
    for stop in &ex.stops {
        if let Some(m) = guide_recording(state, stop).await? {
            count += 1;
            bytes += m.bytes;
        }
    }
    Ok((count > 0).then(|| {
        let size = describe_size(None, None, bytes);
        ctx.tr.with(
            "offline-recordings",
            &[("count", &count.to_string()), ("size", &size)],
        )
    }))
}

/// `/visit/{code}`: the assignment, and either the join form or this device's visit.
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
    if a.code.as_str() != code {
        // A code typed in lower case or with a dash: one address per assignment.
        return Ok(Redirect::to(&format!("/visit/{}", a.code)).into_response());
    }
    let visit = current_visit(&state, &headers, &a).await?;
    let page = JoinPage {
        joined: params.get("joined").is_some(),
        ..join_page(&state, ctx, a, visit).await?
    };
    render(&page)
}

/// The join form.
#[derive(Deserialize)]
pub struct JoinForm {
    #[serde(default)]
    nickname: String,
}

/// Joins with a nickname: a new visit, its cookie, and the resume code shown once.
#[tracing::instrument(skip_all)]
pub async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    ip: ClientIp,
    Path(code): Path<String>,
    Form(form): Form<JoinForm>,
) -> Result<Response, AppError> {
    let a = match assignment(&state, &ctx, &code, &ip).await? {
        Ok(a) => a,
        Err(page) => return Ok(page),
    };
    let now = chrono::Utc::now();
    if !a.is_open(now) {
        let text = closed_text(&ctx, &a);
        return super::message(ctx, StatusCode::FORBIDDEN, "visit-closed-title", text, None);
    }
    let Some(nickname) = rules::nickname(&form.nickname) else {
        let error = Some(ctx.t1("visit-nickname-error", "max", &NICKNAME_MAX.to_string()));
        let page = JoinPage {
            nickname: form.nickname.chars().take(100).collect(),
            error,
            ..join_page(&state, ctx, a, None).await?
        };
        let mut r = render(&page)?;
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(r);
    };
    let joined = state.classroom.join(a.id, &nickname, now).await?;
    Ok((
        [(
            header::SET_COOKIE,
            set_cookie(&state, &a, Some(&joined.token)),
        )],
        Redirect::to(&format!("/visit/{}?joined=1", a.code)),
    )
        .into_response())
}

/// The resume form.
#[derive(Deserialize)]
pub struct ResumeForm {
    #[serde(default)]
    resume: String,
}

/// Continues a visit on this device with its resume code.
#[tracing::instrument(skip_all)]
pub async fn resume(
    State(state): State<AppState>,
    ctx: PageCtx,
    ip: ClientIp,
    Path(code): Path<String>,
    Form(form): Form<ResumeForm>,
) -> Result<Response, AppError> {
    let a = match assignment(&state, &ctx, &code, &ip).await? {
        Ok(a) => a,
        Err(page) => return Ok(page),
    };
    match state
        .classroom
        .resume(a.id, &form.resume, ip.0.as_deref(), chrono::Utc::now())
        .await
    {
        Ok((_, token)) => Ok((
            [(header::SET_COOKIE, set_cookie(&state, &a, Some(&token)))],
            Redirect::to(&format!("/visit/{}", a.code)),
        )
            .into_response()),
        Err(crate::classroom::JoinError::Unknown) => {
            let page = JoinPage {
                resume_error: Some(ctx.t("visit-resume-unknown")),
                ..join_page(&state, ctx, a, None).await?
            };
            let mut r = render(&page)?;
            *r.status_mut() = StatusCode::NOT_FOUND;
            Ok(r)
        }
        Err(e) => join_error(ctx, e),
    }
}

/// Forgets the visit on this device (a shared phone passed to the next child).
#[tracing::instrument(skip_all)]
pub async fn leave(
    State(state): State<AppState>,
    ctx: PageCtx,
    ip: ClientIp,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let a = match assignment(&state, &ctx, &code, &ip).await? {
        Ok(a) => a,
        Err(page) => return Ok(page),
    };
    Ok((
        [(header::SET_COOKIE, set_cookie(&state, &a, None))],
        Redirect::to(&format!("/visit/{}", a.code)),
    )
        .into_response())
}
