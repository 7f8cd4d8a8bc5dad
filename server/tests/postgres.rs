//! The same server on PostgreSQL: migrations, identity, rooms, and a visitor walking.
//! Runs when STADTLAB_TEST_POSTGRES_URL points at a server where it may create databases
//! (`./scripts/test.sh` starts a throwaway one); otherwise it says so and does nothing.

mod common;

use std::time::Duration;

use common::TestServer;
use stadtlab_server::storage::Storage;

/// A fresh database on the test server, so parallel tests do not share migrations.
fn fresh_database() -> Option<String> {
    let Ok(base) = std::env::var("STADTLAB_TEST_POSTGRES_URL") else {
        eprintln!("skipped: set STADTLAB_TEST_POSTGRES_URL to test against PostgreSQL");
        return None;
    };
    let name = format!("stadtlab_test_{:016x}", rand::random::<u64>());
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        sqlx::any::install_default_drivers();
        let admin = sqlx::AnyPool::connect(&base)
            .await
            .expect("connect to the test PostgreSQL");
        // The name is ours (hex digits), not input: safe to splice in.
        let sql = sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"));
        sqlx::query(sql).execute(&admin).await.unwrap();
    });
    let (prefix, _) = base.rsplit_once('/').expect("URL with a database name");
    Some(format!("{prefix}/{name}"))
}

#[test]
fn storage_works_on_postgres() {
    let Some(url) = fresh_database() else { return };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let storage = Storage::open(&url).await.unwrap();
        let key = storage.netcode_key().await.unwrap().0;
        // Opening again runs no migration twice and keeps the identity.
        let again = Storage::open(&url).await.unwrap();
        assert_eq!(again.netcode_key().await.unwrap().0, key);
        let scenes =
            stadtlab_server::app::load_scenes(std::path::Path::new("/nonexistent"), None).unwrap();
        for scene in &scenes {
            again.upsert_room_for_scene(scene).await.unwrap();
            again.upsert_room_for_scene(scene).await.unwrap();
        }
        let rooms = again.rooms().await.unwrap();
        assert_eq!(rooms.len(), 2);
        assert_eq!(rooms[1].name, "stadtlabor");
        assert_eq!(rooms[1].capacity, 200);
    });
}

#[test]
fn visitors_walk_on_a_postgres_backed_server() {
    let Some(url) = fresh_database() else { return };
    let server = TestServer::start_with(|c| c.database_url = Some(url));
    let mut anna = server.bot("stadtlabor", "Anna");
    common::walk(&mut [&mut anna], &mut [], 10, false);
    anna.pump_until(Duration::from_secs(3), "moves confirmed", |b| {
        b.last_ack_input >= 10
    })
    .unwrap();
    let (_, rooms) = server.get("/api/rooms");
    assert!(rooms.contains("\"occupancy\":1"), "{rooms}");
}

#[test]
fn the_exhibition_works_on_postgres() {
    use common::web;
    let Some(url) = fresh_database() else { return };
    let server = TestServer::start_with(|c| c.database_url = Some(url));
    server.add_staff();
    let mut visitor = server.bot("stadtlabor", "Berta");
    visitor
        .pump_until(Duration::from_secs(10), "defaults", |b| {
            b.exhibits.by_id.len() >= 12
        })
        .unwrap();
    let staff = web::login(&server.base);
    let token = web::invite(&server.base, &staff);
    let id = web::upload_bench(&server.base, &token);
    let pending = web::request(
        "GET",
        &format!("{}/api/exhibits?status=pending", server.base),
        &staff.headers(),
        None,
    );
    assert!(pending.body.contains(&id));
    assert_eq!(web::moderate(&server.base, &staff, &id, "approve"), 200);
    visitor
        .pump_until(Duration::from_secs(10), "the approved exhibit", |b| {
            b.exhibits.by_id.contains_key(&id)
        })
        .unwrap();
}
