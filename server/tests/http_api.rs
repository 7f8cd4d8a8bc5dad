//! The HTTP side against a real server: rooms, health, metrics, and every class of bad join.

mod common;

use common::TestServer;
use stadtlab_bots::join::{JoinRequest, join, post_raw};
use stadtlab_shared::protocol::PROTOCOL_VERSION;
use stadtlab_shared::protocol::join::Transport;

fn req(name: &str) -> JoinRequest {
    JoinRequest {
        name: name.into(),
        protocol: PROTOCOL_VERSION,
        ..Default::default()
    }
}

#[test]
fn rooms_health_and_metrics() {
    let server = TestServer::start();
    let (status, body) = server.get("/healthz");
    assert_eq!((status, body.contains("ok")), (200, true));
    let _anna = server.bot("stadtlabor", "Anna");
    let (status, body) = server.get("/api/rooms");
    assert_eq!(status, 200);
    let rooms: serde_json::Value = serde_json::from_str(&body).unwrap();
    let lab = rooms
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "stadtlabor")
        .unwrap();
    assert_eq!(lab["capacity"], 200);
    assert_eq!(lab["occupancy"], 1);
    assert_eq!(lab["title"]["de"], "stadtLABOR Soest");
    let (status, _) = server.get("/api/rooms/nowhere");
    assert_eq!(status, 404);
    let (status, metrics) = server.get("/metrics");
    assert_eq!(status, 200);
    assert!(
        metrics.contains("stadtlab_connected_clients{room=\"stadtlabor\"} 1"),
        "{metrics}"
    );
    assert!(metrics.contains("stadtlab_tick_duration_seconds_bucket"));
    assert!(metrics.contains("stadtlab_transport_received_bytes_total{transport=\"udp\"}"));
    // The landing page and room links are served.
    let (status, page) = server.get("/r/stadtlabor");
    assert_eq!(status, 200);
    assert!(page.to_lowercase().contains("<html") || page.to_lowercase().contains("<!doctype"));
}

#[test]
fn join_hands_out_tokens_for_each_transport() {
    let server = TestServer::start();
    let r = join(
        &server.base,
        "stadtlabor",
        &JoinRequest {
            transport: Transport::Webtransport,
            ..req("Emil")
        },
    )
    .unwrap();
    assert_eq!(r.connect.transport, Transport::Webtransport);
    assert!(r.connect.address.starts_with("https://127.0.0.1:"));
    assert!(r.connect.cert_hash.is_some());
    let fallback = r.fallback.expect("browsers get a WebSocket fallback");
    assert!(fallback.address.starts_with("ws://127.0.0.1:"));
    let r = join(&server.base, "stadtlabor", &req("Frieda")).unwrap();
    assert_eq!(r.connect.transport, Transport::Udp);
    assert_eq!(r.session.len(), 32);
    // The key never appears: only the encrypted token.
    assert!(!r.connect.token.is_empty());
}

#[test]
fn bad_join_requests_get_clear_errors() {
    let server = TestServer::start();
    let b = &server.base;
    let cases: Vec<(&str, &str, &[u8], u16, &str)> = vec![
        (
            "stadtlabor",
            "application/json",
            b"{not json",
            400,
            "malformed_json",
        ),
        (
            "stadtlabor",
            "text/plain",
            br#"{"name":"Anna","protocol":PV}"#,
            415,
            "expected_json",
        ),
        (
            "stadtlabor",
            "application/json",
            br#"{"protocol":PV}"#,
            422,
            "invalid_request",
        ),
        (
            "stadtlabor",
            "application/json",
            br#"{"name":"Anna","protocol":PV,"admin":true}"#,
            422,
            "invalid_request",
        ),
        (
            "stadtlabor",
            "application/json",
            br#"{"name":"Anna","protocol":"1"}"#,
            422,
            "invalid_request",
        ),
        (
            "stadtlabor",
            "application/json",
            br#"{"name":"Anna","protocol":PV,"transport":"carrier-pigeon"}"#,
            422,
            "invalid_request",
        ),
        (
            "stadtlabor",
            "application/json",
            br#"{"name":"Anna","protocol":999}"#,
            409,
            "protocol_mismatch",
        ),
        (
            "stadtlabor",
            "application/json",
            br#"{"name":"","protocol":PV}"#,
            400,
            "name_empty",
        ),
        (
            "stadtlabor",
            "application/json",
            br#"{"name":"A","protocol":PV}"#,
            400,
            "name_too_short",
        ),
        (
            "stadtlabor",
            "application/json",
            br#"{"name":"Anna Anna Anna Anna Anna Anna","protocol":PV}"#,
            400,
            "name_too_long",
        ),
        (
            "stadtlabor",
            "application/json",
            b"{\"name\":\"An\\u0000na\",\"protocol\":PV}",
            400,
            "name_control_characters",
        ),
        (
            "stadtlabor",
            "application/json",
            br#"{"name":"Moderator","protocol":PV}"#,
            400,
            "name_reserved",
        ),
        (
            "stadtlabor",
            "application/json",
            br#"{"name":"Hurensohn","protocol":PV}"#,
            400,
            "name_blocked",
        ),
        (
            "stadtlabor",
            "application/json",
            br#"{"name":"Anna","protocol":PV,"color":"blue"}"#,
            400,
            "invalid_color",
        ),
        (
            "stadtlabor",
            "application/json",
            br#"{"name":"Anna","protocol":PV,"session":"../../etc"}"#,
            400,
            "invalid_session",
        ),
        (
            "nowhere",
            "application/json",
            br#"{"name":"Anna","protocol":PV}"#,
            404,
            "unknown_room",
        ),
        (
            "NO%20SUCH",
            "application/json",
            br#"{"name":"Anna","protocol":PV}"#,
            404,
            "unknown_room",
        ),
    ];
    for (room, ctype, body, status, code) in cases {
        // `PV`: this build's protocol version (the cases are about other mistakes).
        let body = String::from_utf8_lossy(body).replace(
            "PV",
            &stadtlab_shared::protocol::PROTOCOL_VERSION.to_string(),
        );
        let (got, text) = post_raw(b, room, ctype, body.as_bytes()).unwrap();
        assert_eq!(got, status, "{room} {body}: {text}");
        let v: serde_json::Value =
            serde_json::from_str(&text).unwrap_or_else(|_| panic!("JSON error body: {text}"));
        assert_eq!(v["error"], code, "{text}");
        assert!(v["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    // Oversize body.
    let huge = format!(r#"{{"name":"{}","protocol":PV}}"#, "x".repeat(100_000));
    let (got, _) = post_raw(b, "stadtlabor", "application/json", huge.as_bytes()).unwrap();
    assert_eq!(got, 413);
    // And after all that, a good join still works.
    let _ok = server.bot("stadtlabor", "Anna");
}

#[test]
fn room_capacity_is_enforced_by_the_server() {
    let server = TestServer::start();
    let a = server.bot("kleinraum", "Anna");
    let _b = server.bot("kleinraum", "Ben");
    // A reserved seat counts too, before its holder connects.
    let _c = join(&server.base, "kleinraum", &req("Cem")).unwrap();
    let err = join(&server.base, "kleinraum", &req("Dora")).unwrap_err();
    assert_eq!((err.status, err.code.as_str()), (503, "room_full"));
    assert!(err.message.contains("full"));
    // Other rooms are not affected.
    let _e = server.bot("stadtlabor", "Emil");
    // Someone leaving frees a place once the grace period (2 s in tests) is over.
    drop(a);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(40);
    loop {
        match join(&server.base, "kleinraum", &req("Dora")) {
            Ok(_) => break,
            Err(e) if e.code == "room_full" && std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(200))
            }
            Err(e) => panic!("{e}"),
        }
    }
}

#[test]
fn join_floods_from_one_address_are_slowed_down() {
    let server = TestServer::start_with(|c| {
        c.join_burst = 5;
        c.joins_per_minute = 6;
    });
    for i in 0..5 {
        join(&server.base, "stadtlabor", &req(&format!("Gast {i}"))).unwrap();
    }
    let err = join(&server.base, "stadtlabor", &req("Gast 6")).unwrap_err();
    assert_eq!((err.status, err.code.as_str()), (429, "too_many_joins"));
    assert!(err.message.contains("wait"));
    let (_, metrics) = server.get("/metrics");
    assert!(
        metrics.contains("stadtlab_joins_total{reason=\"too_many_joins\"} 1"),
        "{metrics}"
    );
}

#[test]
fn reserved_but_unused_seats_per_address_are_capped() {
    let server = TestServer::start_with(|c| c.max_pending_per_address = 3);
    for i in 0..3 {
        join(&server.base, "stadtlabor", &req(&format!("Gast {i}"))).unwrap();
    }
    let err = join(&server.base, "stadtlabor", &req("Gast 4")).unwrap_err();
    assert_eq!((err.status, err.code.as_str()), (429, "too_many_pending"));
}

#[test]
fn the_client_bundle_is_served_precompressed_with_the_right_types() {
    let web = tempfile::tempdir().unwrap();
    let client = web.path().join("client");
    std::fs::create_dir(&client).unwrap();
    std::fs::write(client.join("c_bg.wasm"), b"\0asm raw").unwrap();
    std::fs::write(client.join("c_bg.wasm.br"), b"brotli bytes").unwrap();
    std::fs::write(client.join("c_bg.wasm.gz"), b"gzip bytes").unwrap();
    std::fs::write(client.join("c.js"), b"export default 1;").unwrap();
    let web_dir = web.path().to_path_buf();
    let server = TestServer::start_with(move |c| c.web_dir = web_dir);
    let get = |path: &str, accept: &str| {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let mut r = agent
            .get(format!("{}{path}", server.base))
            .header("accept-encoding", accept)
            .call()
            .unwrap();
        let header = |n: &str| {
            r.headers()
                .get(n)
                .map(|v| v.to_str().unwrap().to_owned())
                .unwrap_or_default()
        };
        let (ctype, enc) = (header("content-type"), header("content-encoding"));
        (
            r.status().as_u16(),
            ctype,
            enc,
            r.body_mut().read_to_vec().unwrap(),
        )
    };
    let (status, ctype, enc, body) = get("/client/c_bg.wasm", "br, gzip");
    assert_eq!(
        (status, ctype.as_str(), enc.as_str()),
        (200, "application/wasm", "br")
    );
    assert_eq!(body, b"brotli bytes");
    let (_, _, enc, body) = get("/client/c_bg.wasm", "gzip");
    assert_eq!(
        (enc.as_str(), body.as_slice()),
        ("gzip", b"gzip bytes".as_slice())
    );
    let (_, _, enc, body) = get("/client/c_bg.wasm", "identity");
    assert_eq!(
        (enc.as_str(), body.as_slice()),
        ("", b"\0asm raw".as_slice())
    );
    let (_, ctype, _, _) = get("/client/c.js", "identity");
    assert!(ctype.starts_with("text/javascript"), "{ctype}");
    assert_eq!(get("/client/missing.wasm", "br").0, 404);
}

/// The landing page keeps its own copy of the protocol number (it joins before any client
/// code loads): it must be the one `shared` speaks.
#[test]
fn the_landing_page_speaks_the_protocol_of_shared() {
    let page =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../web/landing.js")).unwrap();
    let line = page
        .lines()
        .find(|l| l.starts_with("const PROTOCOL = "))
        .expect("the landing page states its protocol number");
    let number: u16 = line["const PROTOCOL = ".len()..]
        .split(';')
        .next()
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert_eq!(number, PROTOCOL_VERSION);
}
