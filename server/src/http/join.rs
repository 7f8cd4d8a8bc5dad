//! `POST /api/rooms/{room}/join`: a display name in, a connect token out.
//!
//! The token is encrypted with the server's netcode key and valid for one connection to one
//! transport for a few seconds; the key itself never leaves the server.

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use serde::{Deserialize, Serialize};
use stadtlab_shared::names::validate_display_name;
use stadtlab_shared::protocol::PROTOCOL_VERSION;
use stadtlab_shared::scene::is_valid_room_name;
use std::net::{IpAddr, SocketAddr};

use super::{ApiError, AppState, ClientAddrs};
use crate::game::lobby::JoinRefusal;
use crate::game::transport::TransportKind;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JoinRequest {
    name: String,
    /// The protocol version the client speaks.
    protocol: u16,
    /// Preferred transport; browsers ask for `webtransport` and get a WebSocket fallback too.
    #[serde(default = "default_transport")]
    #[schema(value_type = Option<String>, pattern = "^(udp|webtransport|websocket)$")]
    transport: TransportKind,
    /// Avatar colour as `#rrggbb`.
    #[serde(default)]
    color: Option<String>,
    /// The session from an earlier join, to come back as the same avatar.
    #[serde(default)]
    session: Option<String>,
}

fn default_transport() -> TransportKind {
    TransportKind::Udp
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Connect {
    #[schema(value_type = String)]
    transport: TransportKind,
    /// Serialised netcode connect token, base64.
    token: String,
    /// `host:port` for UDP, a URL for the browser transports.
    address: String,
    /// SHA-256 of the WebTransport server's self-signed certificate, base64.
    #[serde(skip_serializing_if = "Option::is_none")]
    cert_hash: Option<String>,
}

/// A reserved seat and how to connect to it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct JoinResponse {
    protocol: u16,
    room: String,
    name: String,
    client_id: String,
    session: String,
    rejoin: bool,
    tick_hz: u32,
    connect: Connect,
    #[serde(skip_serializing_if = "Option::is_none")]
    fallback: Option<Connect>,
}

fn parse_color(text: Option<&str>) -> Result<u32, ApiError> {
    let Some(text) = text else {
        return Ok(0x3b82f6);
    };
    let hex = text.strip_prefix('#').unwrap_or(text);
    if hex.len() != 6 {
        return Err(ApiError::bad_request(
            "invalid_color",
            "colour must look like #1e90ff",
        ));
    }
    u32::from_str_radix(hex, 16)
        .map_err(|_| ApiError::bad_request("invalid_color", "colour must look like #1e90ff"))
}

fn connect_info(
    state: &AppState,
    client_id: u64,
    kind: TransportKind,
    ip: IpAddr,
) -> Result<Connect, ApiError> {
    let token = state
        .issuer
        .token(client_id, kind, ip)
        .map_err(ApiError::internal)?;
    let addr = state.issuer.address(kind, ip);
    let (address, cert_hash) = match kind {
        TransportKind::Udp => (addr.to_string(), None),
        // Port and hash read together: a rotation between two reads cannot mix them.
        TransportKind::Webtransport => {
            let target = state.issuer.webtransport_target();
            (
                format!("https://{}", SocketAddr::new(ip, target.port)),
                Some(B64.encode(target.cert_hash)),
            )
        }
        TransportKind::Websocket => (format!("ws://{addr}"), None),
    };
    Ok(Connect {
        transport: kind,
        token: B64.encode(token),
        address,
        cert_hash,
    })
}

/// Reserves a seat in a room and returns a connect token (valid for a few seconds).
#[utoipa::path(post, path = "/api/rooms/{room}/join", tag = "rooms", request_body = JoinRequest,
    params(("room" = String, Path, description = "the room's name")),
    responses((status = 200, body = JoinResponse),
              (status = 400, body = super::error::ErrorBody, description = "bad name, colour, session or body"),
              (status = 404, body = super::error::ErrorBody, description = "no such room"),
              (status = 409, body = super::error::ErrorBody, description = "another protocol version: reload"),
              (status = 415, body = super::error::ErrorBody, description = "not JSON"),
              (status = 422, body = super::error::ErrorBody, description = "the name breaks a rule or fields do not fit"),
              (status = 429, body = super::error::ErrorBody, description = "too many joins from this network"),
              (status = 503, body = super::error::ErrorBody, description = "the room or server is full, or seats are held by joins still connecting")))]
pub async fn join(
    State(state): State<AppState>,
    ConnectInfo(addrs): ConnectInfo<ClientAddrs>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
    body: Result<Json<JoinRequest>, JsonRejection>,
) -> Result<Json<JoinResponse>, ApiError> {
    let origin = client_address(&headers, addrs.remote, state.trust_forwarded_for);
    let game_ip = state.issuer.ip_for(addrs.local.map(|a| a.ip()));
    let result = if state.join_limiter.allow(origin) {
        join_inner(&state, origin, game_ip, path, body)
    } else {
        Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_joins",
            "too many join attempts from your network; wait a minute and try again",
        ))
    };
    state.metrics.join_result(match &result {
        Ok(_) => "ok",
        Err(e) => e.code,
    });
    result.map(Json)
}

/// The client's address: the peer, or behind a trusted proxy the first X-Forwarded-For entry.
pub(super) fn client_address(
    headers: &HeaderMap,
    peer: SocketAddr,
    trust_forwarded_for: bool,
) -> IpAddr {
    if trust_forwarded_for
        && let Some(first) = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
        && let Ok(ip) = first.trim().parse()
    {
        return ip;
    }
    peer.ip()
}

fn join_inner(
    state: &AppState,
    origin: IpAddr,
    game_ip: IpAddr,
    path: Result<Path<String>, PathRejection>,
    body: Result<Json<JoinRequest>, JsonRejection>,
) -> Result<JoinResponse, ApiError> {
    let Path(room) = path?;
    if !is_valid_room_name(&room) {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_room",
            "there is no room with that name",
        ));
    }
    let Json(req) = body?;
    if req.protocol != PROTOCOL_VERSION {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "protocol_mismatch",
            format!(
                "this client speaks protocol v{}, the server v{PROTOCOL_VERSION}: reload the page or update the app",
                req.protocol
            ),
        ));
    }
    let name = validate_display_name(&req.name)
        .map_err(|e| ApiError::bad_request(e.code(), e.to_string()))?;
    let color = parse_color(req.color.as_deref())?;
    if let Some(s) = &req.session
        && (s.len() > 64 || !s.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        return Err(ApiError::bad_request(
            "invalid_session",
            "session must be the hex string from an earlier join",
        ));
    }
    let reservation = state
        .lobby
        .reserve(&room, &name, color, req.session.as_deref(), Some(origin))
        .map_err(|e| match e {
            JoinRefusal::UnknownRoom(_) => {
                ApiError::new(StatusCode::NOT_FOUND, "unknown_room", e.to_string())
            }
            JoinRefusal::RoomFull { .. } => {
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "room_full", e.to_string())
            }
            JoinRefusal::TooManyConnecting { .. } => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "seats_connecting",
                e.to_string(),
            ),
            JoinRefusal::TooManyPending => ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_pending",
                e.to_string(),
            ),
            JoinRefusal::ServerFull => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "server_full",
                e.to_string(),
            ),
        })?;
    let connect = connect_info(state, reservation.client_id, req.transport, game_ip)?;
    let fallback = match req.transport {
        TransportKind::Webtransport => Some(connect_info(
            state,
            reservation.client_id,
            TransportKind::Websocket,
            game_ip,
        )?),
        _ => None,
    };
    Ok(JoinResponse {
        protocol: PROTOCOL_VERSION,
        room,
        name: reservation.name,
        client_id: reservation.client_id.to_string(),
        session: reservation.session,
        rejoin: reservation.rejoin,
        tick_hz: state.tick_hz,
        connect,
        fallback,
    })
}
