//! The router: every module's routes, and the layers every response gets.

use super::AppState;
use crate::web::media::MediaFirst;

/// Every route, with the layers every response gets: security headers, compression,
/// tracing, a request timeout, and panics turned into 500s.
pub fn router(state: AppState) -> App {
    use crate::web;
    use axum::http::{HeaderName, HeaderValue, header};
    use std::time::Duration;
    use tower_http::set_header::SetResponseHeaderLayer;

    // No inline script anywhere: JSON-LD is data, not script, and is unaffected. Images
    // may be blob: URLs, which only our own scripts can make (the 360° viewer loads the
    // photograph through one).
    let csp = "default-src 'self'; img-src 'self' data: blob:; media-src 'self'; style-src 'self'; \
               script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
               frame-ancestors 'self'";
    // Uploads are exempt from the request timeout: a large file on a slow network takes as
    // long as it takes (and tus makes it resumable).
    let timed = axum::Router::new()
        .merge(web::gallery::router(state.clone()))
        .merge(web::admin::router(state.clone()))
        .merge(web::visit::router(state.clone()))
        .merge(web::api::router())
        .merge(web::iiif_presentation::router())
        .merge(web::oai::router())
        .merge(web::crawlers::router())
        .merge(web::assets::router())
        .merge(web::health::router())
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(60),
        ));
    let everything_else = axum::Router::new()
        .merge(timed)
        .merge(web::uploads::router())
        .with_state(state.clone())
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(csp),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("x-frame-options"),
            HeaderValue::from_static("SAMEORIGIN"),
        ))
        .layer(tower_http::csrf::CsrfLayer::new())
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .layer(tower_http::catch_panic::CatchPanicLayer::new());
    // Media and IIIF images are served before all of that: they are the hottest paths (a
    // viewer asks for dozens of tiles at once), their answers set their own headers, and
    // they need no CSRF check, compression or tracing span per request.
    let router = axum::Router::new()
        .merge(web::media::router())
        .merge(web::iiif::router())
        .with_state(state.clone())
        .fallback_service(everything_else)
        .layer(tower_http::catch_panic::CatchPanicLayer::new());
    MediaFirst::new(state, router)
}

/// The whole application as one service: hot media first, then the router.
pub type App = MediaFirst<axum::Router>;
