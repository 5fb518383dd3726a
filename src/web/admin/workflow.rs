//! The workflow buttons of items and exhibitions (draft → in review → published →
//! archived): one form, checked the same way for both.

use crate::accounts::Authenticated;
use crate::catalogue::types::Status;
use crate::catalogue::workflow::next_statuses;
use crate::error::AppError;
use crate::web::session::require_csrf;
use serde::Deserialize;

/// A workflow button's form.
#[derive(Deserialize)]
pub struct StatusSubmit {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    revision: String,
}

impl StatusSubmit {
    /// Refuses a form without the session's CSRF token (checked before anything is read).
    pub fn check_csrf(&self, auth: &Authenticated) -> Result<(), AppError> {
        require_csrf(auth, Some(&self.csrf))
    }

    /// The status asked for and the revision the page showed, if the move from `current`
    /// is one the workflow allows; a clear 400 otherwise.
    pub fn target(&self, current: Status) -> Result<(Status, i64), AppError> {
        let status = Status::parse(&self.status).map_err(|_| {
            AppError::bad_param(
                "status",
                &self.status,
                Some("draft, in_review, published, archived".into()),
            )
        })?;
        let revision: i64 = self
            .revision
            .parse()
            .map_err(|_| AppError::bad_param("revision", &self.revision, None))?;
        if !next_statuses(current).contains(&status) {
            return Err(AppError::bad_param("status", status.code(), None));
        }
        Ok((status, revision))
    }
}
