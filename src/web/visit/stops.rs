//! The guided visit inside an assignment: one stop at a time with a progress bar, and the
//! stop's questions under it.

use super::{assignment, current_visit, refuse_changes};
use crate::app::AppState;
use crate::catalogue::model::{Exhibition, Stop};
use crate::classroom::model::{Assignment, Question, QuestionKind, Visit};
use crate::classroom::rules;
use crate::error::AppError;
use crate::web::gallery::exhibitions::audio_guide;
use crate::web::gallery::item_page::MediaView;
use crate::web::page::{PageCtx, render};
use crate::web::params::Params;
use crate::web::session::ClientIp;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};

#[derive(Template)]
#[template(path = "visit/stop.html")]
struct StopPage {
    ctx: PageCtx,
    a: Assignment,
    visit: Visit,
    stop: Stop,
    total: usize,
    questions: Vec<Question>,
    /// Why answers can no longer change, if they cannot.
    locked: Option<String>,
    prev: Option<String>,
    next: String,
    progress_label: String,
    /// The stop's audio guide, with its transcript.
    audio: Option<MediaView>,
}

impl StopPage {
    fn given(&self, q: &Question) -> String {
        self.visit.answer(q.id).unwrap_or("").to_owned()
    }

    /// A short answer's box language when it is set vertically for Mongolian.
    fn answer_lang(&self, q: &Question) -> Option<&'static str> {
        crate::i18n::writing_lang(self.ctx.lang, &self.given(q))
    }

    fn chosen(&self, q: &Question, index: &usize) -> bool {
        self.visit.answer(q.id) == Some(index.to_string().as_str())
    }

    fn is_choice(&self, q: &Question) -> bool {
        q.kind == QuestionKind::Choice
    }
}

/// The visit's exhibition and the stop `number`, or 404.
async fn exhibition_stop(
    state: &AppState,
    a: &Assignment,
    number: &str,
) -> Result<(Exhibition, usize), AppError> {
    let ex = crate::classroom::tour::walk(state.catalogue.as_ref(), &a.fields.tour)
        .await?
        .ok_or(AppError::NotFound)?;
    let n: usize = number.parse().map_err(|_| AppError::NotFound)?;
    if n == 0 || n > ex.stops.len() {
        return Err(AppError::NotFound);
    }
    Ok((ex, n))
}

fn next_href(a: &Assignment, n: usize, total: usize) -> String {
    if n < total {
        format!("/visit/{}/stops/{}", a.code, n + 1)
    } else {
        format!("/visit/{}/essay", a.code)
    }
}

/// The header visit-offline.js sends while it saves the visit on a device: downloading a
/// stop is not seeing it.
const OFFLINE_COPY: &str = "x-offline-copy";

/// One stop; opening it counts it as seen (saving it for offline use does not).
#[tracing::instrument(skip_all)]
pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    ip: ClientIp,
    headers: HeaderMap,
    Path((code, number)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let a = match assignment(&state, &ctx, &code, &ip).await? {
        Ok(a) => a,
        Err(page) => return Ok(page),
    };
    let Some(mut visit) = current_visit(&state, &headers, &a).await? else {
        return Ok(Redirect::to(&format!("/visit/{}", a.code)).into_response());
    };
    let (ex, n) = exhibition_stop(&state, &a, &number).await?;
    let locked = refuse_changes(&ctx, &a, &visit);
    let number = n as i64;
    let seeing = !headers.contains_key(OFFLINE_COPY);
    if seeing && locked.is_none() && !visit.stops_seen.contains(&number) {
        state
            .classroom
            .repo()
            .mark_stop_seen(visit.id, number)
            .await?;
        visit.stops_seen.push(number);
    }
    let total = ex.stops.len();
    let progress_label = ctx.tr.with(
        "stop-progress",
        &[("n", &n.to_string()), ("total", &total.to_string())],
    );
    let audio = audio_guide(&state, &ex.stops[n - 1], ctx.lang).await?;
    render(&StopPage {
        audio,
        questions: a.questions_at(number).into_iter().cloned().collect(),
        prev: (n > 1).then(|| format!("/visit/{}/stops/{}", a.code, n - 1)),
        next: next_href(&a, n, total),
        stop: ex.stops[n - 1].clone(),
        total,
        progress_label,
        locked,
        visit,
        a,
        ctx,
    })
}

/// Stores the answers given at a stop and moves on to the next stop (or the essay).
#[tracing::instrument(skip_all)]
pub async fn answer(
    State(state): State<AppState>,
    ctx: PageCtx,
    ip: ClientIp,
    headers: HeaderMap,
    Path((code, number)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, AppError> {
    let a = match assignment(&state, &ctx, &code, &ip).await? {
        Ok(a) => a,
        Err(page) => return Ok(page),
    };
    let Some(visit) = current_visit(&state, &headers, &a).await? else {
        return Ok(Redirect::to(&format!("/visit/{}", a.code)).into_response());
    };
    let (ex, n) = exhibition_stop(&state, &a, &number).await?;
    if let Some(why) = refuse_changes(&ctx, &a, &visit) {
        let link = Some((format!("/visit/{}", a.code), ctx.t("visit-back-to-start")));
        return super::message(
            ctx,
            axum::http::StatusCode::FORBIDDEN,
            "visit-closed-title",
            why,
            link,
        );
    }
    let form = Params::from_pairs(form_urlencoded::parse(&body).into_owned().collect());
    let mut answers = Vec::new();
    for q in a.questions_at(n as i64) {
        let Some(given) = form.get(&format!("q{}", q.id)) else {
            continue;
        };
        let value = match q.kind {
            // Only the number of one of its choices.
            QuestionKind::Choice => match given.parse::<usize>() {
                Ok(i) if i < q.choices.len() => i.to_string(),
                _ => continue,
            },
            QuestionKind::Short => rules::answer_text(given),
        };
        answers.push((q.id, value));
    }
    if !answers.is_empty() {
        state
            .classroom
            .repo()
            .save_answers(visit.id, &answers)
            .await?;
    }
    Ok(Redirect::to(&next_href(&a, n, ex.stops.len())).into_response())
}
