//! Teachers plan class visits with an invite link from the lab team, without a staff account:
//! the invite allows a number of visits in one room, shows the teacher only their own visits,
//! and opens nothing else (no uploads); an exhibitor's invite cannot plan visits.

mod common;

use common::TestServer;
use common::web::{StaffSession, invite, login, request, send_json, upload_bench};
use stadtlab_bots::BotOptions;
use stadtlab_shared::protocol::Role;

fn teacher_invite(server: &TestServer, staff: &StaffSession, visits: u32) -> serde_json::Value {
    let body = serde_json::json!({"label": "Frau Weber, Realschule", "kind": "teacher",
        "max_uploads": visits});
    let reply = send_json(
        "POST",
        &format!("{}/api/invites", server.base),
        &staff.headers(),
        &body,
    );
    assert_eq!(reply.status, 201, "{}", reply.body);
    reply.json()
}

fn with_bearer(
    server: &TestServer,
    method: &str,
    path: &str,
    token: &str,
    body: Option<serde_json::Value>,
) -> common::web::Reply {
    let auth = format!("Bearer {token}");
    let url = format!("{}{path}", server.base);
    let headers = [("authorization", auth.as_str())];
    match body {
        Some(body) => send_json(method, &url, &headers, &body),
        None => request(method, &url, &headers, None),
    }
}

fn visit_form(title: &str, capacity: u32) -> serde_json::Value {
    let ends_at = stadtlab_server::storage::unix_now() + 3600;
    serde_json::json!({"title": title, "ends_at": ends_at, "capacity": capacity})
}

#[test]
fn a_teacher_plans_visits_with_an_invite_and_leads_one() {
    let server = TestServer::start();
    server.add_staff();
    let staff = login(&server.base);
    let made = teacher_invite(&server, &staff, 2);
    let token = made["token"].as_str().unwrap().to_string();
    assert!(
        made["link"].as_str().unwrap().starts_with("/teach#invite="),
        "{made}"
    );
    let (status, page) = server.get("/teach");
    assert_eq!(status, 200);
    assert!(page.contains("teach.js"), "the teacher's page is served");

    let mine = with_bearer(&server, "GET", "/api/visits/invite", &token, None);
    assert_eq!(mine.status, 200, "{}", mine.body);
    assert_eq!(mine.json()["visits_left"], 2);

    // A form the server refuses uses up nothing; another room than the invite's is refused.
    let bad = with_bearer(
        &server,
        "POST",
        "/api/visits",
        &token,
        Some(visit_form("7b", 1)),
    );
    assert_eq!(bad.status, 422, "{}", bad.body);
    let mut elsewhere = visit_form("7b", 20);
    elsewhere["room"] = "forum".into();
    let bad = with_bearer(&server, "POST", "/api/visits", &token, Some(elsewhere));
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.body.contains("stadtlabor"), "{}", bad.body);

    let visit = with_bearer(
        &server,
        "POST",
        "/api/visits",
        &token,
        Some(visit_form("Klasse 7b", 20)),
    );
    assert_eq!(visit.status, 201, "{}", visit.body);
    let visit = visit.json();
    assert_eq!(visit["created_by"], "Frau Weber, Realschule (invite)");
    let code = visit["code"].as_str().unwrap().to_string();
    let guide_key = visit["guide_link"]
        .as_str()
        .unwrap()
        .split("guide=")
        .nth(1)
        .unwrap()
        .to_string();

    // Staff plan one too: the teacher sees only their own, staff see both.
    let body = visit_form("Seniorenbeirat", 12);
    let reply = send_json(
        "POST",
        &format!("{}/api/visits", server.base),
        &staff.headers(),
        &body,
    );
    assert_eq!(reply.status, 201, "{}", reply.body);
    let theirs = with_bearer(&server, "GET", "/api/visits", &token, None).json();
    let titles: Vec<&str> = theirs
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Klasse 7b"]);
    let all = request(
        "GET",
        &format!("{}/api/visits", server.base),
        &staff.headers(),
        None,
    )
    .json();
    assert_eq!(all.as_array().unwrap().len(), 2);

    // The teacher leads the visit with the guide link; a pupil comes in with the code.
    let guide = server.bot_with(
        "",
        "Frau Weber",
        BotOptions {
            code: Some(code.clone()),
            guide: Some(guide_key),
            ..Default::default()
        },
    );
    assert_eq!(guide.role, Role::Guide);
    let pupil = server.bot_with(
        "",
        "Ada",
        BotOptions {
            code: Some(code),
            ..Default::default()
        },
    );
    assert_eq!(pupil.role, Role::Visitor);

    // The second visit uses the invite up; a third is refused with a clear reason.
    let second = with_bearer(
        &server,
        "POST",
        "/api/visits",
        &token,
        Some(visit_form("8a", 20)),
    );
    assert_eq!(second.status, 201, "{}", second.body);
    let third = with_bearer(
        &server,
        "POST",
        "/api/visits",
        &token,
        Some(visit_form("9c", 20)),
    );
    assert_eq!(third.status, 403, "{}", third.body);
    assert!(third.body.contains("invite_used_up"), "{}", third.body);
    let mine = with_bearer(&server, "GET", "/api/visits/invite", &token, None).json();
    assert_eq!(mine["visits_left"], 0);
}

#[test]
fn invites_open_only_what_they_are_for() {
    let server = TestServer::start();
    server.add_staff();
    let staff = login(&server.base);
    let teacher = teacher_invite(&server, &staff, 3)["token"]
        .as_str()
        .unwrap()
        .to_string();
    let exhibitor = invite(&server.base, &staff);

    // A teacher's link uploads nothing and reads no exhibitor's page.
    let reply = common::web::upload(
        &server.base,
        &teacher,
        "bank.glb",
        "model/gltf-binary",
        &common::web::bench_glb(),
    );
    assert_eq!(reply.status, 403, "{}", reply.body);
    assert!(reply.body.contains("wrong_invite_kind"), "{}", reply.body);
    let reply = with_bearer(&server, "GET", "/api/invite", &teacher, None);
    assert_eq!(reply.status, 403, "{}", reply.body);

    // An exhibitor's link plans no visits (and still uploads).
    let reply = with_bearer(
        &server,
        "POST",
        "/api/visits",
        &exhibitor,
        Some(visit_form("7b", 20)),
    );
    assert_eq!(reply.status, 403, "{}", reply.body);
    assert!(reply.body.contains("wrong_invite_kind"), "{}", reply.body);
    let reply = with_bearer(&server, "GET", "/api/visits", &exhibitor, None);
    assert_eq!(reply.status, 403, "{}", reply.body);
    upload_bench(&server.base, &exhibitor);

    // Nobody, a made-up token, and a withdrawn teacher's link get clear refusals.
    let reply = request(
        "POST",
        &format!("{}/api/visits", server.base),
        &[],
        Some((
            "application/json",
            visit_form("7b", 20).to_string().into_bytes(),
        )),
    );
    assert_eq!(reply.status, 401, "{}", reply.body);
    assert!(reply.body.contains("no_planner"), "{}", reply.body);
    let reply = with_bearer(&server, "GET", "/api/visits", "made-up", None);
    assert_eq!(reply.status, 401, "{}", reply.body);
    let id = request(
        "GET",
        &format!("{}/api/invites", server.base),
        &staff.headers(),
        None,
    )
    .json()
    .as_array()
    .unwrap()
    .iter()
    .find(|i| i["kind"] == "teacher")
    .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let revoked = request(
        "POST",
        &format!("{}/api/invites/{id}/revoke", server.base),
        &staff.headers(),
        None,
    );
    assert_eq!(revoked.status, 204);
    let reply = with_bearer(
        &server,
        "POST",
        "/api/visits",
        &teacher,
        Some(visit_form("7b", 20)),
    );
    assert_eq!(reply.status, 403, "{}", reply.body);
    assert!(reply.body.contains("invite_expired"), "{}", reply.body);
}
