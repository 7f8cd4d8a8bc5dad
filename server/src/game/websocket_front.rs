//! The public WebSocket port. renet2's WebSocket server waits for a client's upgrade request
//! without a time limit, so connections that open and send nothing would stay forever. This
//! front accepts on the public port, gives each connection a few seconds to send its upgrade
//! request, and only then hands it, bytes and all, to renet2's server on a loopback port.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;

/// The longest upgrade request taken (browsers send well under 2 KB).
const MAX_REQUEST_BYTES: usize = 16 * 1024;
/// Connections still sending their request at once; more wait to be accepted.
const MAX_HANDSHAKING: usize = 256;

/// Serves `listener` (the public port) in front of renet2's server at `inner`.
pub fn spawn(
    listener: std::net::TcpListener,
    inner: SocketAddr,
    handshake_timeout: Duration,
    runtime: &tokio::runtime::Handle,
) -> anyhow::Result<()> {
    listener.set_nonblocking(true)?;
    let listener = {
        let _entered = runtime.enter();
        TcpListener::from_std(listener)?
    };
    let handshaking = Arc::new(Semaphore::new(MAX_HANDSHAKING));
    runtime.spawn(async move {
        loop {
            let Ok(permit) = handshaking.clone().acquire_owned().await else {
                return;
            };
            let stream = match listener.accept().await {
                Ok((stream, _)) => stream,
                Err(e) => {
                    tracing::debug!(error = %e, "accepting a WebSocket connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            };
            tokio::spawn(async move {
                let request = tokio::time::timeout(handshake_timeout, read_request(&stream)).await;
                drop(permit);
                // A request in time is relayed; too slow, too long or broken: closed unanswered.
                if let Ok(Ok(_)) = request
                    && let Err(e) = relay(stream, inner).await
                {
                    tracing::debug!(error = %e, "WebSocket relay ended");
                }
            });
        }
    });
    Ok(())
}

/// Waits for the HTTP upgrade request up to its blank line (peeking: the bytes stay in the
/// socket for renet2's server); returns its length.
async fn read_request(stream: &TcpStream) -> std::io::Result<usize> {
    let mut buf = vec![0u8; MAX_REQUEST_BYTES];
    loop {
        stream.readable().await?;
        let n = stream.peek(&mut buf).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        if let Some(end) = buf[..n].windows(4).position(|w| w == b"\r\n\r\n") {
            return Ok(end + 4);
        }
        if n == buf.len() {
            return Err(std::io::ErrorKind::InvalidData.into());
        }
        // Wait for more bytes before peeking again.
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// Splices the client to renet2's server; the peeked request is still unread, so it goes
/// first.
async fn relay(mut client: TcpStream, inner: SocketAddr) -> std::io::Result<()> {
    let mut server = TcpStream::connect(inner).await?;
    client.set_nodelay(true)?;
    server.set_nodelay(true)?;
    tokio::io::copy_bidirectional(&mut client, &mut server).await?;
    Ok(())
}
