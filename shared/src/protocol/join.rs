//! The answer to `POST /api/rooms/{room}/join`, as every client reads it: the bots, the
//! desktop client (which joins itself) and the browser client (which gets it from the page).

use serde::{Deserialize, Serialize};

/// How to reach the game server with one transport.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Connect {
    /// `udp`, `webtransport` or `websocket`.
    pub transport: String,
    /// Serialised netcode connect token, base64.
    pub token: String,
    /// `host:port` for UDP, a URL for the browser transports.
    pub address: String,
    /// SHA-256 of the WebTransport server's self-signed certificate, base64.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cert_hash: Option<String>,
}

/// A reserved seat: who I am in which room, and how to connect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinAnswer {
    pub protocol: u16,
    pub room: String,
    pub name: String,
    pub client_id: String,
    pub session: String,
    pub rejoin: bool,
    pub tick_hz: u32,
    pub connect: Connect,
    /// Browsers asking for WebTransport also get a WebSocket seat, for when WebTransport fails.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback: Option<Connect>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_the_server_writes() {
        let text = r#"{"protocol":1,"room":"stadtlabor","name":"Ada","client_id":"7","session":"s",
            "rejoin":false,"tick_hz":30,"connect":{"transport":"webtransport","token":"AA==",
            "address":"https://127.0.0.1:5001","cert_hash":"xx"},"fallback":{"transport":"websocket",
            "token":"AA==","address":"ws://127.0.0.1:5002"}}"#;
        let answer: JoinAnswer = serde_json::from_str(text).unwrap();
        assert_eq!(answer.fallback.unwrap().transport, "websocket");
        assert_eq!(answer.connect.cert_hash.as_deref(), Some("xx"));
    }
}
