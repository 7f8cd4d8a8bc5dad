//! Parallel requests against the real server: the rules hold however requests interleave.

mod common;

use common::TestServer;
use common::web::{self, StaffSession, request};

fn clone(staff: &StaffSession) -> StaffSession {
    StaffSession {
        cookie: staff.cookie.clone(),
        csrf: staff.csrf.clone(),
    }
}

#[test]
fn an_invite_for_one_upload_takes_one_of_eight_parallel_uploads() {
    let server = TestServer::start();
    server.add_staff();
    let staff = web::login(&server.base);
    let body = serde_json::json!({ "label": "Eine Schule", "max_uploads": 1 }).to_string();
    let reply = request(
        "POST",
        &format!("{}/api/invites", server.base),
        &staff.headers(),
        Some(("application/json", body.into_bytes())),
    );
    assert_eq!(reply.status, 201, "{}", reply.body);
    let token = reply.json()["token"].as_str().unwrap().to_string();
    let glb = std::sync::Arc::new(web::bench_glb());
    let uploads: Vec<_> = (0..8)
        .map(|_| {
            let (base, token, glb) = (server.base.clone(), token.clone(), glb.clone());
            std::thread::spawn(move || {
                web::upload(&base, &token, "bank.glb", "model/gltf-binary", &glb)
            })
        })
        .collect();
    let replies: Vec<_> = uploads.into_iter().map(|u| u.join().unwrap()).collect();
    let accepted = replies.iter().filter(|r| r.status == 201).count();
    assert_eq!(
        accepted,
        1,
        "{:?}",
        replies.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    for r in replies.iter().filter(|r| r.status != 201) {
        assert_eq!(r.status, 403, "{}", r.body);
        assert_eq!(r.json()["error"], "invite_used_up");
    }
    assert_eq!(web::my_invite(&server.base, &token)["uploads_left"], 0);
}

#[test]
fn parallel_approvals_never_put_two_exhibits_on_one_pedestal() {
    let server = TestServer::start();
    server.add_staff();
    let staff = web::login(&server.base);
    let token = {
        let body = serde_json::json!({ "label": "Viele", "max_uploads": 20 }).to_string();
        request(
            "POST",
            &format!("{}/api/invites", server.base),
            &staff.headers(),
            Some(("application/json", body.into_bytes())),
        )
        .json()["token"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let in_zone = |server: &TestServer, staff: &StaffSession| -> Vec<String> {
        request(
            "GET",
            &format!(
                "{}/api/exhibits?status=approved&room=stadtlabor",
                server.base
            ),
            &staff.headers(),
            None,
        )
        .json()
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["zone"] == web::FIELDS[0].1)
        .map(|e| e["slot"].as_str().unwrap().to_string())
        .collect()
    };
    // The zone already shows defaults on some pedestals; seven more want the rest.
    let before = in_zone(&server, &staff).len();
    let ids: Vec<String> = (0..7)
        .map(|_| web::upload_bench(&server.base, &token))
        .collect();
    let approvals: Vec<_> = ids
        .iter()
        .map(|id| {
            let (base, staff, id) = (server.base.clone(), clone(&staff), id.clone());
            std::thread::spawn(move || web::moderate(&base, &staff, &id, "approve"))
        })
        .collect();
    let statuses: Vec<u16> = approvals.into_iter().map(|a| a.join().unwrap()).collect();
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 409),
        "{statuses:?}"
    );
    let mut slots = in_zone(&server, &staff);
    assert_eq!(
        slots.len(),
        8,
        "the zone's eight pedestals are full, no more: {slots:?}"
    );
    slots.sort();
    slots.dedup();
    assert_eq!(slots.len(), 8, "one exhibit per pedestal");
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        8 - before,
        "{statuses:?}"
    );
}
