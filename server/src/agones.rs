//! Running as an Agones game server: tell the SDK sidecar when the rooms are ready and keep
//! sending health pings, through its HTTP gateway (`POST /ready`, `POST /health`). Agones
//! stops the process with SIGTERM, which the server already handles. Nothing here runs
//! without a sidecar address (see `Config::agones_sdk`).

use std::net::SocketAddr;
use std::time::Duration;

/// Agones marks a game server unhealthy after a few missed pings (default period 5 s).
const HEALTH_EVERY: Duration = Duration::from_secs(2);

fn post(sdk: SocketAddr, path: &str) -> Result<(), String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(3)))
        .build()
        .into();
    agent
        .post(&format!("http://{sdk}{path}"))
        .header("content-type", "application/json")
        .send("{}")
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Reports Ready, then health every [`HEALTH_EVERY`], until the task is aborted.
pub fn spawn_reporter(sdk: SocketAddr) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        match tokio::task::spawn_blocking(move || post(sdk, "/ready")).await {
            Ok(Ok(())) => tracing::info!(%sdk, "told Agones the game server is ready"),
            Ok(Err(e)) => tracing::warn!(%sdk, error = %e, "Agones SDK did not take Ready"),
            Err(_) => {}
        }
        let mut every = tokio::time::interval(HEALTH_EVERY);
        loop {
            every.tick().await;
            if let Ok(Err(e)) = tokio::task::spawn_blocking(move || post(sdk, "/health")).await {
                tracing::warn!(%sdk, error = %e, "Agones health ping failed");
            }
        }
    })
}
