//! `POST /api/rooms/{room}/join`, the way any client calls it.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize)]
pub struct JoinRequest<'a> {
    pub name: &'a str,
    pub protocol: u16,
    pub transport: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub color: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<&'a str>,
}

pub use stadtlab_shared::protocol::join::{Connect, JoinAnswer as JoinResponse};

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
    let url = format!("{base}/api/rooms/{room}/join");
    let mut resp = agent()
        .post(&url)
        .header("content-type", content_type)
        .send(body)
        .map_err(|e| JoinError {
            status: 0,
            code: "unreachable".into(),
            message: e.to_string(),
        })?;
    let status = resp.status().as_u16();
    let text = resp.body_mut().read_to_string().unwrap_or_default();
    Ok((status, text))
}

pub fn join(base: &str, room: &str, req: &JoinRequest) -> Result<JoinResponse, JoinError> {
    let body = serde_json::to_vec(req).expect("serialising a join request");
    let (status, text) = post_raw(base, room, "application/json", &body)?;
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
