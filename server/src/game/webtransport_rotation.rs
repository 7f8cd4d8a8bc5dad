//! WebTransport with certificates that never run out. Browsers accept a self-signed
//! certificate by its hash only while it is valid for at most 14 days, so a server running
//! longer must change it. A QUIC endpoint cannot change its certificate from the outside in
//! renet2, so this socket holds two endpoints on two ports: every rotation starts a fresh
//! endpoint (new certificate) on the other port, join answers name it and its hash from then
//! on, and the previous endpoint keeps serving the visitors already connected through it
//! (their QUIC connection needs no new handshake) until the rotation after.

use std::net::{Ipv6Addr, SocketAddr};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use renet2_netcode::{
    NetcodeTransportError, ServerSocket, WebTransportServer, WebTransportServerConfig,
};

/// Where browsers reach WebTransport now: the public address and the certificate's hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WebTransportTarget {
    /// The public port clients are told (the current endpoint's).
    pub port: u16,
    pub cert_hash: [u8; 32],
}

/// Shared between the socket (which rotates) and the join endpoint (which tells clients).
pub type SharedTarget = Arc<RwLock<WebTransportTarget>>;

/// One endpoint: its bound port and the public port clients use for it.
#[derive(Debug, Clone, Copy)]
pub struct PortPair {
    pub bound: u16,
    pub public: u16,
}

#[derive(Debug)]
pub struct RotatingWebTransport {
    bind: std::net::IpAddr,
    ports: [PortPair; 2],
    max_clients: usize,
    runtime: tokio::runtime::Handle,
    /// `servers[i]` listens on `ports[i]`; `current` is the one new clients are sent to.
    servers: [Option<WebTransportServer>; 2],
    current: usize,
    every: Duration,
    next_rotation: Instant,
    target: SharedTarget,
}

/// renet2 names a WebTransport client by an IPv6 address whose first four segments hold its
/// index; the fifth segment says which of our two endpoints it came through.
fn mark(addr: SocketAddr, endpoint: usize) -> SocketAddr {
    match addr {
        SocketAddr::V6(v6) => {
            let s = v6.ip().segments();
            let ip = Ipv6Addr::new(s[0], s[1], s[2], s[3], endpoint as u16 + 1, 0, 0, 0);
            SocketAddr::new(ip.into(), addr.port())
        }
        other => other,
    }
}

fn endpoint_of(addr: SocketAddr) -> usize {
    match addr {
        SocketAddr::V6(v6) if v6.ip().segments()[4] == 2 => 1,
        _ => 0,
    }
}

fn start(
    bind: std::net::IpAddr,
    port: u16,
    max_clients: usize,
    runtime: &tokio::runtime::Handle,
) -> anyhow::Result<(WebTransportServer, [u8; 32])> {
    let (config, hash) =
        WebTransportServerConfig::new_selfsigned(SocketAddr::new(bind, port), max_clients)
            .map_err(|e| anyhow::anyhow!("WebTransport certificate: {e}"))?;
    let server = WebTransportServer::new(config, runtime.clone())
        .map_err(|e| anyhow::anyhow!("binding WebTransport port {port}: {e}"))?;
    Ok((server, hash.hash))
}

impl RotatingWebTransport {
    /// Starts the first endpoint on `ports[0]`; the second port is used from the first
    /// rotation on (`every` after now).
    pub fn start(
        bind: std::net::IpAddr,
        ports: [PortPair; 2],
        max_clients: usize,
        runtime: tokio::runtime::Handle,
        every: Duration,
    ) -> anyhow::Result<(Self, SharedTarget)> {
        let (server, cert_hash) = start(bind, ports[0].bound, max_clients, &runtime)?;
        let target = Arc::new(RwLock::new(WebTransportTarget {
            port: ports[0].public,
            cert_hash,
        }));
        Ok((
            Self {
                bind,
                ports,
                max_clients,
                runtime,
                servers: [Some(server), None],
                current: 0,
                every,
                next_rotation: Instant::now() + every,
                target: target.clone(),
            },
            target,
        ))
    }

    /// A fresh certificate on the other port; the endpoint there before (two rotations old)
    /// closes, the current one keeps its visitors.
    fn rotate(&mut self) {
        let next = 1 - self.current;
        // Dropped, not only closed: its QUIC endpoint lets go of the port once its last
        // connection is gone.
        if let Some(mut old) = self.servers[next].take() {
            old.close();
        }
        match start(
            self.bind,
            self.ports[next].bound,
            self.max_clients,
            &self.runtime,
        ) {
            Ok((server, cert_hash)) => {
                self.servers[next] = Some(server);
                self.current = next;
                *self.target.write().unwrap_or_else(|e| e.into_inner()) = WebTransportTarget {
                    port: self.ports[next].public,
                    cert_hash,
                };
                tracing::info!(
                    port = self.ports[next].public,
                    "WebTransport certificate rotated"
                );
                self.next_rotation = Instant::now() + self.every;
            }
            // The port may still be held for a moment by the endpoint just closed; the current
            // endpoint keeps working meanwhile. Tried again in a second.
            Err(e) => {
                tracing::debug!(error = %e, "WebTransport rotation waits for its port");
                self.next_rotation = Instant::now() + Duration::from_secs(1);
            }
        }
    }

    fn server(&mut self, addr: SocketAddr) -> Option<&mut WebTransportServer> {
        self.servers[endpoint_of(addr)].as_mut()
    }
}

impl ServerSocket for RotatingWebTransport {
    // Both answers are the inner endpoints' (they are the same for every endpoint).
    fn is_encrypted(&self) -> bool {
        self.servers[self.current]
            .as_ref()
            .is_none_or(|s| s.is_encrypted())
    }

    fn is_reliable(&self) -> bool {
        self.servers[self.current]
            .as_ref()
            .is_some_and(|s| s.is_reliable())
    }

    fn addr(&self) -> std::io::Result<SocketAddr> {
        match &self.servers[self.current] {
            Some(s) => s.addr(),
            None => Err(std::io::ErrorKind::NotConnected.into()),
        }
    }

    fn is_closed(&mut self) -> bool {
        self.servers[self.current]
            .as_mut()
            .is_none_or(|s| s.is_closed())
    }

    fn close(&mut self) {
        for server in self.servers.iter_mut().flatten() {
            server.close();
        }
    }

    fn connection_denied(&mut self, addr: SocketAddr) {
        if let Some(s) = self.server(addr) {
            s.connection_denied(addr);
        }
    }

    fn connection_accepted(&mut self, client_id: u64, addr: SocketAddr) {
        if let Some(s) = self.server(addr) {
            s.connection_accepted(client_id, addr);
        }
    }

    fn disconnect(&mut self, addr: SocketAddr) {
        if let Some(s) = self.server(addr) {
            s.disconnect(addr);
        }
    }

    fn preupdate(&mut self) {
        if Instant::now() >= self.next_rotation {
            self.rotate();
        }
        for server in self.servers.iter_mut().flatten() {
            server.preupdate();
        }
    }

    fn try_recv(&mut self, buffer: &mut [u8]) -> std::io::Result<(usize, SocketAddr)> {
        // The current endpoint first, then the one still serving earlier visitors.
        let order = [self.current, 1 - self.current];
        for endpoint in order {
            let Some(server) = self.servers[endpoint].as_mut() else {
                continue;
            };
            match server.try_recv(buffer) {
                Ok((n, addr)) => return Ok((n, mark(addr, endpoint))),
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => continue,
                Err(e) => return Err(e),
            }
        }
        Err(std::io::ErrorKind::WouldBlock.into())
    }

    fn postupdate(&mut self) {
        for server in self.servers.iter_mut().flatten() {
            server.postupdate();
        }
    }

    fn send(&mut self, addr: SocketAddr, packet: &[u8]) -> Result<(), NetcodeTransportError> {
        match self.server(addr) {
            Some(s) => s.send(addr, packet),
            None => Err(NetcodeTransportError::IO(
                std::io::ErrorKind::NotConnected.into(),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_addresses_say_their_endpoint_and_keep_their_index() {
        let renet_addr = SocketAddr::new(Ipv6Addr::new(7, 0, 0, 0, 0, 0, 0, 0).into(), 0);
        for endpoint in [0, 1] {
            let marked = mark(renet_addr, endpoint);
            assert_eq!(endpoint_of(marked), endpoint);
            let SocketAddr::V6(v6) = marked else { panic!() };
            assert_eq!(v6.ip().segments()[..4], [7, 0, 0, 0]);
        }
    }
}
