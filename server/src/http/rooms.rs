//! `GET /api/rooms` and `GET /api/rooms/{room}`: rooms with who is inside (a count, never names:
//! the landing page is public).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Serialize;

use super::{ApiError, AppState};
use crate::storage::RoomRow;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Title {
    de: String,
    en: String,
}

/// A room with its places (counts only, never names: the landing page is public).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RoomInfo {
    name: String,
    scene: String,
    title: Title,
    capacity: usize,
    /// People inside.
    occupancy: usize,
    /// Places held by visitors who are still connecting.
    connecting: usize,
    /// Places a new visitor can get now (what the join endpoint's "full" is decided by).
    free: usize,
}

fn info(state: &AppState, row: RoomRow) -> Option<RoomInfo> {
    // Rooms in the database but not hosted by this process are not offered.
    let o = state
        .admission
        .public_room(&row.name)
        .and_then(|id| state.admission.occupancy(id))?;
    Some(RoomInfo {
        name: row.name,
        scene: row.scene,
        title: Title {
            de: row.title_de,
            en: row.title_en,
        },
        capacity: o.capacity,
        occupancy: o.occupied,
        connecting: o.connecting,
        free: o.free(),
    })
}

/// Every room this server hosts.
#[utoipa::path(get, path = "/api/rooms", tag = "rooms",
    responses((status = 200, body = Vec<RoomInfo>)))]
pub async fn list(State(state): State<AppState>) -> Result<Json<Vec<RoomInfo>>, ApiError> {
    let rows = state.storage.rooms().await.map_err(ApiError::internal)?;
    Ok(Json(
        rows.into_iter().filter_map(|r| info(&state, r)).collect(),
    ))
}

/// One room.
#[utoipa::path(get, path = "/api/rooms/{room}", tag = "rooms",
    params(("room" = String, Path, description = "the room's name")),
    responses((status = 200, body = RoomInfo),
              (status = 400, body = super::error::ErrorBody, description = "a malformed path"),
              (status = 404, body = super::error::ErrorBody, description = "no such room")))]
pub async fn get_one(
    State(state): State<AppState>,
    path: Result<Path<String>, axum::extract::rejection::PathRejection>,
) -> Result<Json<RoomInfo>, ApiError> {
    let Path(name) = path?;
    let rows = state.storage.rooms().await.map_err(ApiError::internal)?;
    rows.into_iter()
        .filter(|r| r.name == name)
        .find_map(|r| info(&state, r))
        .map(Json)
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "unknown_room",
                format!("there is no room called `{name}`"),
            )
        })
}
