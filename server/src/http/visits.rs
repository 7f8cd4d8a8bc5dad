//! Class visits on the staff page and the teacher's page: create one (a private room for a
//! group, in a time window, with an access code and a secret guide link), and list those not
//! yet over. Staff plan visits in any room; a teacher with a teacher's invite plans them in
//! the invite's room, as many as it allows, and sees only their own.

use axum::Json;
use axum::extract::{FromRequestParts, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::{Deserialize, Serialize};
use stadtlab_shared::exhibit::clean_field;
use utoipa::ToSchema;

use super::auth::{SESSION_COOKIE, Staff, TeacherInvite, bearer, new_token, token_hash};
use super::{ApiError, AppState};
use crate::admission::codes;
use crate::storage::{InviteRow, VisitRow, unix_now};

/// Who plans a class visit: a signed-in staff member, or a teacher with a teacher's invite.
pub enum Planner {
    Staff(Staff),
    Teacher(InviteRow),
}

impl FromRequestParts<AppState> for Planner {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        // A teacher's link wins over a staff cookie the same browser may also carry: the
        // teacher's page sends the token on purpose, the cookie comes along by itself.
        if bearer(&parts.headers).is_some() {
            return Ok(Planner::Teacher(
                TeacherInvite::from_request_parts(parts, state).await?.0,
            ));
        }
        let has_cookie = axum_extra::extract::CookieJar::from_headers(&parts.headers)
            .get(SESSION_COOKIE)
            .is_some();
        match Staff::from_request_parts(parts, state).await {
            Ok(staff) => Ok(Planner::Staff(staff)),
            Err(e) if has_cookie => Err(e),
            Err(_) => Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "no_planner",
                "class visits are planned by the lab team or with a teacher's invite link",
            )),
        }
    }
}

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
    responses((status = 201, body = CreatedVisit), (status = 401), (status = 403), (status = 422)),
    security(("staff" = []), ("invite" = [])))]
pub async fn create(
    State(state): State<AppState>,
    planner: Planner,
    body: Result<Json<NewVisit>, axum::extract::rejection::JsonRejection>,
) -> Result<(StatusCode, Json<CreatedVisit>), ApiError> {
    let Json(req) = body?;
    let title =
        clean_field("title", &req.title, 120, true, false).map_err(|e| bad(e.to_string()))?;
    let room = match &planner {
        Planner::Teacher(invite) => match req.room {
            Some(room) if room != invite.room => {
                return Err(bad(format!(
                    "this invite plans visits in `{}` only",
                    invite.room
                )));
            }
            _ => invite.room.clone(),
        },
        Planner::Staff(_) => req.room.unwrap_or_else(|| "stadtlabor".into()),
    };
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
    let (created_by, invite_id) = match planner {
        Planner::Staff(staff) => (staff.username, None),
        Planner::Teacher(invite) => {
            // Checked last: a refused form does not use up one of the invite's visits.
            let taken = state
                .storage
                .take_invite_use(&invite.id)
                .await
                .map_err(ApiError::internal)?;
            if !taken {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "invite_used_up",
                    format!(
                        "this invite allowed {} class visits and all are planned: ask the lab team for a new one",
                        invite.max_uploads
                    ),
                ));
            }
            (format!("{} (invite)", invite.label), Some(invite.id))
        }
    };
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
        created_by,
        created_at: now,
        invite_id,
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

/// Class visits not yet over, soonest first: all of them for staff, a teacher's own for a
/// teacher's invite.
#[utoipa::path(get, path = "/api/visits", tag = "visits",
    responses((status = 200, body = Vec<VisitInfo>), (status = 401), (status = 403)),
    security(("staff" = []), ("invite" = [])))]
pub async fn list(
    State(state): State<AppState>,
    planner: Planner,
) -> Result<Json<Vec<VisitInfo>>, ApiError> {
    let now = unix_now();
    let rows = match planner {
        Planner::Staff(_) => state.storage.visits_not_ended(now).await,
        Planner::Teacher(invite) => state.storage.visits_by_invite(&invite.id, now).await,
    }
    .map_err(ApiError::internal)?;
    Ok(Json(rows.into_iter().map(|v| info(&state, v)).collect()))
}

#[derive(Serialize, ToSchema)]
pub struct TeacherInviteInfo {
    /// Who it is for, as the lab team wrote it.
    pub label: String,
    /// The room whose exhibition the visits show.
    pub room: String,
    pub visits_left: i64,
    pub expires_at: i64,
}

/// What the caller's teacher's invite allows (the teacher's page shows it above the form).
#[utoipa::path(get, path = "/api/visits/invite", tag = "visits",
    responses((status = 200, body = TeacherInviteInfo), (status = 401), (status = 403)),
    security(("invite" = [])))]
pub async fn my_invite(TeacherInvite(invite): TeacherInvite) -> Json<TeacherInviteInfo> {
    Json(TeacherInviteInfo {
        visits_left: (invite.max_uploads - invite.uploads).max(0),
        label: invite.label,
        room: invite.room,
        expires_at: invite.expires_at,
    })
}
