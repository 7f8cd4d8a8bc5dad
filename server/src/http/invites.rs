//! Invites: staff make links for exhibitors and for teachers (there is no public sign-up); an
//! exhibitor's page reads what its invite allows, a teacher's page plans class visits with it.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use stadtlab_shared::exhibit::clean_field;
use utoipa::ToSchema;

use super::auth::{Invite, Staff, new_token, token_hash};
use super::exhibits::TextDeEn;
use super::extract::ApiPath;
use super::{ApiError, AppState};
use crate::storage::{InviteKind, InviteRow, unix_now};

#[derive(Deserialize, ToSchema)]
pub struct NewInvite {
    /// Who it is for, e.g. "Gymnasium Soest, 9b".
    pub label: String,
    /// `exhibitor` (default: uploads exhibits) or `teacher` (plans class visits).
    pub kind: Option<InviteKind>,
    /// Room the uploads go to, or the visits show (default: stadtlabor).
    pub room: Option<String>,
    /// Days it stays valid, 1-90 (default 14; 90 for a teacher: a school term).
    pub days: Option<u32>,
    /// Uploads or class visits it allows, 1-50 (default 5).
    pub max_uploads: Option<u32>,
}

#[derive(Serialize, ToSchema)]
pub struct CreatedInvite {
    pub id: String,
    /// Shown once: only its hash is stored.
    pub token: String,
    /// The link to hand to the exhibitor or teacher (relative to this server).
    pub link: String,
    pub expires_at: i64,
}

fn bad(message: String) -> ApiError {
    ApiError::unprocessable("invalid_field", message)
}

/// Creates an invite link for an exhibitor or a teacher.
#[utoipa::path(post, path = "/api/invites", tag = "staff", request_body = NewInvite,
    responses((status = 201, body = CreatedInvite)), security(("staff" = [])))]
pub async fn create(
    State(state): State<AppState>,
    staff: Staff,
    body: Result<Json<NewInvite>, axum::extract::rejection::JsonRejection>,
) -> Result<(StatusCode, Json<CreatedInvite>), ApiError> {
    let Json(req) = body?;
    let label =
        clean_field("label", &req.label, 120, true, false).map_err(|e| bad(e.to_string()))?;
    let room = req.room.unwrap_or_else(|| "stadtlabor".into());
    if state.exhibition.scene(&room).is_none() {
        return Err(bad(format!("room `{room}` is not hosted here")));
    }
    let kind = req.kind.unwrap_or_default();
    let days = req.days.unwrap_or(match kind {
        InviteKind::Exhibitor => 14,
        InviteKind::Teacher => 90,
    });
    let max_uploads = req.max_uploads.unwrap_or(5);
    if !(1..=90).contains(&days) || !(1..=50).contains(&max_uploads) {
        return Err(bad("days must be 1-90 and max_uploads 1-50".into()));
    }
    let token = new_token();
    let now = unix_now();
    let row = InviteRow {
        id: token_hash(&token)[..12].to_string(),
        kind,
        label,
        room,
        created_by: staff.username,
        expires_at: now + days as i64 * 86_400,
        max_uploads: max_uploads as i64,
        uploads: 0,
        failed_uploads: 0,
        revoked: false,
        created_at: now,
    };
    state
        .storage
        .insert_invite(&row, &token_hash(&token))
        .await
        .map_err(ApiError::internal)?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedInvite {
            id: row.id,
            // In the fragment: browsers do not send it to servers or proxies' logs.
            link: match kind {
                InviteKind::Exhibitor => format!("/upload#invite={token}"),
                InviteKind::Teacher => format!("/teach#invite={token}"),
            },
            token,
            expires_at: row.expires_at,
        }),
    ))
}

/// Every invite, newest first.
#[utoipa::path(get, path = "/api/invites", tag = "staff",
    responses((status = 200, body = Vec<InviteRow>)), security(("staff" = [])))]
pub async fn list(
    State(state): State<AppState>,
    _staff: Staff,
) -> Result<Json<Vec<InviteRow>>, ApiError> {
    Ok(Json(
        state.storage.invites().await.map_err(ApiError::internal)?,
    ))
}

/// Withdraws an invite.
#[utoipa::path(post, path = "/api/invites/{id}/revoke",
    params(("id" = String, Path, description = "the invite's id")), tag = "staff",
    responses((status = 204), (status = 404)), security(("staff" = [])))]
pub async fn revoke(
    State(state): State<AppState>,
    _staff: Staff,
    ApiPath(id): ApiPath<String>,
) -> Result<StatusCode, ApiError> {
    if state
        .storage
        .revoke_invite(&id)
        .await
        .map_err(ApiError::internal)?
    {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "no_such_invite",
            format!("no invite `{id}`"),
        ))
    }
}

#[derive(Serialize, ToSchema)]
pub struct ZoneChoice {
    pub id: String,
    pub name: TextDeEn,
}

#[derive(Serialize, ToSchema)]
pub struct MyInvite {
    pub label: String,
    pub room: String,
    pub zones: Vec<ZoneChoice>,
    pub uploads_left: i64,
    /// Uploads the rules refused so far (at most 30 per invite).
    pub refused_uploads: i64,
    pub expires_at: i64,
    /// What was uploaded with this invite, and its status.
    pub exhibits: Vec<super::exhibits::ExhibitInfo>,
}

/// What the caller's invite allows, and what was uploaded with it.
#[utoipa::path(get, path = "/api/invite", tag = "exhibits",
    responses((status = 200, body = MyInvite), (status = 401), (status = 403)), security(("invite" = [])))]
pub async fn mine(
    State(state): State<AppState>,
    Invite(invite): Invite,
) -> Result<Json<MyInvite>, ApiError> {
    let zones = state
        .exhibition
        .scene(&invite.room)
        .map(|scene| {
            scene
                .exhibit_zones()
                .map(|z| ZoneChoice {
                    id: z.id.clone(),
                    name: TextDeEn {
                        de: z.name.de.clone(),
                        en: z.name.en.clone(),
                    },
                })
                .collect()
        })
        .unwrap_or_default();
    let exhibits = state
        .storage
        .exhibits_by_invite(&invite.id)
        .await
        .map_err(ApiError::internal)?
        .into_iter()
        .map(super::exhibits::info)
        .collect();
    Ok(Json(MyInvite {
        label: invite.label,
        room: invite.room,
        zones,
        uploads_left: (invite.max_uploads - invite.uploads).max(0),
        refused_uploads: invite.failed_uploads,
        expires_at: invite.expires_at,
        exhibits,
    }))
}
