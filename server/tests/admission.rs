//! Seats reserved and never used, from many addresses, cannot keep a real visitor out, and
//! the room page counts what the join endpoint decides by.

mod common;

use common::TestServer;
use common::web::request;
use stadtlab_shared::protocol::PROTOCOL_VERSION;

fn join(server: &TestServer, name: &str, from: &str) -> common::web::Reply {
    let body = serde_json::json!({"name": name, "protocol": PROTOCOL_VERSION});
    request(
        "POST",
        &format!("{}/api/rooms/stadtlabor/join", server.base),
        &[("x-forwarded-for", from)],
        Some(("application/json", body.to_string().into_bytes())),
    )
}

#[test]
fn squatting_from_several_addresses_leaves_seats_for_a_real_visitor() {
    let server = TestServer::start_with(|c| c.trust_forwarded_for = true);
    let mut held = 0;
    for a in 1..=6 {
        for i in 0..40 {
            // Addresses of one IPv6 /64 count as one network.
            let from = format!("2001:db8:{a}::{:x}", i + 1);
            if join(&server, &format!("Platz {a}-{i}"), &from).status == 200 {
                held += 1;
            }
        }
    }
    let room =
        serde_json::from_str::<serde_json::Value>(&server.get("/api/rooms/stadtlabor").1).unwrap();
    let capacity = room["capacity"].as_u64().unwrap();
    println!("squatters got {held} seats; room page: {room}");
    assert_eq!(room["occupancy"], 0);
    assert!(
        room["connecting"].as_u64().unwrap() <= capacity / 4,
        "{room}"
    );
    assert!(
        held as u64 <= 40 * 6,
        "each /64 holds at most 40 seats at a time"
    );
    let visitor = join(&server, "Anna", "198.51.100.7");
    assert_eq!(visitor.status, 200, "{}", visitor.body);
}
