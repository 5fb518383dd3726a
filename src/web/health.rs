//! Health endpoints for load balancers and orchestrators: `/healthz` says the process
//! answers; `/readyz` says its database and media store work.

use crate::app::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

/// The health routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

async fn healthz() -> &'static str {
    "ok\n"
}

async fn readyz(State(state): State<AppState>) -> Response {
    let database = state.meta.ping().await;
    let media = state.blobs.check().await;
    let ready = database.is_ok() && media.is_ok();
    if let Err(e) = &database {
        tracing::warn!(error = %e, "database not ready");
    }
    if let Err(e) = &media {
        tracing::warn!(error = %e, "media store not ready");
    }
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = json!({
        "status": if ready { "ready" } else { "unavailable" },
        "database": { "backend": state.backend, "ok": database.is_ok() },
        "media": { "ok": media.is_ok() },
    });
    (status, Json(body)).into_response()
}
