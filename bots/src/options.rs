//! How a bot joins: transport, protocol claimed, colour, session, device key, class visit,
//! staff session.

use stadtlab_shared::protocol::PROTOCOL_VERSION;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    Udp,
    WebSocket,
    WebTransport,
}

#[derive(Debug, Clone)]
pub struct BotOptions {
    pub transport: Transport,
    /// Protocol version to claim in `Hello` (tests claim a wrong one).
    pub hello_protocol: u16,
    pub color: Option<String>,
    pub session: Option<String>,
    /// The device key (random per bot unless set: a test of bans sets it).
    pub device: Option<String>,
    /// Join a class visit with this code (and `guide` key) instead of a public room.
    pub code: Option<String>,
    pub guide: Option<String>,
    /// A staff session cookie (`stadtlab_staff=...`): joins as staff.
    pub staff_cookie: Option<String>,
}

impl Default for BotOptions {
    fn default() -> Self {
        Self {
            transport: Transport::Udp,
            hello_protocol: PROTOCOL_VERSION,
            color: None,
            session: None,
            device: None,
            code: None,
            guide: None,
            staff_cookie: None,
        }
    }
}

/// A fresh device key, as a browser keeps one in its storage.
pub fn new_device_key() -> String {
    let bytes: [u8; 16] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
