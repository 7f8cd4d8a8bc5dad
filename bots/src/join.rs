//! `POST /api/rooms/{room}/join` and `POST /api/visits/join`, the way any client calls them,
//! with the join contract from `shared`.

use serde::Deserialize;

pub use stadtlab_shared::protocol::join::{Connect, JoinAnswer as JoinResponse, JoinRequest};

/// The server's refusal: HTTP status, machine code and the sentence for people.
#[derive(Debug, Clone, thiserror::Error)]
#[error("join refused ({status} {code}): {message}")]
pub struct JoinError {
    pub status: u16,
    pub code: String,
    pub message: String,
}

#[derive(Deserialize)]
struct ErrorBody {
    error: String,
    message: String,
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(std::time::Duration::from_secs(10)))
        .build()
        .into()
}

/// Posts any JSON body to the join endpoint; returns the status and the raw body.
pub fn post_raw(
    base: &str,
    room: &str,
    content_type: &str,
    body: &[u8],
) -> Result<(u16, String), JoinError> {
    post_to(
        &format!("{base}/api/rooms/{room}/join"),
        content_type,
        body,
        None,
    )
}

/// Posts a body to `url`, with a staff session cookie when given.
fn post_to(
    url: &str,
    content_type: &str,
    body: &[u8],
    cookie: Option<&str>,
) -> Result<(u16, String), JoinError> {
    let mut request = agent().post(url).header("content-type", content_type);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let mut resp = request.send(body).map_err(|e| JoinError {
        status: 0,
        code: "unreachable".into(),
        message: e.to_string(),
    })?;
    let status = resp.status().as_u16();
    let text = resp.body_mut().read_to_string().unwrap_or_default();
    Ok((status, text))
}

/// Joins a public room.
pub fn join(base: &str, room: &str, req: &JoinRequest) -> Result<JoinResponse, JoinError> {
    join_at(&format!("{base}/api/rooms/{room}/join"), req, None)
}

/// Joins with the request's class-visit code (and guide key).
pub fn join_visit(base: &str, req: &JoinRequest) -> Result<JoinResponse, JoinError> {
    join_at(&format!("{base}/api/visits/join"), req, None)
}

/// Joins at `url`, with a staff session cookie when given.
pub fn join_at(
    url: &str,
    req: &JoinRequest,
    cookie: Option<&str>,
) -> Result<JoinResponse, JoinError> {
    let body = serde_json::to_vec(req).expect("serialising a join request");
    let (status, text) = post_to(url, "application/json", &body, cookie)?;
    if status == 200 {
        serde_json::from_str(&text).map_err(|e| JoinError {
            status,
            code: "bad_response".into(),
            message: e.to_string(),
        })
    } else {
        let body: ErrorBody = serde_json::from_str(&text).unwrap_or(ErrorBody {
            error: "unknown".into(),
            message: text.clone(),
        });
        Err(JoinError {
            status,
            code: body.error,
            message: body.message,
        })
    }
}
