//! Opening the renet2 transport a seat describes: UDP on the desktop; in the browser
//! WebTransport when it can verify the server's certificate hash, else WebSocket.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use renet2_netcode::{ClientAuthentication, ConnectToken, NetcodeClientTransport};
use stadtlab_shared::protocol::join::{Connect, JoinAnswer, Transport};

use crate::platform::now_since_epoch;

/// The seat to try first, and the one to fall back to.
pub fn choose(ticket: &JoinAnswer) -> (Connect, Option<Connect>) {
    let first = ticket.connect.clone();
    #[cfg(target_arch = "wasm32")]
    if first.transport == Transport::Webtransport
        && !renet2_netcode::webtransport_is_available_with_cert_hashes()
        && let Some(fallback) = ticket.fallback.clone()
    {
        return (fallback, None);
    }
    (first, ticket.fallback.clone())
}

fn token(connect: &Connect) -> Result<ClientAuthentication, String> {
    let bytes = B64
        .decode(&connect.token)
        .map_err(|e| format!("bad connect token: {e}"))?;
    let connect_token = ConnectToken::read(&mut bytes.as_slice())
        .map_err(|e| format!("bad connect token: {e:?}"))?;
    Ok(ClientAuthentication::Secure { connect_token })
}

/// The transport and whether it is reliable (WebSocket is, so renet2 skips resends).
pub fn open(connect: &Connect) -> Result<(NetcodeClientTransport, bool), String> {
    let auth = token(connect)?;
    open_socket(connect, auth)
}

#[cfg(not(target_arch = "wasm32"))]
fn open_socket(
    connect: &Connect,
    auth: ClientAuthentication,
) -> Result<(NetcodeClientTransport, bool), String> {
    use renet2_netcode::NativeSocket;
    if connect.transport != Transport::Udp {
        return Err(format!(
            "the desktop client speaks UDP, not {}",
            connect.transport
        ));
    }
    let socket = std::net::UdpSocket::bind("0.0.0.0:0").map_err(|e| e.to_string())?;
    let socket = NativeSocket::new(socket).map_err(|e| format!("{e:?}"))?;
    let transport = NetcodeClientTransport::new(now_since_epoch(), auth, socket)
        .map_err(|e| format!("{e:?}"))?;
    Ok((transport, false))
}

#[cfg(target_arch = "wasm32")]
fn open_socket(
    connect: &Connect,
    auth: ClientAuthentication,
) -> Result<(NetcodeClientTransport, bool), String> {
    use renet2_netcode::{
        ClientSocket, ServerCertHash, WebServerDestination, WebSocketClient, WebSocketClientConfig,
        WebTransportClient, WebTransportClientConfig,
    };
    let url = url::Url::parse(&connect.address).map_err(|e| format!("bad address: {e}"))?;
    match connect.transport.as_str() {
        "webtransport" => {
            let hash: [u8; 32] = connect
                .cert_hash
                .as_deref()
                .and_then(|h| B64.decode(h).ok())
                .and_then(|h| h.try_into().ok())
                .ok_or("WebTransport seat without a certificate hash")?;
            // By socket address, not URL: the server's connect tokens name real addresses
            // (renet2 would hash a URL into a made-up one).
            let addr = WebSocketClientConfig { server_url: url }
                .server_address()
                .map_err(|e| format!("WebTransport address: {e}"))?;
            let config = WebTransportClientConfig::new_with_certs(
                WebServerDestination::Addr(addr),
                vec![ServerCertHash { hash }],
            );
            let socket = WebTransportClient::new(config);
            let reliable = ClientSocket::is_reliable(&socket);
            let transport = NetcodeClientTransport::new(now_since_epoch(), auth, socket)
                .map_err(|e| format!("{e:?}"))?;
            Ok((transport, reliable))
        }
        "websocket" => {
            let socket = WebSocketClient::new(WebSocketClientConfig { server_url: url })
                .map_err(|e| format!("WebSocket: {e}"))?;
            let reliable = ClientSocket::is_reliable(&socket);
            let transport = NetcodeClientTransport::new(now_since_epoch(), auth, socket)
                .map_err(|e| format!("{e:?}"))?;
            Ok((transport, reliable))
        }
        other => Err(format!("the browser cannot use {other}")),
    }
}
