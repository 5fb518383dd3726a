//! The layer every HTML page goes through: language negotiation, refusing an unknown
//! `?lang=`, and turning error responses into pages in the visitor's language.

use crate::app::AppState;
use crate::error::{AppError, ErrorPage};
use crate::i18n::Lang;
use crate::web::lang::{ReqLang, negotiate};
use crate::web::page::{PageCtx, STAFF_LANGS, render};
use askama::Template;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Negotiates the language, refuses an unknown `?lang=`, and turns any error response
/// into an HTML page in the visitor's language (keeping its status).
pub async fn layer(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let negotiated = negotiate(request.uri().query(), request.headers());
    let path = request.uri().path().to_owned();
    let lang = page_lang(&path, negotiated.lang);
    let query = request.uri().query().map(str::to_owned);
    let mut response = match &negotiated.invalid {
        Some(code) => AppError::bad_param("lang", code, Some("zh, mn, en".into())).into_response(),
        None => {
            request.extensions_mut().insert(ReqLang(lang));
            next.run(request).await
        }
    };
    if let Some(error) = response.extensions_mut().remove::<ErrorPage>() {
        let ctx = PageCtx::new(lang, &path, query.as_deref(), &state.config.public_url);
        response = error_page(ctx, &error);
    }
    negotiated.apply(response.headers_mut());
    response
}

/// The language a page is shown in: the visitor's, except that the staff's pages (the
/// admin and the classroom, which set their interface strings horizontally) show
/// Mongolian as Chinese. A curator's preview of an exhibition (and its stops) is a public
/// page, and a visit's handout is printed for students: in any.
fn page_lang(path: &str, lang: Lang) -> Lang {
    let staff = (path == "/admin" || path.starts_with("/admin/"))
        && !path.contains("/preview")
        && !path.ends_with("/handout");
    if staff && !STAFF_LANGS.contains(&lang) {
        Lang::Zh
    } else {
        lang
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorTemplate {
    ctx: PageCtx,
    status: u16,
    heading: String,
    message: String,
    detail: Option<String>,
}

fn error_page(ctx: PageCtx, error: &ErrorPage) -> Response {
    let (heading, message) = match error.status {
        StatusCode::NOT_FOUND => ("error-404-title", "error-404-text"),
        StatusCode::BAD_REQUEST => ("error-400-title", "error-400-text"),
        StatusCode::UNAUTHORIZED => ("error-401-title", "error-401-text"),
        StatusCode::FORBIDDEN => ("error-403-title", "error-403-text"),
        StatusCode::CONFLICT => ("error-409-title", "error-409-text"),
        StatusCode::SERVICE_UNAVAILABLE => ("error-503-title", "error-503-text"),
        _ => ("error-500-title", "error-500-text"),
    };
    let detail = error.bad_param.as_ref().map(|(param, value, allowed)| {
        let mut text = ctx
            .tr
            .with("error-bad-param", &[("param", param), ("value", value)]);
        if let Some(allowed) = allowed {
            text.push(' ');
            text.push_str(&ctx.tr.with("error-allowed-values", &[("allowed", allowed)]));
        }
        text
    });
    let page = ErrorTemplate {
        heading: ctx.t(heading),
        message: ctx.t(message),
        status: error.status.as_u16(),
        detail,
        ctx,
    };
    match render(&page) {
        Ok(mut response) => {
            *response.status_mut() = error.status;
            response
        }
        Err(e) => {
            tracing::error!(error = %e, "error page failed to render");
            (error.status, "error").into_response()
        }
    }
}
