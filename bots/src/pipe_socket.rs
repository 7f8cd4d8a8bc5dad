//! A renet2 [`ClientSocket`] whose packets travel through channels to a thread that speaks
//! some browser transport (WebSocket, WebTransport). The transports differ only in that
//! thread; what renet sees is the same, as with renet2's browser sockets: the first netcode
//! connection request opens the connection (it rides in the URL as `?creq=…`).

use std::io::ErrorKind;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::sync::{Arc, Mutex};

use renet2_netcode::{ClientSocket, NetcodeTransportError};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

/// What the transport thread gets: the URL with the connection request, where to put
/// received packets, where to take packets to send, and a byte counter to feed.
pub struct Pipe {
    pub url: url::Url,
    pub incoming: Sender<Vec<u8>>,
    pub outgoing: UnboundedReceiver<Vec<u8>>,
    pub received: Arc<AtomicU64>,
}

type Runner = Box<dyn FnOnce(Pipe) + Send + Sync>;

pub struct PipeSocket {
    url: url::Url,
    server_addr: SocketAddr,
    encrypted: bool,
    reliable: bool,
    run: Option<Runner>,
    incoming: Option<Mutex<Receiver<Vec<u8>>>>,
    outgoing: Option<UnboundedSender<Vec<u8>>>,
    closed: Arc<AtomicBool>,
    /// Bytes received, for measuring downstream bandwidth.
    pub received: Arc<AtomicU64>,
}

impl std::fmt::Debug for PipeSocket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PipeSocket")
            .field("url", &self.url.as_str())
            .finish()
    }
}

impl PipeSocket {
    /// `run` speaks the transport on its own thread until the connection ends.
    pub fn new(
        url: url::Url,
        server_addr: SocketAddr,
        encrypted: bool,
        reliable: bool,
        run: impl FnOnce(Pipe) + Send + Sync + 'static,
    ) -> Self {
        Self {
            url,
            server_addr,
            encrypted,
            reliable,
            run: Some(Box::new(run)),
            incoming: None,
            outgoing: None,
            closed: Arc::new(AtomicBool::new(false)),
            received: Default::default(),
        }
    }

    fn open(&mut self, connection_request: &[u8]) {
        let Some(run) = self.run.take() else { return };
        let mut url = self.url.clone();
        url.set_query(Some(&format!(
            "creq={}",
            urlencoding::encode_binary(connection_request)
        )));
        let (in_tx, in_rx) = channel();
        let (out_tx, out_rx) = unbounded_channel();
        self.incoming = Some(Mutex::new(in_rx));
        self.outgoing = Some(out_tx);
        let closed = self.closed.clone();
        let pipe = Pipe {
            url,
            incoming: in_tx,
            outgoing: out_rx,
            received: self.received.clone(),
        };
        std::thread::spawn(move || {
            run(pipe);
            // However it ended, renet sees a closed socket.
            closed.store(true, Ordering::Relaxed);
        });
    }
}

impl ClientSocket for PipeSocket {
    fn is_encrypted(&self) -> bool {
        self.encrypted
    }
    fn is_reliable(&self) -> bool {
        self.reliable
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
            // netcode's first packets are connection requests (type 0 in the low bits): the
            // first one opens the connection, repeats are dropped, as the browser does.
            None => {
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
