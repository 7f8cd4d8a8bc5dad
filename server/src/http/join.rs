//! The join endpoints: a display name in, a connect token out.
//!
//! `POST /api/rooms/{room}/join` enters a public room; `POST /api/visits/join` enters a class
//! visit's private room by its code (pupils) or guide key (the guide). Both read and answer the
//! one join contract in `shared` (`JoinRequest`, `JoinAnswer`). A staff session cookie makes
//! the join a staff join. The token is encrypted with the server's netcode key, carries the
//! role, and is valid for one connection to one transport for a few seconds.

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use stadtlab_shared::names::validate_display_name;
use stadtlab_shared::protocol::join::{Connect, JoinAnswer, JoinRequest, valid_device_key};
use stadtlab_shared::protocol::{PROTOCOL_VERSION, Role};
use stadtlab_shared::scene::is_valid_room_name;
use std::net::{IpAddr, SocketAddr};

use super::{ApiError, AppState, ClientAddrs};
use crate::admission::{JoinAsk, JoinRefusal, RoomId};
use crate::game::transport::TransportKind;

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
    role: Role,
) -> Result<Connect, ApiError> {
    let token = state
        .issuer
        .token(client_id, kind, ip, role)
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

/// Reserves a seat in a public room and returns a connect token (valid for a few seconds).
#[utoipa::path(post, path = "/api/rooms/{room}/join", tag = "rooms", request_body = JoinRequest,
    params(("room" = String, Path, description = "the room's name")),
    responses((status = 200, body = JoinAnswer),
              (status = 400, body = super::error::ErrorBody, description = "bad name, colour, session, device key or body"),
              (status = 403, body = super::error::ErrorBody, description = "banned, or removed from this room for a while"),
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
) -> Result<Json<JoinAnswer>, ApiError> {
    let origin = client_address(&headers, addrs.remote, state.trust_forwarded_for);
    let result = async {
        if !state.join_limiter.allow(origin) {
            return Err(too_many_joins());
        }
        let Path(room) = path?;
        let id = is_valid_room_name(&room)
            .then(|| state.admission.public_room(&room))
            .flatten()
            .ok_or_else(|| {
                ApiError::new(
                    StatusCode::NOT_FOUND,
                    "unknown_room",
                    "there is no room with that name",
                )
            })?;
        let Json(req) = body?;
        let staff = super::auth::staff_by_cookie(&headers, &state).await;
        let role = if staff.is_some() {
            Role::Staff
        } else {
            Role::Visitor
        };
        // A public room is the instance of the scene of its name.
        let scene = room.clone();
        let arrival = Arrival {
            role,
            agent: user_agent(&headers),
        };
        seat(
            &state,
            &addrs,
            origin,
            id,
            room.clone(),
            scene,
            &req,
            arrival,
        )
    }
    .await;
    count(&state, &result);
    result.map(Json)
}

/// Enters a class visit: pupils with the visit's code, the guide with the code and the
/// secret key from the guide link.
#[utoipa::path(post, path = "/api/visits/join", tag = "visits", request_body = JoinRequest,
    responses((status = 200, body = JoinAnswer),
              (status = 400, body = super::error::ErrorBody, description = "bad name, colour, session, device key or body"),
              (status = 403, body = super::error::ErrorBody, description = "banned, removed, the visit is locked, or a wrong guide key"),
              (status = 404, body = super::error::ErrorBody, description = "no visit with that code is open now"),
              (status = 409, body = super::error::ErrorBody, description = "another protocol version: reload"),
              (status = 415, body = super::error::ErrorBody, description = "not JSON"),
              (status = 422, body = super::error::ErrorBody, description = "the name breaks a rule or fields do not fit"),
              (status = 429, body = super::error::ErrorBody, description = "too many codes tried from this network"),
              (status = 503, body = super::error::ErrorBody, description = "the visit's room is full")))]
pub async fn join_visit(
    State(state): State<AppState>,
    ConnectInfo(addrs): ConnectInfo<ClientAddrs>,
    headers: HeaderMap,
    body: Result<Json<JoinRequest>, JsonRejection>,
) -> Result<Json<JoinAnswer>, ApiError> {
    let origin = client_address(&headers, addrs.remote, state.trust_forwarded_for);
    let result = async {
        // Wrong codes count (a whole class behind one school address joins with the right
        // one): once a network has used up its tries, no code is looked up for it for a while.
        if !state.code_limiter.has_token(origin) {
            return Err(ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_codes",
                "too many codes tried from your network; wait a minute and try again",
            ));
        }
        let Json(req) = body?;
        let wrong_code = || {
            state.code_limiter.allow(origin);
            ApiError::new(
                StatusCode::NOT_FOUND,
                "unknown_code",
                "no class visit with this code is open now: check the code (like K7P-M4Q) and the time of your visit",
            )
        };
        let code = req
            .code
            .as_deref()
            .and_then(crate::admission::codes::normalise)
            .ok_or_else(wrong_code)?;
        let Some(entry) = state.admission.visit_by_code(&code) else {
            return Err(match state.storage.visit_by_code(&code, crate::storage::unix_now()).await {
                Ok(Some(_)) => ApiError::new(
                    StatusCode::NOT_FOUND,
                    "visit_not_open",
                    "this class visit has not started yet: come back at the time of your visit",
                ),
                _ => wrong_code(),
            });
        };
        let visit = entry.visit().expect("found by code");
        let role = match req.guide.as_deref() {
            None => Role::Visitor,
            Some(key) => {
                let hash = super::auth::token_hash(key);
                if !super::auth::constant_time_eq(hash.as_bytes(), visit.guide_key_hash.as_bytes()) {
                    return Err(ApiError::new(
                        StatusCode::FORBIDDEN,
                        "wrong_guide_key",
                        "this guide link is not valid for this visit: ask the lab team for it again",
                    ));
                }
                Role::Guide
            }
        };
        let role = if super::auth::staff_by_cookie(&headers, &state).await.is_some() {
            Role::Staff
        } else {
            role
        };
        seat(
            &state,
            &addrs,
            origin,
            entry.id,
            entry.name.clone(),
            entry.scene.clone(),
            &req,
            Arrival {
                role,
                agent: user_agent(&headers),
            },
        )
    }
    .await;
    count(&state, &result);
    result.map(Json)
}

fn too_many_joins() -> ApiError {
    ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_joins",
        "too many join attempts from your network; wait a minute and try again",
    )
}

/// Who arrives: the role, and the User-Agent (the impact counts' kind of program).
struct Arrival<'a> {
    role: Role,
    agent: Option<&'a str>,
}

fn user_agent(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(axum::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
}

fn count(state: &AppState, result: &Result<JoinAnswer, ApiError>) {
    state.metrics.join_result(match result {
        Ok(_) => "ok",
        Err(e) => e.code,
    });
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

impl From<JoinRefusal> for ApiError {
    fn from(e: JoinRefusal) -> ApiError {
        let (status, code) = match &e {
            JoinRefusal::UnknownRoom => (StatusCode::NOT_FOUND, "unknown_room"),
            JoinRefusal::RoomFull { .. } => (StatusCode::SERVICE_UNAVAILABLE, "room_full"),
            JoinRefusal::TooManyConnecting { .. } => {
                (StatusCode::SERVICE_UNAVAILABLE, "seats_connecting")
            }
            JoinRefusal::TooManyPending => (StatusCode::TOO_MANY_REQUESTS, "too_many_pending"),
            JoinRefusal::ServerFull => (StatusCode::SERVICE_UNAVAILABLE, "server_full"),
            JoinRefusal::Banned { .. } => (StatusCode::FORBIDDEN, "banned"),
            JoinRefusal::Removed { .. } => (StatusCode::FORBIDDEN, "removed"),
            JoinRefusal::Locked => (StatusCode::FORBIDDEN, "visit_locked"),
        };
        ApiError::new(status, code, e.to_string())
    }
}

/// Checks the request, reserves the seat, writes the tokens.
#[allow(clippy::too_many_arguments)]
fn seat(
    state: &AppState,
    addrs: &ClientAddrs,
    origin: IpAddr,
    room: RoomId,
    room_name: String,
    scene: String,
    req: &JoinRequest,
    arrival: Arrival,
) -> Result<JoinAnswer, ApiError> {
    let role = arrival.role;
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
    if let Some(d) = &req.device
        && !valid_device_key(d)
    {
        return Err(ApiError::bad_request(
            "invalid_device",
            "device must be 16 to 64 hex digits kept by the client",
        ));
    }
    let game_ip = state.issuer.ip_for(addrs.local.map(|a| a.ip()));
    let reservation = state.admission.reserve(JoinAsk {
        room,
        name: &name,
        color,
        session: req.session.as_deref(),
        origin: Some(origin),
        device: req.device.as_deref(),
        role,
        host: Some(game_ip),
        // Counted once the client is in the room: a seat whose page never loaded is no visit,
        // and the page's second join (after the download) is not a second one.
        entry: Some(crate::impact::EntryKind {
            device: crate::impact::DeviceKind::from_user_agent(arrival.agent),
            transport: req.transport,
        }),
    })?;
    let connect = connect_info(state, reservation.client_id, req.transport, game_ip, role)?;
    let fallback = match req.transport {
        TransportKind::Webtransport => Some(connect_info(
            state,
            reservation.client_id,
            TransportKind::Websocket,
            game_ip,
            role,
        )?),
        _ => None,
    };
    Ok(JoinAnswer {
        protocol: PROTOCOL_VERSION,
        room: room_name,
        scene,
        name: reservation.name,
        client_id: reservation.client_id.to_string(),
        session: reservation.session,
        rejoin: reservation.rejoin,
        tick_hz: state.tick_hz,
        role,
        connect,
        fallback,
    })
}
