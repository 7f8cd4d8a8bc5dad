//! The HTTP side: REST API, operations endpoints, and the web client's files.

pub mod auth;
pub mod error;
pub mod exhibits;
mod extract;
pub mod impact;
pub mod invites;
pub mod join;
pub mod limits;
pub mod moderation;
pub mod openapi;
pub mod ops;
pub mod printables;
pub mod programme;
pub mod rooms;
pub mod serve;
pub mod slides;
pub mod uploads;
pub mod visits;

pub use error::ApiError;
pub use limits::{AddressLimiter, RateLimiter};

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::extract::connect_info::Connected;
use axum::handler::Handler;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::serve::IncomingStream;
use tokio::net::TcpListener;
use tower::Layer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::admission::Admission;
use crate::game::commands::CommandSender;
use crate::game::transport::TokenIssuer;
use crate::metrics::Metrics;
use crate::storage::Storage;

/// Both ends of a client's HTTP connection: who asked, and at which of our addresses.
#[derive(Clone, Copy, Debug)]
pub struct ClientAddrs {
    pub remote: SocketAddr,
    pub local: Option<SocketAddr>,
}

impl Connected<IncomingStream<'_, TcpListener>> for ClientAddrs {
    fn connect_info(stream: IncomingStream<'_, TcpListener>) -> Self {
        Self {
            remote: *stream.remote_addr(),
            local: stream.io().local_addr().ok(),
        }
    }
}

/// Everything a handler may need.
#[derive(Clone)]
pub struct AppState {
    pub storage: Storage,
    pub admission: Arc<Admission>,
    /// Commands for the game loop (open a class visit's room).
    pub commands: CommandSender,
    /// Wrong class-visit codes per address (code guessing is slow).
    pub code_limiter: Arc<AddressLimiter>,
    pub issuer: Arc<TokenIssuer>,
    pub metrics: Arc<Metrics>,
    pub join_limiter: Arc<AddressLimiter>,
    /// Sign-in attempts per address (password guessing gets a 429, not unlimited tries).
    pub login_limiter: Arc<AddressLimiter>,
    /// Sign-in attempts per account name (guessing from many addresses at once).
    pub account_limiter: Arc<RateLimiter<String>>,
    /// Password checks running at once (argon2 costs ~19 MB and tens of ms each).
    pub password_checks: Arc<tokio::sync::Semaphore>,
    /// Uploads per invite (a loop of refused uploads).
    pub upload_limiter: Arc<RateLimiter<String>>,
    pub trust_forwarded_for: bool,
    pub tick_hz: u32,
    pub exhibition: Arc<crate::exhibits::catalog::Exhibition>,
    /// Mark staff cookies `Secure` (the server is behind HTTPS).
    pub secure_cookies: bool,
    /// Lets operations tools reset statistics without a staff session.
    pub ops_token: Option<String>,
    /// Impact counts in memory (joins, downloads), and the exports' minimum count.
    pub impact: Arc<crate::impact::Impact>,
    pub impact_min_count: i64,
}

/// Longest time one request may take (file downloads of the client bundle included).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// An upload may take this long (the body arrives slowly on a poor connection).
const UPLOAD_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// JSON API bodies are small; uploads get their own limit on their route.
const API_BODY_LIMIT: usize = 16 * 1024;

pub fn router(state: AppState, web_dir: PathBuf) -> Router {
    let index = web_dir.join("index.html");
    let upload_page = web_dir.join("upload.html");
    let staff_page = web_dir.join("staff.html");
    let teacher_page = web_dir.join("teach.html");
    let programme_page = web_dir.join("programme.html");
    let console_page = web_dir.join("console.html");
    let impact_page = web_dir.join("impact.html");
    // A stuck or deliberately slow request must not hold a worker forever.
    let timeout = |limit| TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, limit);
    Router::new()
        .route("/api/rooms", get(rooms::list))
        .route("/api/rooms/{room}", get(rooms::get_one))
        .route("/api/rooms/{room}/join", post(join::join))
        .route("/api/visits", get(visits::list).post(visits::create))
        .route("/api/visits/join", post(join::join_visit))
        .route("/api/visits/invite", get(visits::my_invite))
        .route("/api/moderation/bans", get(moderation::bans))
        .route("/api/moderation/bans/{id}/lift", post(moderation::lift))
        .route("/api/moderation/audit", get(moderation::audit))
        .route("/api/moderation/reports", get(moderation::reports))
        .route("/api/stats", get(ops::stats))
        .route("/api/impact/dictionary.csv", get(impact::dictionary))
        .route("/api/impact/comments", get(impact::comments))
        .route("/api/impact/answers", get(impact::answers))
        .route("/api/impact/{export}", get(impact::export))
        .route("/datenschutz", get(impact::privacy))
        .route("/healthz", get(ops::healthz))
        .route("/metrics", get(ops::metrics))
        .route("/api/openapi.json", get(openapi::document))
        .route(
            "/api/session",
            get(auth::current).post(auth::login).delete(auth::logout),
        )
        .route("/api/exhibits", get(exhibits::list))
        .route("/api/exhibits/queue", get(uploads::queue))
        .route("/api/exhibits/{id}", get(exhibits::get_one))
        .route("/api/exhibits/{id}/model", get(exhibits::model))
        .route("/api/exhibits/{id}/thumbnail", get(exhibits::thumbnail))
        .route("/api/exhibits/{id}/images/{n}", get(exhibits::image))
        .route("/api/exhibits/{id}/print", get(printables::info))
        .route("/api/exhibits/{id}/print/file", get(printables::file))
        .route(
            "/api/exhibits/{id}/print/repaired",
            get(printables::repaired),
        )
        .route("/api/exhibits/{id}/approve", post(exhibits::approve))
        .route("/api/exhibits/{id}/reject", post(exhibits::reject))
        .route("/api/exhibits/{id}/hide", post(exhibits::hide))
        .route("/api/talks", get(programme::list).post(programme::create))
        .route("/api/talks/{id}", axum::routing::delete(programme::delete))
        .route("/programme.ics", get(programme::ics))
        .route("/programme.json", get(programme::json))
        .route("/api/slides", get(slides::list))
        .route("/api/slides/{id}/pages/{n}", get(slides::page))
        .route("/api/rooms/{room}/stage", post(slides::stage))
        .route("/api/invites", get(invites::list).post(invites::create))
        .route("/api/invites/{id}/revoke", post(invites::revoke))
        .route("/api/invite", get(invites::mine))
        // Missing files are 404s (the loader must see that a client bundle is absent); only
        // the room links lead to the landing page.
        .route_service("/r/{room}", ServeFile::new(index))
        .route_service("/upload", ServeFile::new(upload_page))
        .route_service("/staff", ServeFile::new(staff_page))
        .route_service("/teach", ServeFile::new(teacher_page))
        .route_service("/programme", ServeFile::new(programme_page))
        .route_service("/console", ServeFile::new(console_page))
        .route_service("/staff/impact", ServeFile::new(impact_page))
        .route_layer(timeout(REQUEST_TIMEOUT))
        // Uploads: a larger body (the innermost limit wins; the model rules are checked after
        // reading) and more time (64 MB over a school's slow uplink).
        .route(
            "/api/exhibits",
            post(
                uploads::upload
                    .layer(DefaultBodyLimit::max(uploads::UPLOAD_BODY_LIMIT))
                    .layer(timeout(UPLOAD_TIMEOUT)),
            ),
        )
        .route(
            "/api/slides",
            post(
                slides::upload
                    .layer(DefaultBodyLimit::max(slides::SLIDES_BODY_LIMIT))
                    .layer(timeout(UPLOAD_TIMEOUT)),
            ),
        )
        // The client bundle ships pre-compressed (`.br`, `.gz` beside each file, made by
        // scripts/build-web.sh): served with `Content-Encoding` to browsers that accept it.
        .fallback_service(
            timeout(REQUEST_TIMEOUT).layer(
                ServeDir::new(web_dir)
                    .precompressed_br()
                    .precompressed_gzip(),
            ),
        )
        .layer(DefaultBodyLimit::max(API_BODY_LIMIT))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
