//! User accounts in the admin, for administrators: add people with a role (and, for
//! curators, their bases), change a role, set a new password, disable an account, and sign
//! someone out everywhere. The last enabled administrator cannot be demoted or disabled.

use super::auth::user_error_message;
use super::{AdminCtx, require_admin, with_status};
use crate::accounts::model::User;
use crate::accounts::types::{Role, Username};
use crate::accounts::{Authenticated, UserError};
use crate::app::AppState;
use crate::catalogue::model::Base;
use crate::catalogue::repo::ListQuery;
use crate::catalogue::types::Slug;
use crate::error::AppError;
use crate::repo::Visibility;
use crate::web::page::{PageCtx, render};
use crate::web::params::Params;
use crate::web::session::{SignedIn, require_csrf};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};

/// The user routes of the admin.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/users", get(list).post(create))
        .route("/admin/users/new", get(new_form))
        .route("/admin/users/{username}", get(show).post(save_access))
        .route("/admin/users/{username}/password", post(reset_password))
        .route("/admin/users/{username}/disabled", post(set_disabled))
        .route(
            "/admin/users/{username}/sessions",
            post(sign_out_everywhere),
        )
}

/// The roles with their message keys, for choosing.
fn roles() -> Vec<(Role, &'static str)> {
    Role::ALL
        .into_iter()
        .map(|r| (r, super::role_key(r)))
        .collect()
}

async fn all_bases(state: &AppState) -> Result<Vec<Base>, AppError> {
    Ok(state
        .catalogue
        .list_bases(&ListQuery::all(Visibility::All, 500))
        .await?
        .items)
}

#[derive(Template)]
#[template(path = "admin/users_list.html")]
struct ListPage {
    ctx: PageCtx,
    admin: AdminCtx,
    users: Vec<User>,
}

impl ListPage {
    fn role(&self, role: &Role) -> String {
        self.ctx.t(super::role_key(*role))
    }
}

async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
) -> Result<Response, AppError> {
    require_admin(&auth)?;
    let users = state.accounts.repo().list_users().await?;
    render(&ListPage {
        admin: AdminCtx::new(&auth, "users"),
        users,
        ctx,
    })
}

/// The new-user form, as typed (passwords are never sent back).
#[derive(Default)]
struct NewUserForm {
    username: String,
    display_name: String,
    role: String,
    bases: Vec<String>,
}

#[derive(Template)]
#[template(path = "admin/user_new.html")]
struct NewPage {
    ctx: PageCtx,
    admin: AdminCtx,
    form: NewUserForm,
    roles: Vec<(Role, &'static str)>,
    bases: Vec<Base>,
    error: Option<String>,
}

impl NewPage {
    fn has_base(&self, slug: &Slug) -> bool {
        self.form.bases.iter().any(|b| b == slug.as_str())
    }

    fn role_is(&self, role: &Role) -> bool {
        self.form.role == role.code()
    }
}

async fn new_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
) -> Result<Response, AppError> {
    require_admin(&auth)?;
    render(&NewPage {
        admin: AdminCtx::new(&auth, "users"),
        form: NewUserForm {
            role: Role::Curator.code().to_owned(),
            ..NewUserForm::default()
        },
        roles: roles(),
        bases: all_bases(&state).await?,
        error: None,
        ctx,
    })
}

/// A role and bases as submitted: the bases only count for curators.
fn access(params: &Params) -> Result<(Role, Vec<Slug>), &'static str> {
    let role = Role::parse(params.get("role").unwrap_or("")).map_err(|_| "user-choose-role")?;
    let mut bases = Vec::new();
    if role == Role::Curator {
        for b in params.all("base") {
            bases.push(Slug::parse(b).map_err(|_| "user-unknown-base")?);
        }
        bases.sort();
        bases.dedup();
    }
    Ok((role, bases))
}

fn message(ctx: &PageCtx, e: &UserError) -> String {
    match e {
        UserError::LastAdmin => ctx.t("user-last-admin"),
        UserError::Invalid(m) if m.contains("base") => ctx.t("user-unknown-base"),
        other => user_error_message(ctx, other),
    }
}

async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    require_admin(&auth)?;
    let params = Params::from_pairs(pairs);
    require_csrf(&auth, params.get("_csrf"))?;
    let form = NewUserForm {
        username: params
            .get("username")
            .unwrap_or("")
            .chars()
            .take(32)
            .collect(),
        display_name: params
            .get("display_name")
            .unwrap_or("")
            .chars()
            .take(80)
            .collect(),
        role: params.get("role").unwrap_or("").to_owned(),
        bases: params.all("base").into_iter().map(str::to_owned).collect(),
    };
    let outcome = match access(&params) {
        Err(key) => Err(ctx.t(key)),
        Ok(_) if params.raw("password") != params.raw("password2") => {
            Err(ctx.t("password-mismatch"))
        }
        Ok((role, bases)) => match state
            .accounts
            .add_user(
                &form.username,
                &form.display_name,
                role,
                bases,
                params.raw("password"),
                actor(&auth),
            )
            .await
        {
            Ok(user) => Ok(user),
            Err(UserError::Other(e)) => return Err(AppError::Internal(e)),
            Err(e) => Err(message(&ctx, &e)),
        },
    };
    match outcome {
        Ok(user) => {
            Ok(Redirect::to(&format!("/admin/users/{}?created=1", user.username)).into_response())
        }
        Err(error) => {
            let page = NewPage {
                admin: AdminCtx::new(&auth, "users"),
                form,
                roles: roles(),
                bases: all_bases(&state).await?,
                error: Some(error),
                ctx,
            };
            Ok(with_status(
                render(&page)?,
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
    }
}

#[derive(Template)]
#[template(path = "admin/user_show.html")]
struct UserPage {
    ctx: PageCtx,
    admin: AdminCtx,
    user: User,
    roles: Vec<(Role, &'static str)>,
    bases: Vec<Base>,
    notice: Option<String>,
    error: Option<String>,
    /// The signed-in administrator looks at their own account.
    is_self: bool,
}

impl UserPage {
    fn has_base(&self, slug: &Slug) -> bool {
        self.user.bases.contains(slug)
    }

    fn role_is(&self, role: &Role) -> bool {
        self.user.role == *role
    }

    fn role(&self) -> String {
        self.ctx.t(super::role_key(self.user.role))
    }
}

/// A form posted to a user's page: only administrators, only with the session's CSRF
/// token, only for a user who exists.
async fn posted(
    state: &AppState,
    auth: &Authenticated,
    username: &str,
    pairs: Vec<(String, String)>,
) -> Result<(Params, User), AppError> {
    require_admin(auth)?;
    let params = Params::from_pairs(pairs);
    require_csrf(auth, params.get("_csrf"))?;
    Ok((params, named(state, username).await?))
}

/// The user named in the path, or 404.
async fn named(state: &AppState, username: &str) -> Result<User, AppError> {
    let name = Username::parse(username).map_err(|_| AppError::NotFound)?;
    Ok(state
        .accounts
        .repo()
        .user_by_name(&name)
        .await?
        .ok_or(AppError::NotFound)?
        .0)
}

async fn user_page(
    state: &AppState,
    ctx: PageCtx,
    auth: &Authenticated,
    user: User,
    notice: Option<String>,
    error: Option<String>,
) -> Result<Response, AppError> {
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = UserPage {
        admin: AdminCtx::new(auth, "users"),
        is_self: user.id == auth.user.id,
        user,
        roles: roles(),
        bases: all_bases(state).await?,
        notice,
        error,
        ctx,
    };
    Ok(with_status(render(&page)?, status))
}

async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Path(username): Path<String>,
    params: Params,
) -> Result<Response, AppError> {
    require_admin(&auth)?;
    let user = named(&state, &username).await?;
    let notice = [
        "created",
        "saved",
        "password",
        "disabled",
        "enabled",
        "signed-out",
    ]
    .into_iter()
    .find(|k| params.get(k).is_some())
    .map(|k| ctx.t(&format!("user-notice-{k}")));
    user_page(&state, ctx, &auth, user, notice, None).await
}

/// Handles a refused change: the user page with the reason, or a server error.
async fn refused(
    state: &AppState,
    ctx: PageCtx,
    auth: &Authenticated,
    user: User,
    e: UserError,
) -> Result<Response, AppError> {
    if let UserError::Other(e) = e {
        return Err(AppError::Internal(e));
    }
    let error = message(&ctx, &e);
    user_page(state, ctx, auth, user, None, Some(error)).await
}

fn actor(auth: &Authenticated) -> (Option<i64>, &str) {
    (Some(auth.user.id), auth.user.username.as_str())
}

async fn save_access(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Path(username): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (params, user) = posted(&state, &auth, &username, pairs).await?;
    let (role, bases) = match access(&params) {
        Ok(ok) => ok,
        Err(key) => {
            let error = ctx.t(key);
            return user_page(&state, ctx, &auth, user, None, Some(error)).await;
        }
    };
    let display_name = params.get("display_name").unwrap_or("");
    match state
        .accounts
        .set_access(&username, display_name, role, bases, actor(&auth))
        .await
    {
        Ok(user) => {
            Ok(Redirect::to(&format!("/admin/users/{}?saved=1", user.username)).into_response())
        }
        Err(e) => refused(&state, ctx, &auth, user, e).await,
    }
}

async fn reset_password(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Path(username): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (params, user) = posted(&state, &auth, &username, pairs).await?;
    if params.raw("password") != params.raw("password2") {
        let error = ctx.t("password-mismatch");
        return user_page(&state, ctx, &auth, user, None, Some(error)).await;
    }
    match state
        .accounts
        .reset_password(&username, params.raw("password"), actor(&auth))
        .await
    {
        Ok(user) => {
            Ok(Redirect::to(&format!("/admin/users/{}?password=1", user.username)).into_response())
        }
        Err(e) => refused(&state, ctx, &auth, user, e).await,
    }
}

async fn set_disabled(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Path(username): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (params, user) = posted(&state, &auth, &username, pairs).await?;
    let disabled = match params.get("disabled") {
        Some("true") => true,
        Some("false") => false,
        other => {
            return Err(AppError::bad_param(
                "disabled",
                other.unwrap_or(""),
                Some("true, false".into()),
            ));
        }
    };
    if disabled && user.id == auth.user.id {
        let error = ctx.t("user-not-yourself");
        return user_page(&state, ctx, &auth, user, None, Some(error)).await;
    }
    if disabled
        && user.role == Role::Admin
        && !user.disabled
        && state.accounts.repo().count_admins().await? <= 1
    {
        return refused(&state, ctx, &auth, user, UserError::LastAdmin).await;
    }
    match state
        .accounts
        .set_disabled(&username, disabled, actor(&auth))
        .await
    {
        Ok(user) => {
            let notice = if disabled { "disabled" } else { "enabled" };
            Ok(Redirect::to(&format!("/admin/users/{}?{notice}=1", user.username)).into_response())
        }
        Err(e) => refused(&state, ctx, &auth, user, e).await,
    }
}

async fn sign_out_everywhere(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    Path(username): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (_, user) = posted(&state, &auth, &username, pairs).await?;
    let ended = state.accounts.logout_everywhere(user.id).await?;
    state
        .accounts
        .repo()
        .audit(&crate::repo::AuditEntry {
            actor: Some(auth.user.id),
            actor_name: auth.user.username.to_string(),
            action: "user.sign_out_everywhere".into(),
            entity: "user".into(),
            entity_id: user.username.to_string(),
            before: None,
            after: Some(serde_json::json!({ "sessions_ended": ended }).to_string()),
        })
        .await?;
    Ok(Redirect::to(&format!("/admin/users/{}?signed-out=1", user.username)).into_response())
}
