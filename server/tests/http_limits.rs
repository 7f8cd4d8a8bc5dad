//! HTTP connections that hold the server without asking anything are closed: headers sent
//! slowly (slowloris), a connection that sends nothing, an idle keep-alive connection.
//! Also: statistics resets need staff, a new password signs old sessions out, and blobs
//! nobody refers to are swept only when they are old.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::TestServer;
use common::web::{self, request};

fn quick_limits() -> TestServer {
    TestServer::start_with(|c| {
        c.http_header_timeout_secs = 1;
        c.http_idle_timeout_secs = 2;
    })
}

/// Seconds until the server closes `stream` (reads until EOF or reset).
fn closed_after(mut stream: TcpStream) -> f64 {
    let t0 = Instant::now();
    stream
        .set_read_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return t0.elapsed().as_secs_f64(),
            Ok(_) => continue,
        }
    }
}

fn connect(server: &TestServer) -> TcpStream {
    TcpStream::connect(server.base.trim_start_matches("http://")).unwrap()
}

#[test]
fn slow_silent_and_idle_connections_are_closed() {
    let server = quick_limits();
    // Headers that never end.
    let mut slow = connect(&server);
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    let slow = std::thread::spawn(move || closed_after(slow));
    // Nothing at all.
    let silent = connect(&server);
    let silent = std::thread::spawn(move || closed_after(silent));
    // One request, then nothing: kept alive for the idle time, then closed.
    let mut idle = connect(&server);
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let idle = std::thread::spawn(move || closed_after(idle));
    let (slow, silent, idle) = (
        slow.join().unwrap(),
        silent.join().unwrap(),
        idle.join().unwrap(),
    );
    println!("closed after: slow headers {slow:.1} s, silent {silent:.1} s, idle {idle:.1} s");
    assert!(slow < 5.0, "slow headers held {slow} s");
    assert!(silent < 5.0, "a silent connection held {silent} s");
    assert!(idle < 8.0, "an idle connection held {idle} s");
    // The server itself is fine.
    assert_eq!(server.get("/healthz").0, 200);
}

#[test]
fn statistics_are_reset_only_by_staff() {
    let server = TestServer::start();
    server.add_staff();
    let url = format!("{}/api/stats?reset=true", server.base);
    let anyone = request("GET", &url, &[], None);
    assert_eq!(anyone.status, 403, "{}", anyone.body);
    assert_eq!(anyone.json()["error"], "staff_only");
    let staff = web::login(&server.base);
    assert_eq!(request("GET", &url, &staff.headers(), None).status, 200);
    // Reading without reset stays public; a malformed query gets the API's error shape.
    assert_eq!(server.get("/api/stats").0, 200);
    let bad = request(
        "GET",
        &format!("{}/api/stats?reset=maybe", server.base),
        &[],
        None,
    );
    assert_eq!(bad.status, 400, "{}", bad.body);
    assert_eq!(bad.json()["error"], "invalid_query");
}

#[test]
fn a_new_password_signs_the_old_sessions_out() {
    let server = TestServer::start();
    server.add_staff();
    let staff = web::login(&server.base);
    let session = format!("{}/api/session", server.base);
    assert_eq!(request("GET", &session, &staff.headers(), None).status, 200);
    // `stadtlab admin create-user` for an existing name sets a new password.
    server.add_staff();
    let after = request("GET", &session, &staff.headers(), None);
    assert_eq!(after.status, 401, "{}", after.body);
}

#[test]
fn password_guessing_for_one_account_from_many_addresses_is_limited() {
    let server = TestServer::start_with(|c| c.trust_forwarded_for = true);
    server.add_staff();
    let mut statuses = Vec::new();
    for i in 0..14 {
        let body =
            serde_json::json!({"username": web::STAFF_NAME, "password": format!("guess-{i}")});
        let forwarded = format!("198.51.100.{i}");
        statuses.push(
            request(
                "POST",
                &format!("{}/api/session", server.base),
                &[("x-forwarded-for", &forwarded)],
                Some(("application/json", body.to_string().into_bytes())),
            )
            .status,
        );
    }
    assert_eq!(statuses[..10], [401; 10], "{statuses:?}");
    assert!(statuses[10..].iter().all(|&s| s == 429), "{statuses:?}");
}

#[test]
fn the_blob_sweep_spares_young_orphans_and_removes_old_ones() {
    let mut server = TestServer::start();
    let blobs = server.data.path().join("blobs");
    let young = blobs.join(format!("{}.glb", "a".repeat(64)));
    let old = blobs.join(format!("{}.glb", "b".repeat(64)));
    let foreign = blobs.join("another-server-upload.tmp");
    for path in [&young, &old, &foreign] {
        std::fs::write(path, b"orphan").unwrap();
    }
    let two_hours_ago = std::time::SystemTime::now() - Duration::from_secs(7200);
    std::fs::File::options()
        .write(true)
        .open(&old)
        .unwrap()
        .set_modified(two_hours_ago)
        .unwrap();
    std::fs::File::options()
        .write(true)
        .open(&foreign)
        .unwrap()
        .set_modified(two_hours_ago)
        .unwrap();
    server.restart();
    assert!(
        young.exists(),
        "an orphan younger than an hour may be an upload on its way"
    );
    assert!(!old.exists(), "an old orphan is removed");
    assert!(foreign.exists(), "what is not ours is never touched");
}

#[test]
fn an_idle_websocket_handshake_on_the_game_port_is_closed() {
    let server = TestServer::start_with(|c| c.game.websocket_handshake_timeout_secs = 1);
    let body = serde_json::json!({
        "name": "Anna",
        "protocol": stadtlab_shared::protocol::PROTOCOL_VERSION,
        "transport": "websocket"
    });
    let join = request(
        "POST",
        &format!("{}/api/rooms/stadtlabor/join", server.base),
        &[],
        Some(("application/json", body.to_string().into_bytes())),
    );
    assert_eq!(join.status, 200, "{}", join.body);
    let address = join.json()["connect"]["address"]
        .as_str()
        .unwrap()
        .to_string();
    let addr = address.trim_start_matches("ws://").to_string();
    let silent = TcpStream::connect(&addr).unwrap();
    let mut half = TcpStream::connect(&addr).unwrap();
    half.write_all(b"GET /?x HTTP/1.1\r\nHost: x\r\n").unwrap();
    let (silent, half) = (closed_after(silent), closed_after(half));
    println!("game WebSocket port closed after: silent {silent:.1} s, half a request {half:.1} s");
    assert!(silent < 5.0 && half < 5.0, "{silent} {half}");
    // A real WebSocket visitor still gets in.
    let mut bot = server.bot_with(
        "stadtlabor",
        "Ben",
        stadtlab_bots::BotOptions {
            transport: stadtlab_bots::Transport::WebSocket,
            ..Default::default()
        },
    );
    assert!(bot.me.is_some());
    bot.pump();
}
