//! One error type for every handler. It renders as JSON `{code, message}` by default; the
//! gallery's page layer turns the same error into an HTML page in the visitor's language.
//! Client errors carry a stable code and say what to fix; server errors are logged in
//! full and shown only as "something went wrong".

use crate::repo::RepoError;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// Everything a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No such page or record (or not public).
    #[error("not found")]
    NotFound,
    /// A query or form parameter has a value we cannot use.
    #[error("invalid value {value:?} for parameter {param:?}{}", allowed.as_ref().map(|a| format!("; allowed: {a}")).unwrap_or_default())]
    BadParam {
        /// The parameter's name.
        param: &'static str,
        /// What was sent (shortened).
        value: String,
        /// The values that would work, when they can be listed.
        allowed: Option<String>,
    },
    /// Not signed in (or the session ended).
    #[error("sign in first")]
    Unauthorized,
    /// Signed in, but not allowed to do this.
    #[error("not allowed: {0}")]
    Forbidden(String),
    /// The request conflicts with existing data.
    #[error("conflict: {0}")]
    Conflict(String),
    /// A stored file cannot be turned into what was asked (a damaged original image).
    #[error("{0}")]
    Unprocessable(String),
    /// A dependency (the database, the media folder) is not ready.
    #[error("service unavailable: {0}")]
    Unavailable(String),
    /// A bug or an infrastructure failure; details are logged, never shown.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    /// A bad parameter value, shortened so hostile input does not echo at length.
    pub fn bad_param(param: &'static str, value: &str, allowed: Option<String>) -> AppError {
        AppError::BadParam {
            param,
            value: value.chars().take(60).collect(),
            allowed,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::BadParam { .. } => StatusCode::BAD_REQUEST,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotFound => "not_found",
            AppError::BadParam { .. } => "bad_param",
            AppError::Unauthorized => "unauthorized",
            AppError::Forbidden(_) => "forbidden",
            AppError::Conflict(_) => "conflict",
            AppError::Unprocessable(_) => "unprocessable",
            AppError::Unavailable(_) => "unavailable",
            AppError::Internal(_) => "internal",
        }
    }
}

impl From<RepoError> for AppError {
    fn from(e: RepoError) -> AppError {
        match e {
            RepoError::Conflict(what) => AppError::Conflict(what),
            RepoError::Invalid(what) => {
                AppError::Internal(anyhow::anyhow!("unexpected invalid reference: {what}"))
            }
            RepoError::Backend(e) => AppError::Internal(e),
        }
    }
}

/// What the HTML page layer needs to render an error page (attached to error responses).
#[derive(Debug, Clone)]
pub struct ErrorPage {
    /// The HTTP status.
    pub status: StatusCode,
    /// For bad parameters: the parameter, the value and the allowed values.
    pub bad_param: Option<(&'static str, String, Option<String>)>,
}

/// The JSON body of an error.
#[derive(serde::Serialize)]
struct ErrorBody {
    code: &'static str,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    param: Option<&'static str>,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let message = match &self {
            AppError::Internal(e) => {
                tracing::error!(error = ?e, "internal error");
                "something went wrong on our side; it has been logged".to_owned()
            }
            AppError::Unavailable(why) => {
                tracing::warn!(%why, "unavailable");
                self.to_string()
            }
            _ => self.to_string(),
        };
        let (param, bad_param) = match &self {
            AppError::BadParam {
                param,
                value,
                allowed,
            } => (Some(*param), Some((*param, value.clone(), allowed.clone()))),
            _ => (None, None),
        };
        let mut response = (
            status,
            Json(ErrorBody {
                code: self.code(),
                message,
                param,
            }),
        )
            .into_response();
        response
            .extensions_mut()
            .insert(ErrorPage { status, bad_param });
        response
    }
}
