//! The game transports: one netcode server over three sockets (native UDP, browser
//! WebTransport, browser WebSocket), and the connect tokens that lead clients to them.

use std::net::{IpAddr, SocketAddr, UdpSocket};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use prometheus_client::metrics::counter::Counter;
use renet2_netcode::{
    BoxedSocket, ConnectToken, NativeSocket, NetcodeServerTransport, NetcodeTransportError,
    ServerAuthentication, ServerSetupConfig, ServerSocket, WebSocketServer, WebSocketServerConfig,
};
use stadtlab_shared::protocol::NETCODE_PROTOCOL_ID;

use super::webtransport_rotation::{
    PortPair, RotatingWebTransport, SharedTarget, WebTransportTarget,
};
use crate::config::GameConfig;
use crate::metrics::{Metrics, TransportLabel};
use crate::storage::NetcodeKey;

/// Which socket a client reaches the server through (the join contract's name for it).
pub use stadtlab_shared::protocol::join::Transport as TransportKind;

/// What the join endpoint needs to write connect tokens. Holds the key: never serialised.
#[derive(Debug, Clone)]
pub struct TokenIssuer {
    key: NetcodeKey,
    expire_secs: u64,
    timeout_secs: i32,
    /// The sockets at the configured public IP.
    pub udp: SocketAddr,
    /// WebTransport's current port and certificate hash (they change at every rotation).
    pub webtransport: SharedTarget,
    /// Both public WebTransport ports (tokens for either are valid).
    webtransport_ports: [u16; 2],
    pub websocket: SocketAddr,
    /// Further addresses of this host that clients may use (its interfaces, when the game
    /// sockets listen on all of them).
    also_reachable: Vec<IpAddr>,
}

impl TokenIssuer {
    fn socket_id(kind: TransportKind) -> u8 {
        match kind {
            TransportKind::Udp => 0,
            TransportKind::Webtransport => 1,
            TransportKind::Websocket => 2,
        }
    }

    /// The IP to hand a client whose HTTP request arrived at `local` (this host's side of the
    /// connection): that very address when the game sockets answer there too (a phone in the
    /// lab's Wi-Fi reaches the host at its LAN address, not at 127.0.0.1), else the public IP.
    pub fn ip_for(&self, local: Option<IpAddr>) -> IpAddr {
        let local = local.map(|ip| ip.to_canonical());
        match local {
            Some(ip) if self.also_reachable.contains(&ip) => ip,
            _ => self.udp.ip(),
        }
    }

    /// The socket address of `kind` at `ip`.
    pub fn address(&self, kind: TransportKind, ip: IpAddr) -> SocketAddr {
        let port = match kind {
            TransportKind::Udp => self.udp.port(),
            TransportKind::Webtransport => self.webtransport_target().port,
            TransportKind::Websocket => self.websocket.port(),
        };
        SocketAddr::new(ip, port)
    }

    /// Where WebTransport clients go now, with the certificate hash to trust.
    pub fn webtransport_target(&self) -> WebTransportTarget {
        *self.webtransport.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Every address a socket answers at (netcode checks tokens against this list).
    fn socket_addresses(&self, kind: TransportKind) -> Vec<SocketAddr> {
        let public = self.udp.ip();
        let ips = std::iter::once(public).chain(
            self.also_reachable
                .iter()
                .copied()
                .filter(move |ip| *ip != public),
        );
        match kind {
            TransportKind::Webtransport => ips
                .flat_map(|ip| {
                    self.webtransport_ports
                        .map(|port| SocketAddr::new(ip, port))
                })
                .collect(),
            _ => ips.map(|ip| self.address(kind, ip)).collect(),
        }
    }

    /// A netcode connect token (serialised) for `client_id` on the given socket at `ip`. The
    /// token's user data carries the role (first byte), sealed with the server's key.
    pub fn token(
        &self,
        client_id: u64,
        kind: TransportKind,
        ip: IpAddr,
        role: stadtlab_shared::protocol::Role,
    ) -> Result<Vec<u8>, String> {
        let mut user_data = [0u8; renet2_netcode::NETCODE_USER_DATA_BYTES];
        user_data[0] = role.to_byte();
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
            vec![self.address(kind, ip)],
            Some(&user_data),
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
        transport: kind.as_str().into(),
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

/// This host's IPv4 addresses (the game sockets listen on IPv4).
fn interface_ips() -> Vec<IpAddr> {
    match if_addrs::get_if_addrs() {
        Ok(interfaces) => {
            let mut ips: Vec<IpAddr> = interfaces
                .into_iter()
                .map(|i| i.ip())
                .filter(IpAddr::is_ipv4)
                .collect();
            ips.sort();
            ips.dedup();
            ips
        }
        Err(e) => {
            tracing::warn!(error = %e, "cannot list network interfaces; clients get the public IP only");
            Vec::new()
        }
    }
}

/// The two WebTransport ports: a configured port 0 becomes a free port found now (the
/// second endpoint only binds at the first rotation, but tokens must name its port already).
fn webtransport_ports(config: &GameConfig) -> anyhow::Result<[PortPair; 2]> {
    let free = |port: u16| -> anyhow::Result<u16> {
        if port != 0 {
            return Ok(port);
        }
        Ok(
            std::net::UdpSocket::bind(SocketAddr::new(config.bind_ip, 0))?
                .local_addr()?
                .port(),
        )
    };
    let first = free(config.webtransport_port)?;
    // "Any free port" for the first means any free port for the second as well (tests, and
    // several servers on one host).
    let alt = if config.webtransport_port == 0 {
        0
    } else {
        config.webtransport_alt_port
    };
    let mut second = free(alt)?;
    while second == first {
        second = free(0)?;
    }
    Ok([
        PortPair {
            bound: first,
            public: config.public_webtransport_port.unwrap_or(first),
        },
        PortPair {
            bound: second,
            public: config.public_webtransport_alt_port.unwrap_or(second),
        },
    ])
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

    let wt_ports = webtransport_ports(config)?;
    let (wt, webtransport) = RotatingWebTransport::start(
        config.bind_ip,
        wt_ports,
        max_clients,
        runtime.clone(),
        Duration::from_secs(config.webtransport_cert_rotate_secs),
    )?;

    // renet2's WebSocket server listens on loopback behind our front on the public port,
    // which closes connections that do not send their upgrade request in time.
    let front = std::net::TcpListener::bind(SocketAddr::new(config.bind_ip, config.websocket_port))
        .map_err(|e| anyhow::anyhow!("binding WebSocket port {}: {e}", config.websocket_port))?;
    let ws_port = front.local_addr()?.port();
    let ws = WebSocketServer::new(
        WebSocketServerConfig::new(
            SocketAddr::new(std::net::Ipv4Addr::LOCALHOST.into(), 0),
            max_clients,
        ),
        runtime.clone(),
    )
    .map_err(|e| anyhow::anyhow!("binding the inner WebSocket port: {e}"))?;
    super::websocket_front::spawn(
        front,
        ws.addr()?,
        Duration::from_secs(config.websocket_handshake_timeout_secs),
        &runtime,
    )?;

    let issuer = TokenIssuer {
        key: key.clone(),
        expire_secs: config.token_expire_secs,
        timeout_secs: config.timeout_secs,
        udp: public(udp_port, config.public_udp_port),
        webtransport,
        webtransport_ports: wt_ports.map(|p| p.public),
        websocket: public(ws_port, config.public_websocket_port),
        also_reachable: if config.bind_ip.is_unspecified() {
            interface_ips()
        } else {
            Vec::new()
        },
    };
    let setup = ServerSetupConfig {
        current_time: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default(),
        max_clients,
        protocol_id: NETCODE_PROTOCOL_ID,
        socket_addresses: vec![
            issuer.socket_addresses(TransportKind::Udp),
            issuer.socket_addresses(TransportKind::Webtransport),
            issuer.socket_addresses(TransportKind::Websocket),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn issuer(also: Vec<IpAddr>) -> TokenIssuer {
        let public = |port| SocketAddr::from(([203, 0, 113, 9], port));
        TokenIssuer {
            key: NetcodeKey([7; 32]),
            expire_secs: 30,
            timeout_secs: 10,
            udp: public(5000),
            webtransport: Arc::new(std::sync::RwLock::new(WebTransportTarget {
                port: 5001,
                cert_hash: [0; 32],
            })),
            webtransport_ports: [5001, 5004],
            websocket: public(5002),
            also_reachable: also,
        }
    }

    #[test]
    fn clients_get_the_address_they_reached_us_at() {
        let lan = IpAddr::from([192, 168, 1, 5]);
        let i = issuer(vec![IpAddr::from([127, 0, 0, 1]), lan]);
        assert_eq!(i.ip_for(Some(lan)), lan);
        // IPv4 seen through an IPv6 socket is the same address.
        assert_eq!(i.ip_for(Some("::ffff:192.168.1.5".parse().unwrap())), lan);
        // An address the game sockets do not answer at, or none: the public IP.
        assert_eq!(i.ip_for(Some(IpAddr::from([10, 9, 9, 9]))), i.udp.ip());
        assert_eq!(i.ip_for(None), i.udp.ip());
        assert_eq!(
            i.address(TransportKind::Websocket, lan),
            SocketAddr::new(lan, 5002)
        );
        // netcode accepts tokens for every listed address.
        assert_eq!(i.socket_addresses(TransportKind::Udp).len(), 3);
        let token = i
            .token(
                42,
                TransportKind::Udp,
                lan,
                stadtlab_shared::protocol::Role::Guide,
            )
            .unwrap();
        let token = ConnectToken::read(&mut token.as_slice()).unwrap();
        assert_eq!(token.server_addresses[0], Some(SocketAddr::new(lan, 5000)));
    }
}
