//! Slides for talks: staff upload a PDF (or pictures), the server renders the pages once and
//! keeps them as PNG blobs; staff put a deck on a room's stage screen and choose its page.
//! Pages are public by their deck's random id (visitors' clients fetch them).

use axum::Json;
use axum::body::Body;
use axum::extract::{Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde::{Deserialize, Serialize};
use stadtlab_shared::exhibit::clean_field;
use stadtlab_shared::protocol::domain::stage::Slides;
use utoipa::ToSchema;

use super::auth::Staff;
use super::extract::ApiPath;
use super::{ApiError, AppState};
use crate::exhibits::ingest::Problem;
use crate::game::commands::{RoomCommand, StageChange};
use crate::slides::{self, MAX_DECK_BYTES};
use crate::storage::{DeckRow, unix_now};

/// The upload route's body limit: the files plus the title.
pub const SLIDES_BODY_LIMIT: usize = MAX_DECK_BYTES + 64 * 1024;

/// The multipart form of a slide upload (for the OpenAPI document).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct SlidesForm {
    title: String,
    /// One PDF …
    #[schema(value_type = Option<String>, format = Binary)]
    file: Option<Vec<u8>>,
    /// … or pictures (PNG or JPEG), one part per slide, in order.
    #[schema(value_type = Vec<String>, format = Binary)]
    image: Vec<Vec<u8>>,
}

/// A deck as the API shows it.
#[derive(Serialize, ToSchema)]
pub struct DeckInfo {
    pub id: String,
    pub title: String,
    pub pages: usize,
    /// The first page's picture; page n is at `…/pages/n`.
    pub first_page_url: String,
    pub created_by: String,
    pub created_at: i64,
    /// How long rendering took (uploads only).
    pub render_ms: Option<u64>,
}

fn deck_info(d: DeckRow, render_ms: Option<u64>) -> DeckInfo {
    DeckInfo {
        first_page_url: format!("/api/slides/{}/pages/1", d.id),
        id: d.id,
        title: d.title,
        pages: d.pages,
        created_by: d.created_by,
        created_at: d.created_at,
        render_ms,
    }
}

fn refused(p: Problem) -> ApiError {
    let status = if p.rule == "renderer_busy" {
        StatusCode::SERVICE_UNAVAILABLE
    } else if p.rule == "deck_too_large" {
        StatusCode::PAYLOAD_TOO_LARGE
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    ApiError::new(status, leak_rule(&p.rule), p.message)
}

/// `ApiError` codes are static: the renderer's rules are a fixed set.
fn leak_rule(rule: &str) -> &'static str {
    const RULES: &[&str] = &[
        "deck_too_large",
        "too_many_pages",
        "page_too_large",
        "page_too_slow",
        "pdf_too_slow",
        "pdf_encrypted",
        "invalid_pdf",
        "invalid_image",
        "image_too_large",
        "no_slides",
        "renderer_busy",
    ];
    RULES
        .iter()
        .find(|r| **r == rule)
        .copied()
        .unwrap_or("invalid_slides")
}

fn multipart_error(e: axum::extract::multipart::MultipartError) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        refused(slides_too_large())
    } else {
        ApiError::new(
            e.status(),
            "broken_upload",
            format!("the upload broke off or is malformed: {}", e.body_text()),
        )
    }
}

fn slides_too_large() -> Problem {
    Problem::new(
        "deck_too_large",
        format!(
            "the slides are larger than {} MB",
            MAX_DECK_BYTES / 1_000_000
        ),
    )
}

/// Uploads slides: a PDF (rendered to pictures here) or PNG/JPEG pictures, one per slide.
#[utoipa::path(post, path = "/api/slides", tag = "talks",
    request_body(content = SlidesForm, content_type = "multipart/form-data"),
    responses((status = 201, body = DeckInfo),
              (status = 422, description = "a broken, encrypted or oversized PDF or picture: the message says which rule"),
              (status = 413), (status = 401),
              (status = 503, description = "the renderer is busy with other slides")),
    security(("staff" = [])))]
pub async fn upload(
    State(state): State<AppState>,
    staff: Staff,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<(StatusCode, Json<DeckInfo>), ApiError> {
    let mut multipart = multipart.map_err(|e| {
        ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "expected_multipart",
            format!("send the slides as multipart/form-data: {}", e.body_text()),
        )
    })?;
    let (mut title, mut pdf, mut pictures) = (String::new(), None::<Bytes>, Vec::<Vec<u8>>::new());
    while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
        match field.name().unwrap_or("") {
            "title" => title = field.text().await.map_err(multipart_error)?,
            "file" => pdf = Some(field.bytes().await.map_err(multipart_error)?),
            "image" => {
                let bytes = field.bytes().await.map_err(multipart_error)?;
                if !bytes.is_empty() {
                    pictures.push(bytes.to_vec());
                }
            }
            _ => {}
        }
    }
    let title = clean_field("title", &title, 120, true, false)
        .map_err(|e| ApiError::unprocessable("invalid_field", e.to_string()))?;
    // Rendering holds a thread for seconds: off the async workers.
    let rendered = tokio::task::spawn_blocking(move || match pdf {
        Some(pdf) if !pdf.is_empty() => slides::render_pdf(pdf.to_vec()),
        _ => slides::from_pictures(&pictures),
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(refused)?;
    let mut page_keys = Vec::with_capacity(rendered.pages.len());
    for page in rendered.pages {
        page_keys.push(
            state
                .exhibition
                .blobs
                .put(Bytes::from(page), "png")
                .await
                .map_err(ApiError::internal)?,
        );
    }
    let row = DeckRow {
        id: crate::exhibits::catalog::new_id(),
        title,
        pages: page_keys.len(),
        page_keys,
        created_by: staff.username,
        created_at: unix_now(),
    };
    state
        .storage
        .insert_deck(&row)
        .await
        .map_err(ApiError::internal)?;
    tracing::info!(deck = %row.id, pages = row.pages, ms = rendered.millis, "slides rendered");
    Ok((
        StatusCode::CREATED,
        Json(deck_info(row, Some(rendered.millis))),
    ))
}

/// Every deck, newest first.
#[utoipa::path(get, path = "/api/slides", tag = "talks",
    responses((status = 200, body = Vec<DeckInfo>), (status = 401)), security(("staff" = [])))]
pub async fn list(
    State(state): State<AppState>,
    _staff: Staff,
) -> Result<Json<Vec<DeckInfo>>, ApiError> {
    let decks = state.storage.decks().await.map_err(ApiError::internal)?;
    Ok(Json(
        decks.into_iter().map(|d| deck_info(d, None)).collect(),
    ))
}

fn no_deck() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "no_such_slides", "no such slides")
}

/// One page as a PNG (at most 1920×1080).
#[utoipa::path(get, path = "/api/slides/{id}/pages/{n}", tag = "talks",
    params(("id" = String, Path), ("n" = usize, Path, description = "1 = first")),
    responses((status = 200, content_type = "image/png"), (status = 404)))]
pub async fn page(
    State(state): State<AppState>,
    ApiPath((id, n)): ApiPath<(String, usize)>,
) -> Result<Response, ApiError> {
    let deck = state
        .storage
        .deck(&id)
        .await
        .map_err(ApiError::internal)?
        .ok_or_else(no_deck)?;
    let key = n
        .checked_sub(1)
        .and_then(|i| deck.page_keys.get(i))
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "no_such_page", "no such page"))?;
    let bytes = state
        .exhibition
        .blobs
        .get(key)
        .await
        .map_err(ApiError::internal)?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/png"),
            // A deck's pages never change (a new upload is a new deck).
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        Body::from(bytes),
    )
        .into_response())
}

#[derive(Deserialize, ToSchema)]
pub struct StageRequest {
    /// Talk mode on or off (off ends the talk: floor, hands and questions go).
    pub talk: Option<bool>,
    /// Put this deck on the stage screen (`""`: take the slides down).
    pub deck: Option<String>,
    /// The page to show (1 = first; with `deck`, or alone to page).
    pub page: Option<u16>,
}

/// A room's stage from the web: talk mode, the slides on its screen and their page.
#[utoipa::path(post, path = "/api/rooms/{room}/stage", tag = "talks",
    params(("room" = String, Path)), request_body = StageRequest,
    responses((status = 204), (status = 404, description = "no such room, or it has no stage, or no such slides"),
              (status = 401)),
    security(("staff" = [])))]
pub async fn stage(
    State(state): State<AppState>,
    _staff: Staff,
    ApiPath(room): ApiPath<String>,
    body: Result<Json<StageRequest>, axum::extract::rejection::JsonRejection>,
) -> Result<StatusCode, ApiError> {
    let Json(req) = body?;
    let id = state
        .admission
        .public_room(&room)
        .filter(|_| state.exhibition.scene(&room).is_some_and(|s| s.has_stage()))
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "no_stage",
                format!("`{room}` is not a room with a stage here"),
            )
        })?;
    let send = |change| {
        state
            .commands
            .send(RoomCommand::Stage { room: id, change })
            .map_err(ApiError::internal)
    };
    if let Some(on) = req.talk {
        send(StageChange::Talk {
            on,
            programme: None,
        })?;
    }
    match req.deck.as_deref() {
        Some("") => send(StageChange::Slides(None))?,
        Some(deck) => {
            let deck = state
                .storage
                .deck(deck)
                .await
                .map_err(ApiError::internal)?
                .ok_or_else(no_deck)?;
            send(StageChange::Slides(Some(slides_of(
                &deck,
                req.page.unwrap_or(1),
            ))))?;
        }
        None => {
            if let Some(page) = req.page {
                send(StageChange::Page(page))?;
            }
        }
    }
    Ok(StatusCode::NO_CONTENT)
}

/// What clients are told about `deck` shown at `page` (kept within the deck).
pub fn slides_of(deck: &DeckRow, page: u16) -> Slides {
    let pages = deck.pages.min(u16::MAX as usize) as u16;
    Slides {
        deck: deck.id.clone(),
        title: deck.title.clone(),
        page: page.clamp(1, pages.max(1)),
        pages,
    }
}
