//! The students' side of the classroom, at `/visit`: enter a join code (or scan the QR
//! code), pick a nickname, walk the exhibition stop by stop answering the questions at
//! each stop, write the essay (autosaved), hand it in. No account: a random token in an
//! HttpOnly cookie keeps the student in, and a resume code lets them continue elsewhere.

mod essay;
mod join;
mod stops;

use crate::app::AppState;
use crate::classroom::model::{Assignment, Visit};
use crate::classroom::{JoinError, Locked};
use crate::error::AppError;
use crate::web::html_pages;
use crate::web::page::{PageCtx, render};
use crate::web::session::ClientIp;
use askama::Template;
use axum::Router;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware;
use axum::response::Response;
use axum::routing::{get, post};
use tower_http::set_header::SetResponseHeaderLayer;

/// The student routes.
pub fn router(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/visit", get(join::start))
        .route("/visit/{code}", get(join::show))
        .route("/visit/{code}/join", post(join::create))
        .route("/visit/{code}/resume", post(join::resume))
        .route("/visit/{code}/leave", post(join::leave))
        .route(
            "/visit/{code}/stops/{number}",
            get(stops::show).post(stops::answer),
        )
        .route("/visit/{code}/essay", get(essay::show).post(essay::save))
        .route("/visit/{code}/done", get(essay::done))
        // Every page here is one child's own work: never stored by any cache.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(middleware::from_fn_with_state(state, html_pages::layer))
}

/// A page that only says something: a wrong code, too many tries, a closed assignment.
#[derive(Template)]
#[template(path = "visit/message.html")]
struct MessagePage {
    ctx: PageCtx,
    heading: String,
    message: String,
    /// Where to go next, and the link's text.
    link: Option<(String, String)>,
}

/// A message page with `status`.
fn message(
    ctx: PageCtx,
    status: StatusCode,
    heading: &str,
    message: String,
    link: Option<(String, String)>,
) -> Result<Response, AppError> {
    let heading = ctx.t(heading);
    let mut page = render(&MessagePage {
        ctx,
        heading,
        message,
        link,
    })?;
    *page.status_mut() = status;
    Ok(page)
}

/// The page for a code that led nowhere: 404 for a wrong code, 429 when the address
/// must wait.
fn join_error(ctx: PageCtx, e: JoinError) -> Result<Response, AppError> {
    match e {
        JoinError::Unknown => {
            let link = Some(("/visit".to_owned(), ctx.t("visit-try-again")));
            let text = ctx.t("visit-unknown-code");
            message(
                ctx,
                StatusCode::NOT_FOUND,
                "visit-unknown-code-title",
                text,
                link,
            )
        }
        JoinError::Locked(Locked { minutes }) => {
            let text = ctx.tr.n("visit-too-many", minutes);
            let mut page = message(
                ctx,
                StatusCode::TOO_MANY_REQUESTS,
                "visit-too-many-title",
                text,
                None,
            )?;
            page.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from_str(&(minutes * 60).to_string()).expect("digits"),
            );
            Ok(page)
        }
        JoinError::Repo(e) => Err(e.into()),
    }
}

/// The assignment a code in the path names, or the page explaining why there is none.
async fn assignment(
    state: &AppState,
    ctx: &PageCtx,
    code: &str,
    ip: &ClientIp,
) -> Result<Result<Assignment, Response>, AppError> {
    match state
        .classroom
        .find(code, ip.0.as_deref(), chrono::Utc::now())
        .await
    {
        Ok(a) => Ok(Ok(a)),
        Err(e) => Ok(Err(join_error(ctx.clone(), e)?)),
    }
}

/// The cookie that keeps a device in one assignment's visit. Each assignment has its own,
/// limited to its own path, so a shared phone can hold several without mixing them up.
fn cookie_name(a: &Assignment) -> String {
    format!("edubase_visit_{}", a.code)
}

fn cookie_token<'a>(headers: &'a HeaderMap, a: &Assignment) -> Option<&'a str> {
    let name = cookie_name(a);
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| pair.trim().strip_prefix(name.as_str())?.strip_prefix('='))
        .filter(|t| !t.is_empty())
}

/// `Set-Cookie` for a device token (`None` removes it).
fn set_cookie(state: &AppState, a: &Assignment, token: Option<&str>) -> HeaderValue {
    let secure = if state.config.public_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    let max_age = if token.is_some() { 180 * 24 * 3600 } else { 0 };
    let value = format!(
        "{}={}; Path=/visit/{}; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}",
        cookie_name(a),
        token.unwrap_or(""),
        a.code
    );
    HeaderValue::from_str(&value).expect("tokens are base64url")
}

/// This device's visit in `a`, if it has one.
async fn current_visit(
    state: &AppState,
    headers: &HeaderMap,
    a: &Assignment,
) -> Result<Option<Visit>, AppError> {
    match cookie_token(headers, a) {
        Some(token) => Ok(state.classroom.visit_for(a.id, token).await?),
        None => Ok(None),
    }
}

/// China Standard Time, to the minute, as the pages print moments.
pub fn beijing(at: &chrono::DateTime<chrono::Utc>) -> String {
    crate::stats::china_time(*at)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// The last day an assignment takes work (the day before it closes, China time).
pub fn last_day(a: &Assignment) -> String {
    let closes = a.closes() - chrono::Duration::seconds(1);
    crate::stats::day_of(closes).to_string()
}

/// Whether a student may still change their work in `a`, and why not.
fn refuse_changes(ctx: &PageCtx, a: &Assignment, visit: &Visit) -> Option<String> {
    if visit.submitted_at.is_some() {
        Some(ctx.t("visit-already-submitted"))
    } else if !a.is_open(chrono::Utc::now()) {
        Some(closed_text(ctx, a))
    } else {
        None
    }
}

/// "This assignment closed on …; work can no longer be handed in."
fn closed_text(ctx: &PageCtx, a: &Assignment) -> String {
    if chrono::Utc::now() < a.fields.opens_at {
        ctx.t1(
            "visit-not-open-yet",
            "day",
            &crate::stats::day_of(a.fields.opens_at).to_string(),
        )
    } else {
        ctx.t1("visit-closed", "day", &last_day(a))
    }
}

/// "Stops seen: 3 of 6".
fn progress(ctx: &PageCtx, v: &Visit, stops: i64) -> String {
    ctx.tr.with(
        "visit-progress",
        &[
            ("seen", &v.stops_seen.len().to_string()),
            ("total", &stops.to_string()),
        ],
    )
}
