//! Printable models of exhibits: the report with the licence, and the downloads (the file as
//! uploaded, and the repaired copy). "All rights reserved" keeps the files from visitors;
//! staff and the exhibitor who uploaded it can always fetch them.

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use super::auth::Caller;
use super::exhibits::{TextDeEn, visible};
use super::extract::ApiPath;
use super::{ApiError, AppState};
use crate::printable::licence::Licence;
use crate::printable::report::PrintReport;
use crate::storage::{ExhibitRow, PrintableRow};

/// A printable exhibit's file, licence and report.
#[derive(Serialize, ToSchema)]
pub struct PrintableInfo {
    pub exhibit_id: String,
    /// The name it was uploaded under.
    pub file_name: String,
    /// `stl-binary`, `stl-ascii`, `3mf`, `obj`.
    pub format: String,
    pub licence: Licence,
    pub licence_name: TextDeEn,
    pub licence_url: Option<String>,
    /// The file as uploaded; none when the licence keeps it from you.
    pub download_url: Option<String>,
    /// The repaired copy (binary STL); none when nothing needed repair or the licence keeps
    /// it from you.
    pub repaired_url: Option<String>,
    pub report: PrintReport,
    /// The factor the lab's view of the model was scaled by to fit its pedestal: at true
    /// size the view is drawn `1 / view_scale` as large.
    pub view_scale: f32,
}

async fn printable_of(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<(ExhibitRow, PrintableRow, Licence), ApiError> {
    let row = visible(state, caller, id).await?;
    let printable = state
        .storage
        .printable(id)
        .await
        .map_err(ApiError::internal)?
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "not_printable",
                format!("exhibit `{id}` has no printable file"),
            )
        })?;
    let licence = Licence::parse(&printable.licence).unwrap_or(Licence::AllRightsReserved);
    Ok((row, printable, licence))
}

fn may_download(caller: &Caller, row: &ExhibitRow, licence: Licence) -> bool {
    licence.allows_download()
        || match caller {
            Caller::Staff(_) => true,
            Caller::Exhibitor(invite) => row.invite_id.as_deref() == Some(&invite.id),
            Caller::Public => false,
        }
}

/// A printable exhibit's report, licence and download links.
#[utoipa::path(get, path = "/api/exhibits/{id}/print",
    params(("id" = String, Path, description = "the exhibit's id")), tag = "exhibits",
    responses((status = 200, body = PrintableInfo), (status = 404, description = "no such exhibit, or not printable")))]
pub async fn info(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<PrintableInfo>, ApiError> {
    let (row, printable, licence) = printable_of(&state, &caller, &id).await?;
    let allowed = may_download(&caller, &row, licence);
    let report: PrintReport = serde_json::from_value(printable.report)
        .map_err(|e| ApiError::internal(format!("stored print report: {e}")))?;
    Ok(Json(PrintableInfo {
        download_url: allowed.then(|| format!("/api/exhibits/{id}/print/file")),
        repaired_url: (allowed && printable.repaired_blob.is_some())
            .then(|| format!("/api/exhibits/{id}/print/repaired")),
        exhibit_id: id,
        file_name: printable.file_name,
        format: printable.format,
        licence,
        licence_name: TextDeEn {
            de: licence.name_de().into(),
            en: licence.name_en().into(),
        },
        licence_url: licence.url().map(String::from),
        report,
        view_scale: row.report["scale"].as_f64().unwrap_or(1.0) as f32,
    }))
}

async fn download(
    state: &AppState,
    caller: &Caller,
    id: &str,
    repaired: bool,
) -> Result<Response, ApiError> {
    let (row, printable, licence) = printable_of(state, caller, id).await?;
    if !may_download(caller, &row, licence) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "download_not_allowed",
            "the maker keeps all rights to this model: it can be looked at in the lab, but the file is not given out",
        ));
    }
    let (key, name, mime) = if repaired {
        let key = printable.repaired_blob.ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "no_repaired_copy",
                "this model needed no repair: download the original",
            )
        })?;
        let stem = printable
            .file_name
            .rsplit_once('.')
            .map(|(s, _)| s.to_string())
            .unwrap_or(printable.file_name.clone());
        (key, format!("{stem}-repariert.stl"), "model/stl")
    } else {
        let mime = match printable.format.as_str() {
            "3mf" => "model/3mf",
            "obj" if printable.file_name.to_ascii_lowercase().ends_with(".zip") => {
                "application/zip"
            }
            "obj" => "model/obj",
            _ => "model/stl",
        };
        (printable.file_blob, printable.file_name, mime)
    };
    let bytes = state
        .exhibition
        .blobs
        .get(&key)
        .await
        .map_err(ApiError::internal)?;
    // Visitors' downloads count for the impact figures; staff and the maker checking the
    // file do not.
    if matches!(caller, Caller::Public) {
        state.impact.downloaded(id);
    }
    // Only plain characters in the header; the name came from the uploader.
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{safe}\""),
            ),
            (header::CACHE_CONTROL, "no-cache".to_string()),
        ],
        Body::from(bytes),
    )
        .into_response())
}

/// The printable file exactly as it was uploaded.
#[utoipa::path(get, path = "/api/exhibits/{id}/print/file",
    params(("id" = String, Path, description = "the exhibit's id")), tag = "exhibits",
    responses((status = 200, content_type = "model/stl"), (status = 403, description = "all rights reserved"), (status = 404)))]
pub async fn file(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
) -> Result<Response, ApiError> {
    download(&state, &caller, &id, false).await
}

/// The repaired copy (binary STL in millimetres).
#[utoipa::path(get, path = "/api/exhibits/{id}/print/repaired",
    params(("id" = String, Path, description = "the exhibit's id")), tag = "exhibits",
    responses((status = 200, content_type = "model/stl"), (status = 403, description = "all rights reserved"), (status = 404)))]
pub async fn repaired(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
) -> Result<Response, ApiError> {
    download(&state, &caller, &id, true).await
}
