//! A native WebTransport [`ClientSocket`] for renet2, speaking what renet2's server-side
//! WebTransport socket expects from browsers: a session to `https://host:port/?creq=…` (the
//! netcode connection request in the URL), the server's self-signed certificate accepted by
//! its SHA-256 hash, and every netcode packet as one datagram.

use std::io::ErrorKind;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::sync::{Arc, Mutex};

use renet2_netcode::{ClientSocket, NetcodeTransportError};
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};
use wtransport::tls::Sha256Digest;
use wtransport::{ClientConfig, Endpoint};

#[derive(Debug)]
pub struct WebTransportClientSocket {
    url: url::Url,
    server_addr: SocketAddr,
    cert_hash: [u8; 32],
    incoming: Option<Mutex<Receiver<Vec<u8>>>>,
    outgoing: Option<UnboundedSender<Vec<u8>>>,
    closed: Arc<AtomicBool>,
    /// Bytes received, for measuring downstream bandwidth.
    pub received: Arc<AtomicU64>,
}

impl WebTransportClientSocket {
    pub fn new(url: url::Url, server_addr: SocketAddr, cert_hash: [u8; 32]) -> Self {
        Self {
            url,
            server_addr,
            cert_hash,
            incoming: None,
            outgoing: None,
            closed: Arc::new(AtomicBool::new(false)),
            received: Default::default(),
        }
    }

    fn open(&mut self, connection_request: &[u8]) {
        let mut url = self.url.clone();
        url.set_query(Some(&format!(
            "creq={}",
            urlencoding::encode_binary(connection_request)
        )));
        let (in_tx, in_rx) = channel();
        let (out_tx, out_rx) = unbounded_channel::<Vec<u8>>();
        self.incoming = Some(Mutex::new(in_rx));
        self.outgoing = Some(out_tx);
        let closed = self.closed.clone();
        let received = self.received.clone();
        let hash = self.cert_hash;
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build();
            if let Ok(runtime) = runtime {
                // Any end (server closed, error) is reported to renet as a closed socket.
                let _ = runtime.block_on(run(url, hash, in_tx, out_rx, received));
            }
            closed.store(true, Ordering::Relaxed);
        });
    }
}

async fn run(
    url: url::Url,
    cert_hash: [u8; 32],
    incoming: Sender<Vec<u8>>,
    mut outgoing: tokio::sync::mpsc::UnboundedReceiver<Vec<u8>>,
    received: Arc<AtomicU64>,
) -> anyhow::Result<()> {
    let config = ClientConfig::builder()
        .with_bind_default()
        .with_server_certificate_hashes([Sha256Digest::new(cert_hash)])
        .build();
    let connection = Endpoint::client(config)?.connect(url.as_str()).await?;
    loop {
        tokio::select! {
            packet = outgoing.recv() => match packet {
                Some(packet) => connection.send_datagram(packet)?,
                None => return Ok(()),
            },
            datagram = connection.receive_datagram() => {
                let payload = datagram?.payload();
                received.fetch_add(payload.len() as u64, Ordering::Relaxed);
                if incoming.send(payload.to_vec()).is_err() {
                    return Ok(());
                }
            }
        }
    }
}

impl ClientSocket for WebTransportClientSocket {
    fn is_encrypted(&self) -> bool {
        true // TLS (QUIC) encrypts; netcode does not encrypt again, as with browsers.
    }
    fn is_reliable(&self) -> bool {
        false
    }
    fn addr(&self) -> std::io::Result<SocketAddr> {
        Err(std::io::Error::from(ErrorKind::AddrNotAvailable))
    }
    fn is_closed(&mut self) -> bool {
        self.closed.load(Ordering::Relaxed)
    }
    fn close(&mut self) {
        self.outgoing = None;
        self.closed.store(true, Ordering::Relaxed);
    }
    fn preupdate(&mut self) {}
    fn try_recv(&mut self, buffer: &mut [u8]) -> std::io::Result<(usize, SocketAddr)> {
        let Some(rx) = &self.incoming else {
            return Err(ErrorKind::WouldBlock.into());
        };
        let rx = rx.lock().expect("socket receiver");
        match rx.try_recv() {
            Ok(packet) if packet.len() <= buffer.len() => {
                buffer[..packet.len()].copy_from_slice(&packet);
                Ok((packet.len(), self.server_addr))
            }
            Ok(_) => Err(ErrorKind::InvalidData.into()),
            Err(TryRecvError::Empty) => Err(ErrorKind::WouldBlock.into()),
            Err(TryRecvError::Disconnected) => Err(ErrorKind::ConnectionAborted.into()),
        }
    }
    fn postupdate(&mut self) {}
    fn send(&mut self, _addr: SocketAddr, packet: &[u8]) -> Result<(), NetcodeTransportError> {
        if self.is_closed() {
            return Err(std::io::Error::from(ErrorKind::ConnectionAborted).into());
        }
        match &self.outgoing {
            None => {
                // The first connection request opens the session; the browser does the same.
                if packet.first().is_some_and(|b| b & 0x0f == 0) {
                    self.open(packet);
                }
                Ok(())
            }
            Some(tx) => tx
                .send(packet.to_vec())
                .map_err(|_| std::io::Error::from(ErrorKind::ConnectionAborted).into()),
        }
    }
}
