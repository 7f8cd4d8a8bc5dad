//! A native WebSocket [`ClientSocket`] for renet2, speaking what renet2's server-side
//! WebSocket socket expects from browsers: the netcode connection request travels in the URL
//! (`?creq=…`), then every netcode packet is one binary message.

use std::io::ErrorKind;
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use renet2_netcode::{ClientSocket, NetcodeTransportError};
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

#[derive(Debug)]
pub struct WebSocketClientSocket {
    url: url::Url,
    server_addr: SocketAddr,
    incoming: Option<Mutex<Receiver<Vec<u8>>>>,
    outgoing: Option<Sender<Vec<u8>>>,
    closed: Arc<AtomicBool>,
    /// Bytes received, for measuring downstream bandwidth.
    pub received: Arc<std::sync::atomic::AtomicU64>,
}

impl WebSocketClientSocket {
    pub fn new(url: url::Url, server_addr: SocketAddr) -> Self {
        Self {
            url,
            server_addr,
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
        let (out_tx, out_rx) = channel::<Vec<u8>>();
        self.incoming = Some(Mutex::new(in_rx));
        self.outgoing = Some(out_tx);
        let closed = self.closed.clone();
        let received = self.received.clone();
        std::thread::spawn(move || {
            // Any end (server closed, error) is reported to renet as a closed socket.
            let _ = run(url, in_tx, out_rx, &received);
            closed.store(true, Ordering::Relaxed);
        });
    }
}

fn run(
    url: url::Url,
    incoming: Sender<Vec<u8>>,
    outgoing: Receiver<Vec<u8>>,
    received: &std::sync::atomic::AtomicU64,
) -> Result<(), Box<tungstenite::Error>> {
    let (mut ws, _) = tungstenite::connect(url.as_str())?;
    set_timeout(&mut ws);
    loop {
        loop {
            match outgoing.try_recv() {
                Ok(packet) => ws.send(Message::Binary(packet.into()))?,
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => return Ok(()),
            }
        }
        match ws.read() {
            Ok(Message::Binary(data)) => {
                received.fetch_add(data.len() as u64, Ordering::Relaxed);
                if incoming.send(data.to_vec()).is_err() {
                    return Ok(());
                }
            }
            Ok(Message::Close(_)) => return Ok(()),
            Ok(_) => {}
            Err(tungstenite::Error::Io(e))
                if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(e) => return Err(Box::new(e)),
        }
    }
}

fn set_timeout(ws: &mut WebSocket<MaybeTlsStream<TcpStream>>) {
    if let MaybeTlsStream::Plain(s) = ws.get_mut() {
        let _ = s.set_read_timeout(Some(Duration::from_millis(2)));
        let _ = s.set_nodelay(true);
    }
}

impl ClientSocket for WebSocketClientSocket {
    fn is_encrypted(&self) -> bool {
        false
    }
    fn is_reliable(&self) -> bool {
        true
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
                // netcode's first packets are connection requests (type 0 in the low bits):
                // the first one opens the socket, repeats are dropped as the browser does.
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
