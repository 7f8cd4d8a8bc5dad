//! The one join contract: the request to `POST /api/rooms/{room}/join` (or, for a class
//! visit, `POST /api/visits/join`) and its answer, as the server, the bots, the desktop client
//! (which joins itself) and the browser client (which gets it from the page) all read them.

use serde::{Deserialize, Serialize};

use super::roles::Role;

/// The transports a client can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Transport {
    #[default]
    Udp,
    Webtransport,
    Websocket,
}

impl std::fmt::Display for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Transport {
    pub fn as_str(self) -> &'static str {
        match self {
            Transport::Udp => "udp",
            Transport::Webtransport => "webtransport",
            Transport::Websocket => "websocket",
        }
    }
}

/// What a client sends to join.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct JoinRequest {
    pub name: String,
    /// The protocol version the client speaks.
    pub protocol: u16,
    /// Preferred transport; browsers ask for `webtransport` and get a WebSocket fallback too.
    #[serde(default)]
    pub transport: Transport,
    /// Avatar colour as `#rrggbb`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    /// The session from an earlier join, to come back as the same avatar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
    /// A random key the device keeps (browser storage, a file on the desktop): what removals
    /// and bans are keyed on, besides the network.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
    /// A class visit's access code (`K7P-M4Q`), for `POST /api/visits/join`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// A class visit's secret guide key (from the guide link): enters as the guide.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guide: Option<String>,
}

/// Checks a device key: 16–64 hex digits (clients make 32).
pub fn valid_device_key(key: &str) -> bool {
    (16..=64).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_hexdigit())
}

/// How to reach the game server with one transport.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Connect {
    pub transport: Transport,
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JoinAnswer {
    pub protocol: u16,
    pub room: String,
    /// The scene the room shows (a class visit's private room shows its public room's scene);
    /// empty from older servers, which meant the room's own name.
    #[serde(default)]
    pub scene: String,
    pub name: String,
    pub client_id: String,
    pub session: String,
    pub rejoin: bool,
    pub tick_hz: u32,
    /// The role the connect token carries.
    #[serde(default)]
    pub role: Role,
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
        assert_eq!(answer.fallback.unwrap().transport, Transport::Websocket);
        assert_eq!(answer.role, Role::Visitor);
        let ask: JoinRequest =
            serde_json::from_str(r#"{"name":"Ada","protocol":3,"code":"K7P-M4Q"}"#).unwrap();
        assert_eq!(ask.transport, Transport::Udp);
        assert!(serde_json::from_str::<JoinRequest>(r#"{"name":"A","protocol":3,"x":1}"#).is_err());
        assert_eq!(answer.connect.cert_hash.as_deref(), Some("xx"));
    }
}
