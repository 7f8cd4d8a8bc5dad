//! Who may do what over HTTP.
//!
//! - Staff sign in with name and password (argon2 hashes) and get a session cookie
//!   (`HttpOnly`, `SameSite=Strict`, `Secure` behind TLS). Every state-changing request with
//!   that cookie must also carry the session's CSRF token in `X-CSRF-Token` (the staff page
//!   reads it from the sign-in answer): a form on another site cannot know it.
//! - Exhibitors carry an invite token (from the link staff made) in `Authorization: Bearer`;
//!   it allows uploading into one room and reading one's own uploads, nothing else.
//! - Teachers carry a teacher's invite token the same way; it allows planning class visits in
//!   one room and reading those visits, nothing else (no staff account needed).

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash};
use axum::Json;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::time::Duration;
use utoipa::ToSchema;

use super::{ApiError, AppState, ClientAddrs};
use crate::storage::{InviteKind, InviteRow, unix_now};

pub const SESSION_COOKIE: &str = "stadtlab_staff";
pub const CSRF_HEADER: &str = "x-csrf-token";
const SESSION_SECS: i64 = 12 * 3600;

pub fn hash_password(password: &str) -> anyhow::Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing the password: {e}"))
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A random token (256 bits, URL-safe).
pub fn new_token() -> String {
    use base64::Engine;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct SessionInfo {
    pub username: String,
    /// Send this in `X-CSRF-Token` with every change made under this session.
    pub csrf_token: String,
}

/// Signs a staff member in.
#[utoipa::path(post, path = "/api/session", tag = "staff", request_body = LoginRequest,
    responses((status = 200, body = SessionInfo, description = "signed in; the session cookie is set"),
              (status = 401, description = "wrong name or password"),
              (status = 429, description = "too many attempts from this address or for this name"),
              (status = 503, description = "too many sign-ins at once")))]
pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(addrs): ConnectInfo<ClientAddrs>,
    headers: HeaderMap,
    jar: CookieJar,
    body: Result<Json<LoginRequest>, axum::extract::rejection::JsonRejection>,
) -> Result<(CookieJar, Json<SessionInfo>), ApiError> {
    let origin = super::join::client_address(&headers, addrs.remote, state.trust_forwarded_for);
    if !state.login_limiter.allow(origin) {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_attempts",
            "too many sign-in attempts from your network; wait a minute",
        ));
    }
    let Json(req) = body?;
    if !state
        .account_limiter
        .allow_key(req.username.trim().to_lowercase())
    {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_attempts",
            "too many sign-in attempts for this name; wait a minute",
        ));
    }
    // Few checks at once: a flood of sign-ins from many addresses queues here briefly and
    // is then told to wait, instead of running argon2 on every core.
    let Ok(Ok(_permit)) =
        tokio::time::timeout(Duration::from_secs(5), state.password_checks.acquire()).await
    else {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "sign_in_busy",
            "too many sign-ins at once; try again in a moment",
        ));
    };
    let stored = state
        .storage
        .staff_password_hash(&req.username)
        .await
        .map_err(ApiError::internal)?;
    // Hash even for unknown names so that timing does not tell which names exist.
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let hash = match &stored {
        Some(h) => h.clone(),
        None => DUMMY
            .get_or_init(|| hash_password("no such user").unwrap_or_default())
            .clone(),
    };
    let password = req.password.clone();
    let ok = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .unwrap_or(false);
    if !ok || stored.is_none() {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "wrong_credentials",
            "name or password is wrong",
        ));
    }
    let token = new_token();
    let csrf = new_token();
    state
        .storage
        .insert_session(
            &token_hash(&token),
            &req.username,
            &csrf,
            unix_now() + SESSION_SECS,
        )
        .await
        .map_err(ApiError::internal)?;
    let cookie = Cookie::build((SESSION_COOKIE, token))
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(state.secure_cookies)
        .path("/")
        .build();
    Ok((
        jar.add(cookie),
        Json(SessionInfo {
            username: req.username,
            csrf_token: csrf,
        }),
    ))
}

/// The signed-in staff member, if any (and the CSRF token, for the page after a reload).
#[utoipa::path(get, path = "/api/session", tag = "staff",
    responses((status = 200, body = SessionInfo), (status = 401, description = "not signed in")),
    security(("staff" = [])))]
pub async fn current(staff: Staff) -> Json<SessionInfo> {
    Json(SessionInfo {
        username: staff.username,
        csrf_token: staff.csrf,
    })
}

/// Signs out.
#[utoipa::path(delete, path = "/api/session", tag = "staff", responses((status = 204)),
    security(("staff" = [])))]
pub async fn logout(
    State(state): State<AppState>,
    staff: Staff,
    jar: CookieJar,
) -> Result<(CookieJar, StatusCode), ApiError> {
    state
        .storage
        .delete_session(&staff.token_hash)
        .await
        .map_err(ApiError::internal)?;
    Ok((
        jar.remove(Cookie::build(SESSION_COOKIE).path("/")),
        StatusCode::NO_CONTENT,
    ))
}

/// A signed-in staff member; for requests that change something, with a valid CSRF token.
pub struct Staff {
    pub username: String,
    pub csrf: String,
    token_hash: String,
}

fn unauthorized() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "not_signed_in",
        "sign in as staff first (/staff)",
    )
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let jar = CookieJar::from_headers(&parts.headers);
        let token = jar
            .get(SESSION_COOKIE)
            .ok_or_else(unauthorized)?
            .value()
            .to_string();
        let hash = token_hash(&token);
        let session = state
            .storage
            .session(&hash)
            .await
            .map_err(ApiError::internal)?
            .ok_or_else(unauthorized)?;
        let changes = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if changes {
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if !constant_time_eq(sent.as_bytes(), session.csrf.as_bytes()) {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "csrf",
                    "this change lacks the session's CSRF token (X-CSRF-Token): reload the staff page",
                ));
            }
        }
        Ok(Staff {
            username: session.username,
            csrf: session.csrf,
            token_hash: hash,
        })
    }
}

/// The staff member whose session cookie came with a request, without the CSRF check: for
/// the join endpoint, which only reads the role (the cookie is `SameSite=Strict`, so another
/// site cannot send it).
pub async fn staff_by_cookie(headers: &HeaderMap, state: &AppState) -> Option<String> {
    let jar = CookieJar::from_headers(headers);
    let token = jar.get(SESSION_COOKIE)?.value().to_string();
    let session = state.storage.session(&token_hash(&token)).await.ok()??;
    Some(session.username)
}

pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// An exhibitor's invite, from `Authorization: Bearer <token>`.
pub struct Invite(pub InviteRow);

/// A teacher's invite, from `Authorization: Bearer <token>`: plans class visits.
pub struct TeacherInvite(pub InviteRow);

pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

/// The live invite of `kind` the request's bearer token names.
async fn invite_of_kind(
    parts: &Parts,
    state: &AppState,
    kind: InviteKind,
) -> Result<InviteRow, ApiError> {
    let token = bearer(&parts.headers).ok_or_else(|| {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "no_invite",
            "open this page through your invite link (the token is missing)",
        )
    })?;
    let invite = state
        .storage
        .invite_by_token(&token_hash(token))
        .await
        .map_err(ApiError::internal)?
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unknown_invite",
                "this invite link is not valid: ask the lab team for a new one",
            )
        })?;
    if invite.revoked || unix_now() >= invite.expires_at {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "invite_expired",
            "this invite link has expired or was withdrawn: ask the lab team for a new one",
        ));
    }
    if invite.kind != kind {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "wrong_invite_kind",
            match invite.kind {
                InviteKind::Teacher => {
                    "this is a teacher's link: it plans class visits and cannot upload exhibits"
                }
                InviteKind::Exhibitor => {
                    "this is an exhibitor's link: it uploads exhibits and cannot plan class visits"
                }
            },
        ));
    }
    Ok(invite)
}

impl FromRequestParts<AppState> for Invite {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        invite_of_kind(parts, state, InviteKind::Exhibitor)
            .await
            .map(Invite)
    }
}

impl FromRequestParts<AppState> for TeacherInvite {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        invite_of_kind(parts, state, InviteKind::Teacher)
            .await
            .map(TeacherInvite)
    }
}

/// Either kind of caller, for what both may read.
pub enum Caller {
    Staff(Staff),
    Exhibitor(InviteRow),
    Public,
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if CookieJar::from_headers(&parts.headers)
            .get(SESSION_COOKIE)
            .is_some()
            && let Ok(staff) = Staff::from_request_parts(parts, state).await
        {
            return Ok(Caller::Staff(staff));
        }
        if bearer(&parts.headers).is_some() {
            return Ok(Caller::Exhibitor(
                Invite::from_request_parts(parts, state).await?.0,
            ));
        }
        Ok(Caller::Public)
    }
}
