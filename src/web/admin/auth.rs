//! Signing in and out, and creating the first administrator from the setup link.

use crate::accounts::{LoginError, SetupError, UserError};
use crate::app::AppState;
use crate::error::AppError;
use crate::web::page::{PageCtx, render};
use crate::web::params::Params;
use crate::web::session::{
    ClientIp, MaybeSignedIn, SignedIn, clear_cookie, require_csrf, safe_next, session_cookie,
};
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "admin/login.html")]
struct LoginPage {
    ctx: PageCtx,
    error: Option<String>,
    username: String,
    next: String,
}

pub async fn login_form(
    ctx: PageCtx,
    params: Params,
    MaybeSignedIn(auth): MaybeSignedIn,
) -> Result<Response, AppError> {
    let next = safe_next(params.get("next"));
    if auth.is_some() {
        return Ok(Redirect::to(&next).into_response());
    }
    render(&LoginPage {
        ctx,
        error: None,
        username: String::new(),
        next,
    })
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

#[tracing::instrument(skip_all, fields(username = %form.username))]
pub async fn login(
    State(state): State<AppState>,
    ctx: PageCtx,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    let next = safe_next(form.next.as_deref());
    let agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    match state
        .accounts
        .login(&form.username, &form.password, ip, agent)
        .await
    {
        Ok(signed_in) => {
            tracing::info!(user = %signed_in.user.username, "signed in");
            let mut response = Redirect::to(&next).into_response();
            response
                .headers_mut()
                .insert(header::SET_COOKIE, session_cookie(&state, &signed_in.token));
            Ok(response)
        }
        Err(LoginError::Repo(e)) => Err(e.into()),
        Err(e) => {
            let (status, message) = match e {
                LoginError::AccountLocked { minutes } => (
                    StatusCode::TOO_MANY_REQUESTS,
                    ctx.tr.n("login-account-locked", minutes),
                ),
                LoginError::AddressLocked { minutes } => (
                    StatusCode::TOO_MANY_REQUESTS,
                    ctx.tr.n("login-address-locked", minutes),
                ),
                _ => (StatusCode::UNAUTHORIZED, ctx.t("login-invalid")),
            };
            let mut response = render(&LoginPage {
                error: Some(message),
                username: form.username.chars().take(32).collect(),
                next,
                ctx,
            })?;
            *response.status_mut() = status;
            Ok(response)
        }
    }
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

pub async fn logout(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    require_csrf(&auth, Some(&form.csrf))?;
    state.accounts.logout(&auth.session).await?;
    let mut response = Redirect::to("/admin/login").into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, clear_cookie(&state));
    Ok(response)
}

pub async fn logout_everywhere(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    require_csrf(&auth, Some(&form.csrf))?;
    let ended = state.accounts.logout_everywhere(auth.user.id).await?;
    tracing::info!(user = %auth.user.username, ended, "signed out everywhere");
    let mut response = Redirect::to("/admin/login").into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, clear_cookie(&state));
    Ok(response)
}

#[derive(Template)]
#[template(path = "admin/setup.html")]
struct SetupPage {
    ctx: PageCtx,
    valid: bool,
    token: String,
    error: Option<String>,
    username: String,
    display_name: String,
}

pub async fn setup_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    params: Params,
) -> Result<Response, AppError> {
    let token = params.get("token").unwrap_or("").to_owned();
    let valid = !token.is_empty() && state.accounts.setup_token_valid(&token).await?;
    let mut response = render(&SetupPage {
        ctx,
        valid,
        token,
        error: None,
        username: String::new(),
        display_name: String::new(),
    })?;
    if !valid {
        *response.status_mut() = StatusCode::FORBIDDEN;
    }
    Ok(response)
}

#[derive(Deserialize)]
pub struct SetupForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password2: String,
}

/// A message a person can act on, for a refused new user.
pub fn user_error_message(ctx: &PageCtx, e: &UserError) -> String {
    match e {
        UserError::BadUsername(_) => ctx.t("username-hint"),
        UserError::WeakPassword(w) => ctx.t(match w {
            crate::accounts::types::WeakPassword::TooShort => "password-too-short",
            crate::accounts::types::WeakPassword::TooLong => "password-too-long",
            crate::accounts::types::WeakPassword::ContainsUsername => "password-has-username",
            crate::accounts::types::WeakPassword::TooCommon => "password-too-common",
        }),
        UserError::Taken(_) => ctx.t("username-taken"),
        other => other.to_string(),
    }
}

#[tracing::instrument(skip_all)]
pub async fn setup(
    State(state): State<AppState>,
    ctx: PageCtx,
    ClientIp(ip): ClientIp,
    Form(form): Form<SetupForm>,
) -> Result<Response, AppError> {
    let refuse = |ctx: PageCtx,
                  message: String,
                  form: &SetupForm,
                  status: StatusCode|
     -> Result<Response, AppError> {
        let mut response = render(&SetupPage {
            ctx,
            valid: status != StatusCode::FORBIDDEN,
            token: form.token.clone(),
            error: Some(message),
            username: form.username.chars().take(32).collect(),
            display_name: form.display_name.chars().take(80).collect(),
        })?;
        *response.status_mut() = status;
        Ok(response)
    };
    if form.password != form.password2 {
        let message = ctx.t("password-mismatch");
        return refuse(ctx, message, &form, StatusCode::UNPROCESSABLE_ENTITY);
    }
    match state
        .accounts
        .complete_setup(
            &form.token,
            &form.username,
            &form.display_name,
            &form.password,
        )
        .await
    {
        Ok(user) => {
            tracing::info!(user = %user.username, "first administrator created");
            let signed_in = state
                .accounts
                .login(&form.username, &form.password, ip, None)
                .await
                .map_err(|e| {
                    AppError::Internal(anyhow::anyhow!("sign-in after setup failed: {e}"))
                })?;
            let mut response = Redirect::to("/admin").into_response();
            response
                .headers_mut()
                .insert(header::SET_COOKIE, session_cookie(&state, &signed_in.token));
            Ok(response)
        }
        Err(SetupError::BadToken | SetupError::Done) => {
            let message = ctx.t("setup-invalid");
            refuse(ctx, message, &form, StatusCode::FORBIDDEN)
        }
        Err(SetupError::User(UserError::Other(e))) => Err(AppError::Internal(e)),
        Err(SetupError::User(e)) => {
            let message = user_error_message(&ctx, &e);
            refuse(ctx, message, &form, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}
