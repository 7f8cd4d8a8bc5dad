//! Operations: health for load balancers and orchestrators, metrics for Prometheus, and
//! exact tick statistics for the benchmark.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use serde::{Deserialize, Serialize};

use super::AppState;

pub async fn healthz() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.encode(),
    )
}

#[derive(Deserialize)]
pub struct StatsQuery {
    /// Start a fresh measurement window after reading.
    #[serde(default)]
    reset: bool,
}

#[derive(Serialize)]
pub struct Stats {
    tick_hz: u32,
    tick_samples: usize,
    tick_p50_ms: f64,
    tick_p99_ms: f64,
    tick_max_ms: f64,
    /// Mean milliseconds per tick phase since the last reset.
    phase_mean_ms: std::collections::BTreeMap<&'static str, f64>,
}

pub async fn stats(State(state): State<AppState>, Query(q): Query<StatsQuery>) -> Json<Stats> {
    let (p50, p99, max, n) = state.metrics.tick_percentiles_ms();
    let phase_mean_ms = state.metrics.phase_means_ms().into_iter().collect();
    if q.reset {
        state.metrics.clear_recent_ticks();
    }
    Json(Stats {
        tick_hz: state.tick_hz,
        tick_samples: n,
        tick_p50_ms: p50,
        tick_p99_ms: p99,
        tick_max_ms: max,
        phase_mean_ms,
    })
}
