//! ICE over TCP for networks that block UDP (schools and offices often do): the voice port
//! also listens on TCP, and the answer offers a passive TCP candidate beside the UDP one, with a
//! lower priority, so browsers use it only when UDP does not get through. Each TCP connection
//! carries the same STUN, DTLS and SRTP packets as UDP would, each framed by a two-byte length
//! (RFC 4571, as RFC 6544 asks).
//!
//! The SFU's loop stays one thread with one UDP socket: a thread per TCP connection reads
//! frames and hands them over a channel, and a writer thread per connection sends what the
//! SFU queues for it. A queue that is full drops the packet, as a full UDP buffer would.

use std::collections::HashMap;
use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::mpsc::{Receiver, Sender, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use prometheus_client::metrics::gauge::Gauge;

/// Connections at once; more are closed at once (TCP is the fallback for a few, not the road
/// for everyone).
pub const MAX_CONNECTIONS: usize = 256;
/// A frame longer than this is not voice (the SFU's datagrams stay under 1,500 bytes; DTLS
/// handshake flights are cut to that size too): the connection is closed.
pub const MAX_FRAME: usize = 4096;
/// A connection that sends nothing for this long is closed (ICE consent checks come every few
/// seconds while a peer lives).
const IDLE: Duration = Duration::from_secs(30);
/// Packets queued for one connection before new ones are dropped.
const QUEUE: usize = 256;

/// One frame that arrived, and the connection it came from.
pub struct TcpFrame {
    pub source: SocketAddr,
    pub bytes: Vec<u8>,
}

/// The SFU's side: frames that arrived, and the queue to every open connection.
pub struct TcpSide {
    pub frames: Receiver<TcpFrame>,
    writers: Arc<Mutex<HashMap<SocketAddr, SyncSender<Vec<u8>>>>>,
}

impl TcpSide {
    /// Queues one packet for the connection from `to`; false when there is none (or it is
    /// full: the packet is dropped).
    pub fn send(&self, to: SocketAddr, packet: &[u8]) -> bool {
        let Ok(writers) = self.writers.lock() else {
            return false;
        };
        let Some(queue) = writers.get(&to) else {
            return false;
        };
        match queue.try_send(packet.to_vec()) {
            Ok(()) => true,
            Err(TrySendError::Full(_)) | Err(TrySendError::Disconnected(_)) => false,
        }
    }

    /// Closes the connection from `from` (the peer that owned it is gone, or it sent what no
    /// peer accepts).
    pub fn close(&self, from: SocketAddr) {
        if let Ok(mut writers) = self.writers.lock() {
            // Dropping the queue ends the writer thread, which shuts the socket down and so
            // ends the reader too.
            writers.remove(&from);
        }
    }
}

/// Starts accepting on `listener` (the voice port's TCP side); `open` counts the connections.
pub fn start(listener: TcpListener, open: Gauge) -> std::io::Result<TcpSide> {
    let (frames_tx, frames) = std::sync::mpsc::channel();
    let writers: Arc<Mutex<HashMap<SocketAddr, SyncSender<Vec<u8>>>>> = Arc::default();
    let accepted = writers.clone();
    std::thread::Builder::new()
        .name("voice-tcp".into())
        .spawn(move || accept(listener, frames_tx, accepted, open))?;
    Ok(TcpSide { frames, writers })
}

fn accept(
    listener: TcpListener,
    frames: Sender<TcpFrame>,
    writers: Arc<Mutex<HashMap<SocketAddr, SyncSender<Vec<u8>>>>>,
    open: Gauge,
) {
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let Ok(source) = stream.peer_addr() else {
            continue;
        };
        let (queue, outgoing) = std::sync::mpsc::sync_channel(QUEUE);
        {
            let Ok(mut open) = writers.lock() else { return };
            if open.len() >= MAX_CONNECTIONS {
                tracing::debug!(%source, "voice over TCP: too many connections");
                continue;
            }
            open.insert(source, queue);
        }
        let _ = stream.set_nodelay(true);
        let _ = stream.set_read_timeout(Some(IDLE));
        let (Ok(reading), Ok(writing)) = (stream.try_clone(), stream.try_clone()) else {
            forget(&writers, source);
            continue;
        };
        let frames = frames.clone();
        let readers = writers.clone();
        let open = open.clone();
        let started = std::thread::Builder::new()
            .name("voice-tcp-read".into())
            .spawn(move || {
                open.inc();
                read_frames(reading, source, &frames);
                forget(&readers, source);
                open.dec();
            })
            .and_then(|_| {
                std::thread::Builder::new()
                    .name("voice-tcp-write".into())
                    .spawn(move || write_frames(writing, outgoing))
            });
        if started.is_err() {
            forget(&writers, source);
        }
    }
}

fn forget(writers: &Mutex<HashMap<SocketAddr, SyncSender<Vec<u8>>>>, source: SocketAddr) {
    if let Ok(mut w) = writers.lock() {
        w.remove(&source);
    }
}

/// Reads length-framed packets until the connection ends, idles or breaks the framing.
fn read_frames(mut stream: TcpStream, source: SocketAddr, frames: &Sender<TcpFrame>) {
    let mut length = [0u8; 2];
    loop {
        if let Err(e) = stream.read_exact(&mut length) {
            if !matches!(e.kind(), ErrorKind::UnexpectedEof) {
                tracing::debug!(%source, error = %e, "voice over TCP closed");
            }
            break;
        }
        let n = u16::from_be_bytes(length) as usize;
        if n == 0 || n > MAX_FRAME {
            tracing::debug!(%source, n, "voice over TCP: not a voice frame, closed");
            break;
        }
        let mut bytes = vec![0u8; n];
        if stream.read_exact(&mut bytes).is_err() {
            break;
        }
        if frames.send(TcpFrame { source, bytes }).is_err() {
            break;
        }
    }
    let _ = stream.shutdown(std::net::Shutdown::Both);
}

/// Writes each queued packet with its length in front until the queue is dropped.
fn write_frames(mut stream: TcpStream, outgoing: Receiver<Vec<u8>>) {
    while let Ok(packet) = outgoing.recv() {
        let Ok(n) = u16::try_from(packet.len()) else {
            continue;
        };
        let mut framed = Vec::with_capacity(packet.len() + 2);
        framed.extend_from_slice(&n.to_be_bytes());
        framed.extend_from_slice(&packet);
        if stream.write_all(&framed).is_err() {
            break;
        }
    }
    let _ = stream.shutdown(std::net::Shutdown::Both);
}
