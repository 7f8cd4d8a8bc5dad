//! Voice over TCP (ICE-TCP, RFC 6544) for visitors whose network blocks UDP: a TCP-only peer
//! hears and is heard through the same SFU as the UDP peers beside it; a server that offers
//! only TCP carries voices that try both, and where UDP gets through they open no TCP
//! connection; what is not voice on the TCP port (broken framing, junk, a flood of
//! connections) is closed while the others keep talking.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use common::TestServer;
use common::voicer::{Voicer, pump, pump_until};
use stadtlab_bots::voice::Transports;

fn voicer(server: &TestServer, name: &str, transports: Transports) -> Voicer {
    Voicer::join_by(server.bot("forum", name), transports)
}

fn voice_addr(server: &TestServer) -> SocketAddr {
    server.server.as_ref().unwrap().voice.as_ref().unwrap().addr
}

#[test]
fn a_visitor_whose_network_blocks_udp_talks_over_tcp() {
    let server = TestServer::start();
    let mut ada = Voicer::join(server.bot("forum", "Ada"));
    let mut ben = voicer(&server, "Ben", Transports::Tcp);
    let all = &mut [&mut ada, &mut ben];
    pump_until(all, "both voices connected", |v| {
        v.iter().all(|v| v.peer.connected)
    });
    assert!(
        all[1].peer.over_tcp(),
        "Ben has no UDP: his voice is on TCP"
    );
    assert!(!all[0].peer.over_tcp(), "Ada's stays on UDP");
    all[0].talking = true;
    pump_until(all, "Ben hears Ada over TCP", |v| {
        v[1].peer.total_received() > 50
    });
    all[0].talking = false;
    all[1].talking = true;
    pump_until(all, "Ada hears Ben, who speaks over TCP", |v| {
        v[0].peer.total_received() > 50
    });
    // Forwarded promptly: the TCP path adds at most the SFU's socket wait.
    let mut delays = all[0].peer.delays.clone();
    delays.sort();
    let p95 = delays[delays.len() * 95 / 100];
    assert!(p95 < Duration::from_millis(200), "delay p95 {p95:?}");
}

#[test]
fn a_server_that_offers_only_tcp_carries_voices_that_try_both() {
    let server = TestServer::start_with(|c| c.game.voice_udp = false);
    let mut ada = voicer(&server, "Ada", Transports::Both);
    let mut ben = voicer(&server, "Ben", Transports::Both);
    let all = &mut [&mut ada, &mut ben];
    all[0].talking = true;
    pump_until(all, "Ben hears Ada", |v| v[1].peer.total_received() > 50);
    assert!(all.iter().all(|v| v.peer.over_tcp()));
}

#[test]
fn a_peer_that_tries_both_stays_on_udp_where_it_gets_through_and_opens_no_tcp_connection() {
    let server = TestServer::start();
    let mut ada = voicer(&server, "Ada", Transports::Both);
    let mut ben = Voicer::join(server.bot("forum", "Ben"));
    let all = &mut [&mut ada, &mut ben];
    all[1].talking = true;
    pump_until(all, "Ada hears Ben", |v| v[0].peer.total_received() > 25);
    // Past the time a peer waits for UDP before it tries TCP.
    pump(
        all,
        stadtlab_shared::voice_peer::UDP_GRACE + Duration::from_secs(1),
    );
    assert!(!all[0].peer.over_tcp());
    let (status, metrics) = server.get("/metrics");
    assert_eq!(status, 200);
    assert!(
        metrics
            .lines()
            .any(|l| l == "stadtlab_voice_tcp_connections 0"),
        "{}",
        metrics
            .lines()
            .filter(|l| l.contains("voice"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Reads until the server closes the connection; false if it is still open after 5 s.
fn closed_by_server(stream: &mut TcpStream, all: &mut [&mut Voicer]) -> bool {
    stream.set_nonblocking(true).unwrap();
    let end = Instant::now() + Duration::from_secs(5);
    let mut buf = [0u8; 256];
    while Instant::now() < end {
        match stream.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(_) => return true,
        }
        pump(all, Duration::from_millis(20));
    }
    false
}

#[test]
fn what_is_not_voice_on_the_tcp_port_is_closed_and_voices_keep_flowing() {
    let server = TestServer::start();
    let addr = voice_addr(&server);
    let mut ada = Voicer::join(server.bot("forum", "Ada"));
    let mut ben = voicer(&server, "Ben", Transports::Tcp);
    let all = &mut [&mut ada, &mut ben];
    all[0].talking = true;
    pump_until(all, "Ben hears Ada", |v| v[1].peer.total_received() > 25);

    // A frame longer than any voice packet.
    let mut huge = TcpStream::connect(addr).unwrap();
    huge.write_all(&[0xff, 0xff]).unwrap();
    huge.write_all(&[0u8; 1000]).unwrap();
    assert!(
        closed_by_server(&mut huge, all),
        "an oversized frame closes"
    );

    // Well framed, but no peer's packet (not STUN, DTLS or RTP of anyone).
    let mut junk = TcpStream::connect(addr).unwrap();
    junk.write_all(&[0, 5, 1, 2, 3, 4, 5]).unwrap();
    assert!(
        closed_by_server(&mut junk, all),
        "a stranger's packet closes"
    );

    // A flood of silent connections: past the limit they are closed at once.
    let mut flood: Vec<TcpStream> = (0..300)
        .filter_map(|_| TcpStream::connect(addr).ok())
        .collect();
    let mut last = flood.pop().unwrap();
    assert!(closed_by_server(&mut last, all), "over the limit, closed");

    // Ben, on TCP himself, still hears Ada.
    let before = all[1].peer.total_received();
    pump(all, Duration::from_secs(1));
    let heard = all[1].peer.total_received() - before;
    assert!(
        heard >= 40,
        "Ben heard {heard} frames in a second (50 sent)"
    );
    drop(flood);
}
