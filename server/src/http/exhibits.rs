//! The exhibits API: list, get, files, upload (exhibitors), approve / reject / hide (staff).

use axum::Json;
use axum::body::Body;
use axum::extract::{Multipart, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde::{Deserialize, Serialize};
use stadtlab_shared::exhibit::{
    MAX_ORGANISATION_CHARS, MAX_TEXT_CHARS, MAX_TITLE_CHARS, clean_field, clean_link,
};
use stadtlab_shared::scene::Text;
use utoipa::{IntoParams, ToSchema};

use super::auth::{Caller, Staff};
use super::extract::{ApiPath, ApiQuery};
use super::{ApiError, AppState};
use crate::exhibits::catalog::{self, CatalogError, Submission, Submitted};
use crate::exhibits::ingest::Report;
use crate::exhibits::ingest::limits::MAX_FILE_BYTES;
use crate::exhibits::ingest_queue::QueuePlace;
use crate::exhibits::panel_images::MAX_IMAGES;
use crate::storage::{ExhibitRow, ExhibitStatus};

/// The upload route's body limit: the file plus the form's text fields.
pub const UPLOAD_BODY_LIMIT: usize = MAX_FILE_BYTES + 64 * 1024;

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

fn catalog_error(e: CatalogError) -> ApiError {
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

async fn visible(state: &AppState, caller: &Caller, id: &str) -> Result<ExhibitRow, ApiError> {
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

async fn blob_response(
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

/// Answer to an upload the model rules refused.
#[derive(Serialize, ToSchema)]
pub struct RefusedUpload {
    pub error: String,
    pub message: String,
    pub report: Report,
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

/// The multipart form of an upload (for the OpenAPI document).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct UploadForm {
    /// The exhibition zone (see `GET /api/invite`).
    zone: String,
    title_de: String,
    title_en: String,
    text_de: String,
    text_en: String,
    organisation: String,
    link: Option<String>,
    /// Room (staff only; exhibitors upload into their invite's room).
    room: Option<String>,
    /// A .glb, or a .zip with a .gltf and its files. Without it the exhibit is a panel
    /// (text and pictures; then at least one picture).
    #[schema(value_type = Option<String>, format = Binary)]
    file: Option<Vec<u8>>,
    /// A random name for this upload (8–64 of `A–Z a–z 0–9 - _`): while it waits to be
    /// checked, `GET /api/exhibits/queue?ticket=…` tells its place.
    ticket: Option<String>,
    /// Up to 3 pictures for the panel (PNG or JPEG, each ≤ 8 MB), one part each.
    #[schema(value_type = Vec<String>, format = Binary)]
    image: Vec<Vec<u8>>,
}

const MODEL_TYPES: &[&str] = &[
    "model/gltf-binary",
    "application/octet-stream",
    "application/zip",
    "application/x-zip-compressed",
    "application/x-zip",
    "",
];

fn multipart_error(e: axum::extract::multipart::MultipartError) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "file_too_large",
            format!(
                "the upload is larger than {} MB",
                MAX_FILE_BYTES / 1_000_000
            ),
        )
    } else {
        ApiError::new(
            e.status(),
            "broken_upload",
            format!("the upload broke off or is malformed: {}", e.body_text()),
        )
    }
}

/// Uploads an exhibit (exhibitors with an invite token, or staff). It waits for approval.
#[utoipa::path(post, path = "/api/exhibits", tag = "exhibits",
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses((status = 201, body = ExhibitInfo, description = "accepted, waiting for approval"),
              (status = 422, body = RefusedUpload, description = "the model or a field breaks a rule"),
              (status = 413, description = "larger than 64 MB"),
              (status = 415, description = "not multipart/form-data, or not a model file"),
              (status = 401), (status = 403),
              (status = 429, description = "too many uploads with this invite in a short time"),
              (status = 503, description = "too many uploads are waiting to be checked")),
    security(("invite" = []), ("staff" = [])))]
pub async fn upload(
    State(state): State<AppState>,
    caller: Caller,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, ApiError> {
    let (invite, default_room) = match &caller {
        Caller::Exhibitor(invite) => {
            if invite.uploads >= invite.max_uploads {
                return Err(used_up(invite.max_uploads));
            }
            if invite.failed_uploads >= MAX_REFUSED_PER_INVITE {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "invite_too_many_refused",
                    format!(
                        "this invite had {MAX_REFUSED_PER_INVITE} refused uploads; ask the lab team for a new invite (and help with the file)"
                    ),
                ));
            }
            if !state.upload_limiter.allow_key(invite.id.clone()) {
                return Err(ApiError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "too_many_uploads",
                    "too many uploads in a short time with this invite: wait a few minutes",
                ));
            }
            (Some(invite.id.clone()), Some(invite.room.clone()))
        }
        Caller::Staff(_) => (None, None),
        Caller::Public => {
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "no_invite",
                "uploading needs an invite link from the lab team",
            ));
        }
    };
    let mut multipart = multipart.map_err(|e| {
        ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "expected_multipart",
            format!("send the upload as multipart/form-data: {}", e.body_text()),
        )
    })?;
    let mut fields = std::collections::HashMap::<String, String>::new();
    let mut file: Option<Bytes> = None;
    let mut images: Vec<Bytes> = Vec::new();
    let mut ticket = None;
    while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
        let name = field.name().unwrap_or("").to_string();
        if name == "image" {
            let bytes = field.bytes().await.map_err(multipart_error)?;
            // An empty file input still sends a part.
            if bytes.is_empty() {
                continue;
            }
            if images.len() == MAX_IMAGES {
                return Err(ApiError::unprocessable(
                    "too_many_images",
                    format!("at most {MAX_IMAGES} pictures per exhibit"),
                ));
            }
            images.push(bytes);
        } else if name == "file" {
            let kind = field.content_type().unwrap_or("").to_ascii_lowercase();
            if !MODEL_TYPES.contains(&kind.as_str()) {
                return Err(ApiError::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "wrong_content_type",
                    format!(
                        "the file was sent as {kind}; upload a .glb (model/gltf-binary) or a .zip"
                    ),
                ));
            }
            file = Some(field.bytes().await.map_err(multipart_error)?);
        } else if name == "ticket" {
            let value = field.text().await.map_err(multipart_error)?;
            ticket = clean_ticket(&value);
        } else if fields.len() < 16 {
            let value = field.text().await.map_err(multipart_error)?;
            fields.insert(name, value);
        }
    }
    let field = |n: &str| fields.get(n).map(String::as_str).unwrap_or("");
    let invalid = |e: stadtlab_shared::exhibit::ExhibitTextError| {
        ApiError::unprocessable("invalid_field", format!("{}: {e}", e.field()))
    };
    let room = match (&caller, default_room) {
        (Caller::Staff(_), _) if field("room").is_empty() => "stadtlabor".to_string(),
        (Caller::Staff(_), _) => field("room").to_string(),
        (_, Some(room)) => room,
        _ => String::new(),
    };
    let scene = state.exhibition.scene(&room).ok_or_else(|| {
        ApiError::unprocessable(
            "invalid_field",
            format!("room: `{room}` is not hosted here"),
        )
    })?;
    let zone = field("zone").to_string();
    if !scene.exhibit_zones().any(|z| z.id == zone) {
        return Err(ApiError::unprocessable(
            "invalid_field",
            format!("zone: `{zone}` is not an exhibition zone of {room}"),
        ));
    }
    let title_de = clean_field("title_de", field("title_de"), MAX_TITLE_CHARS, true, false)
        .map_err(invalid)?;
    let title_en = clean_field("title_en", field("title_en"), MAX_TITLE_CHARS, false, false)
        .map_err(invalid)?;
    let text_de =
        clean_field("text_de", field("text_de"), MAX_TEXT_CHARS, true, true).map_err(invalid)?;
    let text_en =
        clean_field("text_en", field("text_en"), MAX_TEXT_CHARS, false, true).map_err(invalid)?;
    let organisation = clean_field(
        "organisation",
        field("organisation"),
        MAX_ORGANISATION_CHARS,
        true,
        false,
    )
    .map_err(invalid)?;
    let link = clean_link(field("link")).map_err(invalid)?;
    if file.is_none() && images.is_empty() {
        return Err(ApiError::unprocessable(
            "no_file",
            "the upload holds neither a 3D model (form field `file`) nor a picture for a panel (form field `image`)",
        ));
    }
    let submission = Submission {
        room,
        zone,
        // English falls back to German: visitors who chose English still read something.
        title: Text {
            en: if title_en.is_empty() {
                title_de.clone()
            } else {
                title_en
            },
            de: title_de,
        },
        text: Text {
            en: if text_en.is_empty() {
                text_de.clone()
            } else {
                text_en
            },
            de: text_de,
        },
        organisation,
        link,
        invite_id: invite.clone(),
        images,
    };
    // The upload is reserved before the work and given back if the rules refuse it, so
    // parallel uploads cannot exceed the invite.
    if let Some(id) = &invite
        && !state
            .storage
            .take_invite_upload(id)
            .await
            .map_err(ApiError::internal)?
    {
        return Err(used_up(0));
    }
    let ticket = ticket.unwrap_or_else(super::auth::new_token);
    let submitted = state.exhibition.submit(submission, file, ticket).await;
    let give_back = || async {
        if let Some(id) = &invite {
            state
                .storage
                .give_back_invite_upload(id)
                .await
                .map_err(ApiError::internal)?;
        }
        Ok::<_, ApiError>(())
    };
    let submitted = match submitted {
        Ok(s) => s,
        Err(e) => {
            give_back().await?;
            return Err(catalog_error(e));
        }
    };
    match submitted {
        Submitted::Accepted(row) => Ok((StatusCode::CREATED, Json(info(*row))).into_response()),
        Submitted::Refused(report) => {
            give_back().await?;
            let message = report
                .problems
                .iter()
                .map(|p| p.message.as_str())
                .collect::<Vec<_>>()
                .join("; ");
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(RefusedUpload {
                    error: "invalid_model".into(),
                    message,
                    report: *report,
                }),
            )
                .into_response())
        }
    }
}

/// Refused uploads one invite may cause before it stops working (each costs the server the
/// work of an accepted one).
pub const MAX_REFUSED_PER_INVITE: i64 = 30;

fn used_up(max: i64) -> ApiError {
    let max = if max > 0 {
        format!("this invite allowed {max} uploads, all used")
    } else {
        "this invite has no uploads left".to_string()
    };
    ApiError::new(
        StatusCode::FORBIDDEN,
        "invite_used_up",
        format!("{max}: ask the lab team for more"),
    )
}

/// A queue ticket as the upload page makes it (random, URL-safe); anything else is ignored.
fn clean_ticket(raw: &str) -> Option<String> {
    let ok = (8..=64).contains(&raw.len())
        && raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    ok.then(|| raw.to_string())
}

#[derive(Deserialize, IntoParams)]
pub struct QueueQuery {
    /// The `ticket` form field the upload was sent with.
    ticket: String,
}

/// Where an upload waits to be checked (uploads are checked one or two at a time).
#[utoipa::path(get, path = "/api/exhibits/queue", tag = "exhibits", params(QueueQuery),
    responses((status = 200, body = QueuePlace), (status = 400, body = super::error::ErrorBody)))]
pub async fn queue(
    State(state): State<AppState>,
    query: Result<Query<QueueQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<QueuePlace>, ApiError> {
    let Query(q) = query?;
    Ok(Json(state.exhibition.queue.place(&q.ticket)))
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
