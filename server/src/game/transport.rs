//! The game transports: one netcode server over three sockets (native UDP, browser
//! WebTransport, browser WebSocket), and the connect tokens that lead clients to them.

use std::net::{SocketAddr, UdpSocket};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use prometheus_client::metrics::counter::Counter;
use renet2_netcode::{
    BoxedSocket, ConnectToken, NativeSocket, NetcodeServerTransport, NetcodeTransportError,
    ServerAuthentication, ServerSetupConfig, ServerSocket, WebSocketServer, WebSocketServerConfig,
    WebTransportServer, WebTransportServerConfig,
};
use stadtlab_shared::protocol::NETCODE_PROTOCOL_ID;

use crate::config::GameConfig;
use crate::metrics::{Metrics, TransportLabel};
use crate::storage::NetcodeKey;

/// Which socket a client reaches the server through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TransportKind {
    Udp,
    Webtransport,
    Websocket,
}

impl TransportKind {
    fn label(self) -> &'static str {
        match self {
            TransportKind::Udp => "udp",
            TransportKind::Webtransport => "webtransport",
            TransportKind::Websocket => "websocket",
        }
    }
}

/// What the join endpoint needs to write connect tokens. Holds the key: never serialised.
#[derive(Debug, Clone)]
pub struct TokenIssuer {
    key: NetcodeKey,
    expire_secs: u64,
    timeout_secs: i32,
    pub udp: SocketAddr,
    pub webtransport: SocketAddr,
    pub webtransport_cert_hash: [u8; 32],
    pub websocket: SocketAddr,
}

impl TokenIssuer {
    fn socket_id(kind: TransportKind) -> u8 {
        match kind {
            TransportKind::Udp => 0,
            TransportKind::Webtransport => 1,
            TransportKind::Websocket => 2,
        }
    }

    pub fn address(&self, kind: TransportKind) -> SocketAddr {
        match kind {
            TransportKind::Udp => self.udp,
            TransportKind::Webtransport => self.webtransport,
            TransportKind::Websocket => self.websocket,
        }
    }

    /// A netcode connect token (serialised) for `client_id` on the given socket.
    pub fn token(&self, client_id: u64, kind: TransportKind) -> Result<Vec<u8>, String> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        let token = ConnectToken::generate(
            now,
            NETCODE_PROTOCOL_ID,
            self.expire_secs,
            client_id,
            self.timeout_secs,
            Self::socket_id(kind),
            vec![self.address(kind)],
            None,
            &self.key.0,
        )
        .map_err(|e| format!("connect token: {e:?}"))?;
        let mut bytes = Vec::with_capacity(2048);
        token
            .write(&mut bytes)
            .map_err(|e| format!("connect token: {e}"))?;
        Ok(bytes)
    }
}

/// Counts the bytes a socket moves, for `/metrics`.
#[derive(Debug)]
struct Counted<S> {
    inner: S,
    sent: Counter,
    received: Counter,
}

impl<S: ServerSocket> ServerSocket for Counted<S> {
    fn is_encrypted(&self) -> bool {
        self.inner.is_encrypted()
    }
    fn is_reliable(&self) -> bool {
        self.inner.is_reliable()
    }
    fn addr(&self) -> std::io::Result<SocketAddr> {
        self.inner.addr()
    }
    fn is_closed(&mut self) -> bool {
        self.inner.is_closed()
    }
    fn close(&mut self) {
        self.inner.close()
    }
    fn connection_denied(&mut self, addr: SocketAddr) {
        self.inner.connection_denied(addr)
    }
    fn connection_accepted(&mut self, client_id: u64, addr: SocketAddr) {
        self.inner.connection_accepted(client_id, addr)
    }
    fn disconnect(&mut self, addr: SocketAddr) {
        self.inner.disconnect(addr)
    }
    fn preupdate(&mut self) {
        self.inner.preupdate()
    }
    fn try_recv(&mut self, buffer: &mut [u8]) -> std::io::Result<(usize, SocketAddr)> {
        let r = self.inner.try_recv(buffer);
        if let Ok((n, _)) = &r {
            self.received.inc_by(*n as u64);
        }
        r
    }
    fn postupdate(&mut self) {
        self.inner.postupdate()
    }
    fn send(&mut self, addr: SocketAddr, packet: &[u8]) -> Result<(), NetcodeTransportError> {
        self.sent.inc_by(packet.len() as u64);
        self.inner.send(addr, packet)
    }
}

fn counted<S: ServerSocket>(inner: S, kind: TransportKind, metrics: &Metrics) -> BoxedSocket {
    let label = TransportLabel {
        transport: kind.label().into(),
    };
    BoxedSocket::new(Counted {
        inner,
        sent: metrics.bytes_sent.get_or_create(&label).clone(),
        received: metrics.bytes_received.get_or_create(&label).clone(),
    })
}

/// Socket buffer asked for: a tick's packets from 1,000 clients arrive between two reads, and
/// the default (~200 KiB, ~250 packets) silently drops the rest. The kernel caps the request at
/// `net.core.rmem_max`; raise that sysctl on busy hosts.
const UDP_BUFFER_BYTES: usize = 8 * 1024 * 1024;

fn bind_udp(addr: SocketAddr) -> std::io::Result<UdpSocket> {
    use socket2::{Domain, Protocol, Socket, Type};
    let socket = Socket::new(Domain::for_address(addr), Type::DGRAM, Some(Protocol::UDP))?;
    if let Err(e) = socket.set_recv_buffer_size(UDP_BUFFER_BYTES) {
        tracing::warn!(error = %e, "could not enlarge the UDP receive buffer");
    }
    let _ = socket.set_send_buffer_size(UDP_BUFFER_BYTES);
    socket.bind(&addr.into())?;
    let got = socket.recv_buffer_size().unwrap_or(0);
    if got < UDP_BUFFER_BYTES / 2 {
        tracing::warn!(
            bytes = got,
            "small UDP receive buffer: raise net.core.rmem_max for large rooms"
        );
    }
    Ok(socket.into())
}

/// Binds the three sockets. Must run outside async code but with a tokio runtime entered:
/// the browser sockets spawn their connection handlers on it.
pub fn bind(
    config: &GameConfig,
    key: &NetcodeKey,
    max_clients: usize,
    runtime: tokio::runtime::Handle,
    metrics: &Arc<Metrics>,
) -> anyhow::Result<(NetcodeServerTransport, TokenIssuer)> {
    // Behind NAT or an orchestrator's port mapping, clients reach other ports than we bind.
    let public = |bound: u16, public: Option<u16>| {
        SocketAddr::new(config.public_ip, public.unwrap_or(bound))
    };

    let udp = bind_udp(SocketAddr::new(config.bind_ip, config.udp_port))
        .map_err(|e| anyhow::anyhow!("binding UDP port {}: {e}", config.udp_port))?;
    let udp_port = udp.local_addr()?.port();
    let udp = NativeSocket::new(udp).map_err(|e| anyhow::anyhow!("UDP socket: {e:?}"))?;

    let (wt_config, cert_hash) = WebTransportServerConfig::new_selfsigned(
        SocketAddr::new(config.bind_ip, config.webtransport_port),
        max_clients,
    )
    .map_err(|e| anyhow::anyhow!("WebTransport certificate: {e}"))?;
    let wt = WebTransportServer::new(wt_config, runtime.clone()).map_err(|e| {
        anyhow::anyhow!(
            "binding WebTransport port {}: {e}",
            config.webtransport_port
        )
    })?;
    let wt_port = wt.addr()?.port();

    let ws = WebSocketServer::new(
        WebSocketServerConfig::new(
            SocketAddr::new(config.bind_ip, config.websocket_port),
            max_clients,
        ),
        runtime,
    )
    .map_err(|e| anyhow::anyhow!("binding WebSocket port {}: {e}", config.websocket_port))?;
    let ws_port = ws.addr()?.port();

    let issuer = TokenIssuer {
        key: key.clone(),
        expire_secs: config.token_expire_secs,
        timeout_secs: config.timeout_secs,
        udp: public(udp_port, config.public_udp_port),
        webtransport: public(wt_port, config.public_webtransport_port),
        webtransport_cert_hash: cert_hash.hash,
        websocket: public(ws_port, config.public_websocket_port),
    };
    let setup = ServerSetupConfig {
        current_time: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default(),
        max_clients,
        protocol_id: NETCODE_PROTOCOL_ID,
        socket_addresses: vec![
            vec![issuer.udp],
            vec![issuer.webtransport],
            vec![issuer.websocket],
        ],
        authentication: ServerAuthentication::Secure { private_key: key.0 },
    };
    let sockets = vec![
        counted(udp, TransportKind::Udp, metrics),
        counted(wt, TransportKind::Webtransport, metrics),
        counted(ws, TransportKind::Websocket, metrics),
    ];
    let transport = NetcodeServerTransport::new_with_sockets(setup, sockets)?;
    Ok((transport, issuer))
}
