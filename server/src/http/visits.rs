//! Class visits on the staff page: create one (a private room for a group, in a time window,
//! with an access code and a secret guide link), and list those not yet over.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use stadtlab_shared::exhibit::clean_field;
use utoipa::ToSchema;

use super::auth::{Staff, new_token, token_hash};
use super::{ApiError, AppState};
use crate::admission::codes;
use crate::storage::{VisitRow, unix_now};

/// Longest class visit, and how far ahead one can be planned.
const MAX_VISIT_SECS: i64 = 8 * 3600;
const MAX_AHEAD_SECS: i64 = 366 * 24 * 3600;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewVisit {
    /// Shown to the class, e.g. "Klasse 7b, Conrad-von-Soest-Gymnasium".
    pub title: String,
    /// The public room whose scene and exhibition the visit shows (default: stadtlabor).
    pub room: Option<String>,
    /// Unix seconds; default now.
    pub starts_at: Option<i64>,
    /// Unix seconds, after `starts_at`, at most 8 hours later.
    pub ends_at: i64,
    /// Expected size of the group, guide included: the private room's capacity (2-60).
    pub capacity: u32,
    /// `de` (default) or `en`.
    pub language: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CreatedVisit {
    #[serde(flatten)]
    pub visit: VisitInfo,
    /// Shown once: the guide's link (only its key's hash is stored).
    pub guide_link: String,
}

#[derive(Serialize, ToSchema)]
pub struct VisitInfo {
    pub id: String,
    pub title: String,
    pub room: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub capacity: i64,
    pub language: String,
    /// The access code to read aloud, like `K7P-M4Q`.
    pub code: String,
    /// The pupils' link (fills in the code).
    pub pupil_link: String,
    /// The private room is open now.
    pub open: bool,
    pub created_by: String,
}

fn bad(message: impl Into<String>) -> ApiError {
    ApiError::unprocessable("invalid_field", message)
}

fn info(state: &AppState, v: VisitRow) -> VisitInfo {
    let code = codes::display(&v.code);
    VisitInfo {
        open: state.admission.visit_room(&v.id).is_some(),
        pupil_link: format!("/?code={code}&lang={}", v.language),
        code,
        id: v.id,
        title: v.title,
        room: v.room,
        starts_at: v.starts_at,
        ends_at: v.ends_at,
        capacity: v.capacity,
        language: v.language,
        created_by: v.created_by,
    }
}

/// Creates a class visit; its private room opens when its window starts.
#[utoipa::path(post, path = "/api/visits", tag = "visits", request_body = NewVisit,
    responses((status = 201, body = CreatedVisit)), security(("staff" = [])))]
pub async fn create(
    State(state): State<AppState>,
    staff: Staff,
    body: Result<Json<NewVisit>, axum::extract::rejection::JsonRejection>,
) -> Result<(StatusCode, Json<CreatedVisit>), ApiError> {
    let Json(req) = body?;
    let title =
        clean_field("title", &req.title, 120, true, false).map_err(|e| bad(e.to_string()))?;
    let room = req.room.unwrap_or_else(|| "stadtlabor".into());
    if state.admission.public_room(&room).is_none() {
        return Err(bad(format!("room `{room}` is not hosted here")));
    }
    let now = unix_now();
    let starts_at = req.starts_at.unwrap_or(now);
    if req.ends_at <= starts_at || req.ends_at - starts_at > MAX_VISIT_SECS {
        return Err(bad("the visit must end after it starts, within 8 hours"));
    }
    if req.ends_at <= now || starts_at - now > MAX_AHEAD_SECS {
        return Err(bad(
            "the visit's window must not be over and start within a year",
        ));
    }
    if !(2..=60).contains(&req.capacity) {
        return Err(bad("the group size must be between 2 and 60"));
    }
    let language = req.language.unwrap_or_else(|| "de".into());
    if language != "de" && language != "en" {
        return Err(bad("language must be de or en"));
    }
    let guide_key = new_token();
    let row = VisitRow {
        id: new_token()[..12].to_string(),
        title,
        room,
        starts_at,
        ends_at: req.ends_at,
        capacity: i64::from(req.capacity),
        language,
        code: codes::normalise(&codes::new_code()).expect("our own code"),
        guide_key_hash: token_hash(&guide_key),
        created_by: staff.username,
        created_at: now,
    };
    state
        .storage
        .insert_visit(&row)
        .await
        .map_err(ApiError::internal)?;
    crate::visits::open_due(&state.storage, &state.admission, &state.commands)
        .await
        .map_err(ApiError::internal)?;
    let visit = info(&state, row);
    let guide_link = format!("{}&guide={guide_key}", visit.pupil_link);
    Ok((
        StatusCode::CREATED,
        Json(CreatedVisit { visit, guide_link }),
    ))
}

/// Class visits not yet over, soonest first.
#[utoipa::path(get, path = "/api/visits", tag = "visits",
    responses((status = 200, body = Vec<VisitInfo>)), security(("staff" = [])))]
pub async fn list(
    State(state): State<AppState>,
    _staff: Staff,
) -> Result<Json<Vec<VisitInfo>>, ApiError> {
    let rows = state
        .storage
        .visits_not_ended(unix_now())
        .await
        .map_err(ApiError::internal)?;
    Ok(Json(rows.into_iter().map(|v| info(&state, v)).collect()))
}
