//! Sign-in state on requests: the session cookie, the signed-in user, and CSRF tokens.
//!
//! Cross-site requests are refused twice over: tower-http's `CsrfLayer` rejects
//! state-changing requests whose `Sec-Fetch-Site`/`Origin` say they come from another
//! site, and every admin form and upload also carries the session's own token.

use crate::accounts::Authenticated;
use crate::app::AppState;
use crate::error::AppError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};

/// The session cookie's name: with TLS the `__Host-` prefix pins it to this host and path.
pub fn cookie_name(state: &AppState) -> &'static str {
    if state.config.public_url.starts_with("https://") {
        "__Host-edubase_session"
    } else {
        "edubase_session"
    }
}

/// `Set-Cookie` for a new session.
pub fn session_cookie(state: &AppState, token: &str) -> HeaderValue {
    let secure = if state.config.public_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    let max_age = state.accounts.policy().absolute.num_seconds();
    let value = format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}",
        cookie_name(state)
    );
    HeaderValue::from_str(&value).expect("tokens are base64url")
}

/// `Set-Cookie` that removes the session cookie.
pub fn clear_cookie(state: &AppState) -> HeaderValue {
    let secure = if state.config.public_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    let value = format!(
        "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}",
        cookie_name(state)
    );
    HeaderValue::from_str(&value).expect("ASCII")
}

fn token<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| pair.trim().strip_prefix(name)?.strip_prefix('='))
        .filter(|t| !t.is_empty())
}

/// The request's session, looked up once and remembered in the request's extensions.
async fn lookup(parts: &mut Parts, state: &AppState) -> Result<Option<Authenticated>, AppError> {
    if let Some(found) = parts.extensions.get::<Option<Authenticated>>() {
        return Ok(found.clone());
    }
    let found = match token(&parts.headers, cookie_name(state)) {
        Some(token) => state.accounts.authenticate(token).await?,
        None => None,
    };
    parts.extensions.insert(found.clone());
    Ok(found)
}

/// A signed-in user on an HTML page; without one, the browser is sent to the sign-in page
/// and brought back afterwards.
pub struct SignedIn(pub Authenticated);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match lookup(parts, state).await {
            Ok(Some(auth)) => Ok(SignedIn(auth)),
            Ok(None) => {
                let here = parts
                    .uri
                    .path_and_query()
                    .map(|p| p.as_str())
                    .unwrap_or("/admin");
                let next = form_urlencoded::byte_serialize(here.as_bytes()).collect::<String>();
                Err(Redirect::to(&format!("/admin/login?next={next}")).into_response())
            }
            Err(e) => Err(e.into_response()),
        }
    }
}

/// A signed-in user on an API call; without one, 401.
pub struct ApiUser(pub Authenticated);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        lookup(parts, state)
            .await?
            .map(ApiUser)
            .ok_or(AppError::Unauthorized)
    }
}

/// The signed-in user, if any.
pub struct MaybeSignedIn(pub Option<Authenticated>);

impl FromRequestParts<AppState> for MaybeSignedIn {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(MaybeSignedIn(lookup(parts, state).await?))
    }
}

/// The client's address, when the server knows it (not in tests without a socket).
pub struct ClientIp(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|c| c.0.ip().to_string()),
        ))
    }
}

/// Refuses a state-changing request whose form field or `X-CSRF-Token` header does not
/// carry the session's token.
pub fn require_csrf(auth: &Authenticated, sent: Option<&str>) -> Result<(), AppError> {
    match sent {
        Some(token) if auth.csrf_ok(token) => Ok(()),
        _ => Err(AppError::Forbidden(
            "the form is out of date or came from another site; reload the page and try again"
                .into(),
        )),
    }
}

/// A local path to return to after signing in; anything else (other sites,
/// `//evil.example`, odd characters) becomes `/admin`.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && !n.chars().any(char::is_control) =>
        {
            n.to_owned()
        }
        _ => "/admin".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_returned_to() {
        assert_eq!(safe_next(Some("/admin/items?x=1")), "/admin/items?x=1");
        for bad in [
            "//evil.example",
            "https://evil.example",
            "/\\evil",
            "javascript:alert(1)",
            "",
        ] {
            assert_eq!(safe_next(Some(bad)), "/admin", "{bad}");
        }
        assert_eq!(safe_next(None), "/admin");
    }
}
