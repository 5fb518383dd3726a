//! Health endpoints for load balancers and orchestrators: `/healthz` says the process
//! answers; `/readyz` says its database and media store work; `/metrics` counts what an
//! operator watches.

use crate::app::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;
use std::sync::atomic::Ordering;

/// The health routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
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
        "media": {
            "store": state.blobs.kind(),
            "ok": media.is_ok(),
        },
    });
    (status, Json(body)).into_response()
}

/// `/metrics`: Prometheus text format — the job queue and the database's health.
pub async fn metrics(State(state): State<AppState>) -> Response {
    let queue = state.jobs.counts().await;
    let database_up = state.meta.ping().await.is_ok();
    let mut out = String::new();
    out.push_str("# HELP edubase_database_up 1 when the database answers.\n# TYPE edubase_database_up gauge\n");
    out.push_str(&format!("edubase_database_up {}\n", u8::from(database_up)));
    if let Ok(q) = queue {
        out.push_str("# HELP edubase_jobs_queued Background jobs waiting or running.\n# TYPE edubase_jobs_queued gauge\n");
        out.push_str(&format!("edubase_jobs_queued {}\n", q.queued));
        out.push_str("# HELP edubase_jobs_failed Background jobs that gave up.\n# TYPE edubase_jobs_failed gauge\n");
        out.push_str(&format!("edubase_jobs_failed {}\n", q.failed));
    }
    if let Ok(Some(run)) = state.last_fixity().await {
        let r = &run.report;
        out.push_str("# HELP edubase_fixity_missing_originals Originals named by media records but missing from the store, at the last fixity check.\n# TYPE edubase_fixity_missing_originals gauge\n");
        out.push_str(&format!(
            "edubase_fixity_missing_originals {}\n",
            r.missing.len()
        ));
        out.push_str("# HELP edubase_fixity_corrupt_originals Originals whose bytes no longer match their hash, at the last fixity check.\n# TYPE edubase_fixity_corrupt_originals gauge\n");
        out.push_str(&format!(
            "edubase_fixity_corrupt_originals {}\n",
            r.corrupt.len()
        ));
        out.push_str("# HELP edubase_fixity_last_check_timestamp_seconds When the last fixity check finished.\n# TYPE edubase_fixity_last_check_timestamp_seconds gauge\n");
        out.push_str(&format!(
            "edubase_fixity_last_check_timestamp_seconds {}\n",
            run.at.timestamp()
        ));
    }
    let counts = &state.served.counts;
    out.push_str("# HELP edubase_media_socket_answers_total Media requests answered on the socket (sendfile), below hyper.\n# TYPE edubase_media_socket_answers_total counter\n");
    out.push_str(&format!(
        "edubase_media_socket_answers_total {}\n",
        counts.answered.load(Ordering::Relaxed)
    ));
    out.push_str("# HELP edubase_connections_to_application_total Connections handed to hyper and the application (at their first request that is not hot media).\n# TYPE edubase_connections_to_application_total counter\n");
    out.push_str(&format!(
        "edubase_connections_to_application_total {}\n",
        counts.handed_over.load(Ordering::Relaxed)
    ));
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        out,
    )
        .into_response()
}
