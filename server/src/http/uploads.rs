//! Uploads: exhibitors (with an invite) and staff send a model and/or panel pictures; the
//! invite's upload is reserved before the check and given back on refusal; the uploader's
//! page asks for its place in the check queue.

use axum::Json;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde::{Deserialize, Serialize};
use stadtlab_shared::exhibit::{
    MAX_ORGANISATION_CHARS, MAX_TEXT_CHARS, MAX_TITLE_CHARS, clean_field, clean_link,
};
use stadtlab_shared::scene::Text;
use utoipa::{IntoParams, ToSchema};

use super::auth::Caller;
use super::exhibits::{ExhibitInfo, catalog_error, info};
use super::extract::ApiQuery;
use super::{ApiError, AppState};
use crate::exhibits::catalog::{Submission, Submitted};
use crate::exhibits::ingest::Report;
use crate::exhibits::ingest::limits::MAX_FILE_BYTES;
use crate::exhibits::ingest_queue::QueuePlace;
use crate::exhibits::panel_images::MAX_IMAGES;
use crate::printable::licence::Licence;

fn is_printable_name(name: &str) -> bool {
    crate::printable::formats::claimed(name).is_some_and(|k| k.is_printable())
        || name.to_ascii_lowercase().ends_with(".zip")
}

/// The upload route's body limit: the file plus the form's text fields.
pub const UPLOAD_BODY_LIMIT: usize = MAX_FILE_BYTES + 64 * 1024;

/// Answer to an upload the model rules refused.
#[derive(Serialize, ToSchema)]
pub struct RefusedUpload {
    pub error: String,
    pub message: String,
    pub report: Report,
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
    /// A .glb, or a .zip with a .gltf and its files; or a printable model: .stl, .3mf, .obj
    /// (an OBJ with its .mtl and textures as a .zip). Without it the exhibit is a panel
    /// (text and pictures; then at least one picture).
    #[schema(value_type = Option<String>, format = Binary)]
    file: Option<Vec<u8>>,
    /// A random name for this upload (8–64 of `A–Z a–z 0–9 - _`): while it waits to be
    /// checked, `GET /api/exhibits/queue?ticket=…` tells its place.
    ticket: Option<String>,
    /// A printable model's licence: `cc-by-4.0`, `cc-by-sa-4.0`, `cc0-1.0` or
    /// `all-rights-reserved` (then visitors cannot download the file).
    licence: Option<String>,
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
    let mut file_name = String::new();
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
            file_name = field.file_name().unwrap_or("").chars().take(200).collect();
            // Browsers name STL, 3MF and OBJ types inconsistently (model/stl,
            // application/vnd.ms-pki.stl, application/x-tgif for .obj…): the content decides.
            if !MODEL_TYPES.contains(&kind.as_str()) && !is_printable_name(&file_name) {
                return Err(ApiError::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "wrong_content_type",
                    format!(
                        "the file was sent as {kind}; upload a .glb (model/gltf-binary), a .zip, or an .stl, .3mf or .obj"
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
    let licence = match field("licence") {
        "" => None,
        code => Some(Licence::parse(code).ok_or_else(|| {
            ApiError::unprocessable(
                "invalid_field",
                format!(
                    "licence: `{code}` is none of {}",
                    Licence::ALL.map(Licence::code).join(", ")
                ),
            )
        })?),
    };
    if let Some(bytes) = &file
        && licence.is_none()
        && crate::printable::sort(bytes, &file_name).is_ok_and(|k| k.is_printable())
    {
        return Err(ApiError::unprocessable(
            "licence_required",
            "a printable model needs a licence (form field `licence`): cc-by-4.0, cc-by-sa-4.0, cc0-1.0, or all-rights-reserved (then visitors see it but cannot download the file)",
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
        file_name,
        licence,
    };
    // The upload is reserved before the work and given back if the rules refuse it, so
    // parallel uploads cannot exceed the invite.
    if let Some(id) = &invite
        && !state
            .storage
            .take_invite_use(id)
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
    ApiQuery(q): ApiQuery<QueueQuery>,
) -> Result<Json<QueuePlace>, ApiError> {
    Ok(Json(state.exhibition.queue.place(&q.ticket)))
}
