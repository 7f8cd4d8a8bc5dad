//! The WebSocket side of a [`PipeSocket`]: what renet2's server-side WebSocket socket expects
//! from browsers, every netcode packet one binary message.

use std::io::ErrorKind;
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::Ordering;
use std::time::Duration;

use tokio::sync::mpsc::error::TryRecvError;
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

use crate::pipe_socket::{Pipe, PipeSocket};

/// A renet2 client socket over WebSocket to `url` (`ws://host:port`).
pub fn socket(url: url::Url, server_addr: SocketAddr) -> PipeSocket {
    PipeSocket::new(url, server_addr, false, true, |pipe| {
        let _ = run(pipe);
    })
}

fn run(mut pipe: Pipe) -> Result<(), Box<tungstenite::Error>> {
    let (mut ws, _) = tungstenite::connect(pipe.url.as_str())?;
    set_timeout(&mut ws);
    loop {
        loop {
            match pipe.outgoing.try_recv() {
                Ok(packet) => ws.send(Message::Binary(packet.into()))?,
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => return Ok(()),
            }
        }
        match ws.read() {
            Ok(Message::Binary(data)) => {
                pipe.received
                    .fetch_add(data.len() as u64, Ordering::Relaxed);
                if pipe.incoming.send(data.to_vec()).is_err() {
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

/// A short read timeout lets one thread both read and write the blocking socket.
fn set_timeout(ws: &mut WebSocket<MaybeTlsStream<TcpStream>>) {
    if let MaybeTlsStream::Plain(s) = ws.get_mut() {
        let _ = s.set_read_timeout(Some(Duration::from_millis(2)));
        let _ = s.set_nodelay(true);
    }
}
