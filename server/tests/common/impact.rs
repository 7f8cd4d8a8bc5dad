//! Reading the impact counts as staff: an export, and today's row of one.

use stadtlab_server::impact::day_of;
use stadtlab_server::storage::unix_now;

use super::TestServer;
use super::web::{self, request};

pub fn exported(server: &TestServer, staff: &web::StaffSession, name: &str) -> web::Reply {
    let reply = request(
        "GET",
        &format!("{}/api/impact/{name}", server.base),
        &staff.headers(),
        None,
    );
    assert_eq!(reply.status, 200, "{name}: {}", reply.body);
    reply
}

pub fn today_row<'a>(rows: &'a serde_json::Value, key: &str, value: &str) -> &'a serde_json::Value {
    let today = day_of(unix_now());
    rows.as_array()
        .unwrap()
        .iter()
        .find(|r| r["day"] == today.as_str() && r[key] == value)
        .unwrap_or_else(|| panic!("no row for {value} today in {rows}"))
}
