//! Class visits for tests: planned by staff, entered by pupils with the code.

use stadtlab_bots::{Bot, BotOptions};

use super::TestServer;
use super::web::{StaffSession, request};

/// Plans a visit ending in `seconds` with room for `capacity`; the API's answer.
pub fn create_visit(
    server: &TestServer,
    staff: &StaffSession,
    seconds: i64,
    capacity: u32,
) -> serde_json::Value {
    let ends_at = stadtlab_server::storage::unix_now() + seconds;
    let body = serde_json::json!({"title": "Klasse 7b", "ends_at": ends_at, "capacity": capacity});
    let reply = request(
        "POST",
        &format!("{}/api/visits", server.base),
        &staff.headers(),
        Some(("application/json", body.to_string().into_bytes())),
    );
    assert_eq!(reply.status, 201, "{}", reply.body);
    reply.json()
}

/// A pupil entering the visit with `code`.
pub fn pupil(server: &TestServer, code: &str, name: &str) -> Bot {
    server.bot_with(
        "",
        name,
        BotOptions {
            code: Some(code.to_owned()),
            ..Default::default()
        },
    )
}
