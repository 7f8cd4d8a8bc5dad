//! The WebTransport side of a [`PipeSocket`]: what renet2's server-side WebTransport socket
//! expects from browsers: a session whose self-signed certificate is accepted by its SHA-256
//! hash, every netcode packet one datagram.

use std::net::SocketAddr;
use std::sync::atomic::Ordering;

use wtransport::tls::Sha256Digest;
use wtransport::{ClientConfig, Endpoint};

use crate::pipe_socket::{Pipe, PipeSocket};

/// A renet2 client socket over WebTransport to `url` (`https://host:port`).
pub fn socket(url: url::Url, server_addr: SocketAddr, cert_hash: [u8; 32]) -> PipeSocket {
    // QUIC's TLS encrypts: netcode does not encrypt again, as with browsers.
    PipeSocket::new(url, server_addr, true, false, move |pipe| {
        if let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        {
            let _ = runtime.block_on(run(pipe, cert_hash));
        }
    })
}

async fn run(mut pipe: Pipe, cert_hash: [u8; 32]) -> anyhow::Result<()> {
    let config = ClientConfig::builder()
        .with_bind_default()
        .with_server_certificate_hashes([Sha256Digest::new(cert_hash)])
        .build();
    let connection = Endpoint::client(config)?.connect(pipe.url.as_str()).await?;
    loop {
        tokio::select! {
            packet = pipe.outgoing.recv() => match packet {
                Some(packet) => connection.send_datagram(packet)?,
                None => return Ok(()),
            },
            datagram = connection.receive_datagram() => {
                let payload = datagram?.payload();
                pipe.received.fetch_add(payload.len() as u64, Ordering::Relaxed);
                if pipe.incoming.send(payload.to_vec()).is_err() {
                    return Ok(());
                }
            }
        }
    }
}
