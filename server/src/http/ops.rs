//! Operations: health for load balancers and orchestrators, metrics for Prometheus, and
//! exact tick statistics for the benchmark.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use serde::{Deserialize, Serialize};

use super::auth::Caller;
use super::extract::ApiQuery;
use super::{ApiError, AppState};

/// For load balancers and orchestrators: 200 while the server runs.
#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses((status = 200, body = Object, description = "{\"status\": \"ok\"}")))]
pub async fn healthz() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

/// Prometheus text exposition (connections, tick durations, traffic, joins).
#[utoipa::path(get, path = "/metrics", tag = "operations",
    responses((status = 200, content_type = "text/plain", body = String)))]
pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.encode(),
    )
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct StatsQuery {
    /// Start a fresh measurement window after reading (staff, or the `X-Ops-Token`).
    #[serde(default)]
    reset: bool,
}

/// Tick timing of the last 30 s.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Stats {
    tick_hz: u32,
    tick_samples: usize,
    tick_p50_ms: f64,
    tick_p99_ms: f64,
    tick_max_ms: f64,
    /// Mean milliseconds per tick phase since the last reset.
    #[schema(value_type = std::collections::BTreeMap<String, f64>)]
    phase_mean_ms: std::collections::BTreeMap<&'static str, f64>,
}

/// The header an operator's tools send the configured `ops_token` in.
pub const OPS_TOKEN_HEADER: &str = "x-ops-token";

/// Exact tick statistics (for the benchmark and operators).
#[utoipa::path(get, path = "/api/stats", tag = "operations", params(StatsQuery),
    responses((status = 200, body = Stats),
              (status = 400, body = super::error::ErrorBody, description = "a malformed query"),
              (status = 403, body = super::error::ErrorBody, description = "reset without staff session or ops token")))]
pub async fn stats(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<StatsQuery>,
) -> Result<Json<Stats>, ApiError> {
    if q.reset {
        let by_token = match (&state.ops_token, headers.get(OPS_TOKEN_HEADER)) {
            (Some(token), Some(sent)) => {
                use sha2::Digest;
                // Compared as hashes: equal length, no early exit on the first wrong byte.
                sha2::Sha256::digest(token.as_bytes()) == sha2::Sha256::digest(sent.as_bytes())
            }
            _ => false,
        };
        if !by_token && !matches!(caller, Caller::Staff(_)) {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "staff_only",
                "resetting the statistics needs a staff session or the ops token",
            ));
        }
    }
    let (p50, p99, max, n) = state.metrics.tick_percentiles_ms();
    let phase_mean_ms = state.metrics.phase_means_ms().into_iter().collect();
    if q.reset {
        state.metrics.clear_recent_ticks();
    }
    Ok(Json(Stats {
        tick_hz: state.tick_hz,
        tick_samples: n,
        tick_p50_ms: p50,
        tick_p99_ms: p99,
        tick_max_ms: max,
        phase_mean_ms,
    }))
}
