//! The exhibits API: list, get, files (everyone, as far as they may see), approve / reject /
//! hide (staff). Uploads are in [`super::uploads`].

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use stadtlab_shared::exhibit::clean_field;
use utoipa::{IntoParams, ToSchema};

use super::auth::{Caller, Staff};
use super::extract::{ApiPath, ApiQuery};
use super::{ApiError, AppState};
use crate::exhibits::catalog::{self, CatalogError};
use crate::storage::{ExhibitRow, ExhibitStatus};

#[derive(Serialize, ToSchema)]
pub struct TextDeEn {
    pub de: String,
    pub en: String,
}

/// An exhibit as the API shows it.
#[derive(Serialize, ToSchema)]
pub struct ExhibitInfo {
    pub id: String,
    pub room: String,
    pub zone: String,
    /// The pedestal it stands on once approved.
    pub slot: Option<String>,
    pub title: TextDeEn,
    pub text: TextDeEn,
    pub organisation: String,
    pub link: Option<String>,
    pub status: ExhibitStatus,
    /// Why staff turned it down (shown to the exhibitor).
    pub reject_reason: Option<String>,
    /// The validation report of its model.
    #[schema(value_type = Object)]
    pub report: serde_json::Value,
    pub model_url: Option<String>,
    pub thumbnail_url: Option<String>,
    /// The panel's pictures (PNG, at most 1024 px).
    pub image_urls: Vec<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

pub fn info(row: ExhibitRow) -> ExhibitInfo {
    ExhibitInfo {
        model_url: row
            .model_blob
            .as_ref()
            .map(|k| catalog::model_path(&row.id, k)),
        thumbnail_url: row
            .thumbnail_blob
            .as_ref()
            .map(|k| catalog::thumbnail_path(&row.id, k)),
        image_urls: catalog::image_paths(&row),
        id: row.id,
        room: row.room,
        zone: row.zone,
        slot: row.slot,
        title: TextDeEn {
            de: row.title_de,
            en: row.title_en,
        },
        text: TextDeEn {
            de: row.text_de,
            en: row.text_en,
        },
        organisation: row.organisation,
        link: row.link,
        status: row.status,
        reject_reason: row.reject_reason,
        report: row.report,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

pub(super) fn catalog_error(e: CatalogError) -> ApiError {
    match e {
        CatalogError::NotFound(id) => ApiError::new(
            StatusCode::NOT_FOUND,
            "no_such_exhibit",
            format!("no exhibit `{id}`"),
        ),
        CatalogError::Conflict(m) => ApiError::new(StatusCode::CONFLICT, "conflict", m),
        CatalogError::Busy(full) => ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "ingest_busy",
            format!("{full}: try again in a minute"),
        ),
        other => ApiError::internal(other),
    }
}

/// Who may see `row`: everyone once approved; staff always; an exhibitor their own uploads.
fn may_see(caller: &Caller, row: &ExhibitRow) -> bool {
    match caller {
        Caller::Staff(_) => true,
        Caller::Exhibitor(invite) => {
            row.status == ExhibitStatus::Approved || row.invite_id.as_deref() == Some(&invite.id)
        }
        Caller::Public => row.status == ExhibitStatus::Approved,
    }
}

#[derive(Deserialize, IntoParams)]
pub struct ListQuery {
    /// Only this room.
    room: Option<String>,
    /// Only this status (staff; others see approved exhibits and their own uploads).
    status: Option<ExhibitStatus>,
}

/// Lists exhibits.
#[utoipa::path(get, path = "/api/exhibits", tag = "exhibits", params(ListQuery),
    responses((status = 200, body = Vec<ExhibitInfo>)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Json<Vec<ExhibitInfo>>, ApiError> {
    let rows = state
        .storage
        .exhibits(q.room.as_deref(), q.status)
        .await
        .map_err(ApiError::internal)?;
    Ok(Json(
        rows.into_iter()
            .filter(|r| may_see(&caller, r))
            .map(info)
            .collect(),
    ))
}

pub(super) async fn visible(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<ExhibitRow, ApiError> {
    let row = state
        .storage
        .exhibit(id)
        .await
        .map_err(ApiError::internal)?;
    match row {
        Some(row) if may_see(caller, &row) => Ok(row),
        // The same answer whether it does not exist or is not yours: ids are not probed.
        _ => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "no_such_exhibit",
            format!("no exhibit `{id}` that you may see"),
        )),
    }
}

/// One exhibit.
#[utoipa::path(get, path = "/api/exhibits/{id}",
    params(("id" = String, Path, description = "the exhibit's id")), tag = "exhibits",
    responses((status = 200, body = ExhibitInfo), (status = 404)))]
pub async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<ExhibitInfo>, ApiError> {
    Ok(Json(info(visible(&state, &caller, &id).await?)))
}

pub(super) async fn blob_response(
    state: &AppState,
    key: Option<String>,
    mime: &'static str,
) -> Result<Response, ApiError> {
    let key = key.ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "no_file",
            "this exhibit has no such file",
        )
    })?;
    let bytes = state
        .exhibition
        .blobs
        .get(&key)
        .await
        .map_err(ApiError::internal)?;
    Ok((
        [
            (header::CONTENT_TYPE, mime),
            // The URL carries the content hash: a changed file gets a new URL.
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        Body::from(bytes),
    )
        .into_response())
}

/// The exhibit's model (GLB, as optimised on upload).
#[utoipa::path(get, path = "/api/exhibits/{id}/model",
    params(("id" = String, Path, description = "the exhibit's id")), tag = "exhibits",
    responses((status = 200, content_type = "model/gltf-binary"), (status = 404)))]
pub async fn model(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
) -> Result<Response, ApiError> {
    let row = visible(&state, &caller, &id).await?;
    blob_response(&state, row.model_blob, "model/gltf-binary").await
}

/// A 256×256 PNG picture of the model.
#[utoipa::path(get, path = "/api/exhibits/{id}/thumbnail",
    params(("id" = String, Path, description = "the exhibit's id")), tag = "exhibits",
    responses((status = 200, content_type = "image/png"), (status = 404)))]
pub async fn thumbnail(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
) -> Result<Response, ApiError> {
    let row = visible(&state, &caller, &id).await?;
    blob_response(&state, row.thumbnail_blob, "image/png").await
}

/// One of the panel's pictures (PNG).
#[utoipa::path(get, path = "/api/exhibits/{id}/images/{n}",
    params(("id" = String, Path, description = "the exhibit's id"), ("n" = usize, Path, description = "0, 1 or 2")), tag = "exhibits",
    responses((status = 200, content_type = "image/png"), (status = 404)))]
pub async fn image(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((id, n)): ApiPath<(String, usize)>,
) -> Result<Response, ApiError> {
    let row = visible(&state, &caller, &id).await?;
    blob_response(&state, row.images.get(n).cloned(), "image/png").await
}

/// Puts an exhibit on show: it appears in every connected client of its room.
#[utoipa::path(post, path = "/api/exhibits/{id}/approve",
    params(("id" = String, Path, description = "the exhibit's id")), tag = "moderation",
    responses((status = 200, body = ExhibitInfo), (status = 404), (status = 409, description = "no free pedestal")),
    security(("staff" = [])))]
pub async fn approve(
    State(state): State<AppState>,
    _staff: Staff,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<ExhibitInfo>, ApiError> {
    Ok(Json(info(
        state.exhibition.approve(&id).await.map_err(catalog_error)?,
    )))
}

#[derive(Deserialize, ToSchema)]
pub struct RejectRequest {
    /// Shown to the exhibitor.
    pub reason: String,
}

/// Turns an exhibit down with a reason the exhibitor sees.
#[utoipa::path(post, path = "/api/exhibits/{id}/reject",
    params(("id" = String, Path, description = "the exhibit's id")), tag = "moderation", request_body = RejectRequest,
    responses((status = 200, body = ExhibitInfo), (status = 404)), security(("staff" = [])))]
pub async fn reject(
    State(state): State<AppState>,
    _staff: Staff,
    ApiPath(id): ApiPath<String>,
    body: Result<Json<RejectRequest>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<ExhibitInfo>, ApiError> {
    let Json(req) = body?;
    let reason = clean_field("reason", &req.reason, 500, true, true)
        .map_err(|e| ApiError::unprocessable("invalid_field", e.to_string()))?;
    Ok(Json(info(
        state
            .exhibition
            .reject(&id, &reason)
            .await
            .map_err(catalog_error)?,
    )))
}

/// Takes an exhibit off show: it vanishes from every connected client of its room.
#[utoipa::path(post, path = "/api/exhibits/{id}/hide",
    params(("id" = String, Path, description = "the exhibit's id")), tag = "moderation",
    responses((status = 200, body = ExhibitInfo), (status = 404)), security(("staff" = [])))]
pub async fn hide(
    State(state): State<AppState>,
    _staff: Staff,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<ExhibitInfo>, ApiError> {
    Ok(Json(info(
        state.exhibition.hide(&id).await.map_err(catalog_error)?,
    )))
}
