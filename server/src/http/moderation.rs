//! Moderation on the staff page: bans (list, lift), the audit log, visitors' reports.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use super::auth::Staff;
use super::extract::ApiPath;
use super::{ApiError, AppState};
use crate::storage::{AuditRow, BanRow, ReportRow, unix_now};

/// Bans, newest first (lifted ones too, marked).
#[utoipa::path(get, path = "/api/moderation/bans", tag = "moderation",
    responses((status = 200, body = Vec<BanRow>)), security(("staff" = [])))]
pub async fn bans(
    State(state): State<AppState>,
    _staff: Staff,
) -> Result<Json<Vec<BanRow>>, ApiError> {
    Ok(Json(
        state
            .storage
            .bans(false)
            .await
            .map_err(ApiError::internal)?,
    ))
}

/// Lifts a ban: the person may come in again at once.
#[utoipa::path(post, path = "/api/moderation/bans/{id}/lift", tag = "moderation",
    params(("id" = String, Path, description = "the ban's id")),
    responses((status = 204, description = "lifted"),
              (status = 404, body = super::error::ErrorBody, description = "no such active ban")),
    security(("staff" = [])))]
pub async fn lift(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<String>,
) -> Result<StatusCode, ApiError> {
    let lifted = state
        .storage
        .lift_ban(&id, &staff.username)
        .await
        .map_err(ApiError::internal)?;
    if !lifted {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_ban",
            "there is no active ban with this id",
        ));
    }
    state.admission.lift_ban(&id);
    state
        .storage
        .insert_audit(&AuditRow {
            at: unix_now(),
            room: String::new(),
            actor: staff.username,
            actor_role: "staff".into(),
            action: "lift_ban".into(),
            target: id,
            reason: String::new(),
        })
        .await
        .map_err(ApiError::internal)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Every moderation action, newest first (the last 500).
#[utoipa::path(get, path = "/api/moderation/audit", tag = "moderation",
    responses((status = 200, body = Vec<AuditRow>)), security(("staff" = [])))]
pub async fn audit(
    State(state): State<AppState>,
    _staff: Staff,
) -> Result<Json<Vec<AuditRow>>, ApiError> {
    Ok(Json(
        state
            .storage
            .audit_log(500)
            .await
            .map_err(ApiError::internal)?,
    ))
}

/// Visitors' reports with the chat that led up to them, newest first (the last 200).
#[utoipa::path(get, path = "/api/moderation/reports", tag = "moderation",
    responses((status = 200, body = Vec<ReportRow>)), security(("staff" = [])))]
pub async fn reports(
    State(state): State<AppState>,
    _staff: Staff,
) -> Result<Json<Vec<ReportRow>>, ApiError> {
    Ok(Json(
        state
            .storage
            .reports(200)
            .await
            .map_err(ApiError::internal)?,
    ))
}
