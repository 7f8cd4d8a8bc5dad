//! The programme of talks: staff plan talks (title, speaker, time, room, description in
//! German and English, optional slides); everyone reads the list, the calendar feed and the
//! schedule JSON. The programme's clock (`programme::clock`) starts and ends them.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use stadtlab_shared::exhibit::clean_field;
use utoipa::{IntoParams, ToSchema};

use super::auth::Staff;
use super::extract::{ApiPath, ApiQuery};
use super::{ApiError, AppState};
use crate::programme::{ical, schedule};
use crate::storage::{TalkRow, unix_now};

/// Talks are listed from this long before now (what ran earlier today stays in view).
const SHOWN_AFTER_END_S: i64 = 12 * 3600;
/// The longest talk (a whole day's workshop).
const MAX_TALK_S: i64 = 12 * 3600;
/// How far ahead talks may be planned.
const MAX_AHEAD_S: i64 = 2 * 365 * 24 * 3600;

#[derive(Deserialize, ToSchema)]
pub struct NewTalk {
    pub room: String,
    pub title_de: String,
    pub title_en: String,
    pub speaker: String,
    #[serde(default)]
    pub description_de: String,
    #[serde(default)]
    pub description_en: String,
    /// Unix seconds.
    pub starts_at: i64,
    pub ends_at: i64,
    /// Slides its start puts on the stage screen.
    pub deck_id: Option<String>,
    /// A question asked after the talk, answered in free text (up to 200 characters).
    #[serde(default)]
    pub closing_question: String,
}

fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::unprocessable("invalid_field", message)
}

/// Plans a talk. Its start opens talk mode in its room and shows its slides; its end closes it.
#[utoipa::path(post, path = "/api/talks", tag = "talks", request_body = NewTalk,
    responses((status = 201, body = TalkRow), (status = 422, description = "a field breaks a rule"), (status = 401)),
    security(("staff" = [])))]
pub async fn create(
    State(state): State<AppState>,
    staff: Staff,
    body: Result<Json<NewTalk>, axum::extract::rejection::JsonRejection>,
) -> Result<(StatusCode, Json<TalkRow>), ApiError> {
    let Json(req) = body?;
    let field = |name: &'static str, value: &str, max: usize, required: bool, multiline: bool| {
        clean_field(name, value, max, required, multiline).map_err(|e| invalid(e.to_string()))
    };
    let title_de = field("title_de", &req.title_de, 120, true, false)?;
    let title_en = field("title_en", &req.title_en, 120, true, false)?;
    let speaker = field("speaker", &req.speaker, 80, true, false)?;
    let description_de = field("description_de", &req.description_de, 2000, false, true)?;
    let description_en = field("description_en", &req.description_en, 2000, false, true)?;
    let closing_question = field("closing_question", &req.closing_question, 200, false, false)?;
    if !state
        .exhibition
        .scene(&req.room)
        .is_some_and(|s| s.has_stage())
        || state.admission.public_room(&req.room).is_none()
    {
        return Err(invalid(format!(
            "room: `{}` is not a room with a stage here",
            req.room
        )));
    }
    let now = unix_now();
    if req.ends_at <= req.starts_at || req.ends_at - req.starts_at > MAX_TALK_S {
        return Err(invalid(
            "ends_at: a talk ends after it starts, at most 12 hours later",
        ));
    }
    if req.ends_at <= now || req.starts_at > now + MAX_AHEAD_S {
        return Err(invalid(
            "starts_at: a talk lies ahead (and within two years)",
        ));
    }
    if let Some(deck) = &req.deck_id
        && state
            .storage
            .deck(deck)
            .await
            .map_err(ApiError::internal)?
            .is_none()
    {
        return Err(invalid("deck_id: no such slides"));
    }
    let row = TalkRow {
        id: crate::exhibits::catalog::new_id(),
        room: req.room,
        title_de,
        title_en,
        speaker,
        description_de,
        description_en,
        starts_at: req.starts_at,
        ends_at: req.ends_at,
        deck_id: req.deck_id,
        created_by: staff.username,
        created_at: now,
        closing_question: Some(closing_question).filter(|q| !q.is_empty()),
    };
    state
        .storage
        .insert_talk(&row)
        .await
        .map_err(ApiError::internal)?;
    Ok((StatusCode::CREATED, Json(row)))
}

/// Removes a talk from the programme (a running one ends).
#[utoipa::path(delete, path = "/api/talks/{id}", tag = "talks", params(("id" = String, Path)),
    responses((status = 204), (status = 404), (status = 401)), security(("staff" = [])))]
pub async fn delete(
    State(state): State<AppState>,
    _staff: Staff,
    ApiPath(id): ApiPath<String>,
) -> Result<StatusCode, ApiError> {
    if state
        .storage
        .delete_talk(&id)
        .await
        .map_err(ApiError::internal)?
    {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "no_such_talk",
            "no such talk",
        ))
    }
}

async fn coming(state: &AppState) -> Result<Vec<TalkRow>, ApiError> {
    state
        .storage
        .talks_ending_after(unix_now() - SHOWN_AFTER_END_S)
        .await
        .map_err(ApiError::internal)
}

/// The programme: talks from earlier today on, in order of their start.
#[utoipa::path(get, path = "/api/talks", tag = "talks", responses((status = 200, body = Vec<TalkRow>)))]
pub async fn list(State(state): State<AppState>) -> Result<Json<Vec<TalkRow>>, ApiError> {
    Ok(Json(coming(&state).await?))
}

#[derive(Deserialize, IntoParams)]
pub struct FeedQuery {
    /// `de` (default) or `en`.
    pub lang: Option<String>,
}

/// The address people reached us at, for links in the feeds.
fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        })
        .unwrap_or("localhost:8080");
    let scheme = if state.secure_cookies {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
}

fn lang(q: &FeedQuery) -> &'static str {
    if q.lang.as_deref() == Some("en") {
        "en"
    } else {
        "de"
    }
}

/// The programme as an iCal feed (RFC 5545) for calendar apps.
#[utoipa::path(get, path = "/programme.ics", tag = "talks", params(FeedQuery),
    responses((status = 200, content_type = "text/calendar")))]
pub async fn ics(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<FeedQuery>,
) -> Result<Response, ApiError> {
    let body = ical::calendar(
        &coming(&state).await?,
        &base_url(&state, &headers),
        lang(&q),
    );
    Ok((
        [(header::CONTENT_TYPE, "text/calendar; charset=utf-8")],
        body,
    )
        .into_response())
}

/// The programme in the frab/pretalx schedule JSON format, for conference tools.
#[utoipa::path(get, path = "/programme.json", tag = "talks", params(FeedQuery),
    responses((status = 200, body = Object)))]
pub async fn json(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<FeedQuery>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let talks = coming(&state).await?;
    let rooms: Vec<String> = state
        .exhibition
        .scenes_with_stage()
        .into_iter()
        .filter(|r| state.admission.public_room(r).is_some())
        .collect();
    Ok(Json(schedule::schedule(
        &talks,
        &rooms,
        &base_url(&state, &headers),
        lang(&q),
    )))
}
