//! Under Agones the server reports Ready and health to the SDK sidecar. The sidecar here is a
//! stand-in HTTP server on loopback that records what it is told (Agones is not our code).

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::State;
use axum::routing::post;
use common::TestServer;

#[test]
fn reports_ready_then_health_to_the_agones_sidecar() {
    let calls: Arc<Mutex<Vec<&'static str>>> = Arc::default();
    let sidecar_rt = tokio::runtime::Runtime::new().unwrap();
    let record = |path: &'static str| {
        post(
            move |State(calls): State<Arc<Mutex<Vec<&'static str>>>>| async move {
                calls.lock().unwrap().push(path);
                "{}"
            },
        )
    };
    let app = Router::new()
        .route("/ready", record("ready"))
        .route("/health", record("health"))
        .with_state(calls.clone());
    let listener = sidecar_rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let sdk = listener.local_addr().unwrap();
    sidecar_rt.spawn(async move { axum::serve(listener, app).await.unwrap() });

    let server = TestServer::start_with(|c| c.agones_sdk = Some(sdk));
    let deadline = Instant::now() + Duration::from_secs(10);
    while calls
        .lock()
        .unwrap()
        .iter()
        .filter(|c| **c == "health")
        .count()
        < 2
        && Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(100));
    }
    let seen = calls.lock().unwrap().clone();
    assert_eq!(seen.first(), Some(&"ready"), "{seen:?}");
    assert!(
        seen.iter().filter(|c| **c == "health").count() >= 2,
        "{seen:?}"
    );
    // Ready comes only once the rooms accept visitors.
    let bot = server.bot("stadtlabor", "Anna");
    assert!(bot.me.is_some());
}
