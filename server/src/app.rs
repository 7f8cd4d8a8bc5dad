//! Starting and stopping a whole server: storage, scenes, game loop, HTTP.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use stadtlab_shared::scene::Scene;
use tokio::sync::oneshot;

use crate::admission::{Admission, RoomKind};
use crate::blobs::Blobs;
use crate::config::Config;
use crate::exhibits::catalog::Exhibition;
use crate::game::transport::TokenIssuer;
use crate::game::{self, GameHandle, GameParams};
use crate::http::{self, AppState};
use crate::metrics::Metrics;
use crate::storage::Storage;

/// A started server. Dropping it stops the game loop; call [`RunningServer::shutdown`] to
/// also close HTTP gracefully.
pub struct RunningServer {
    pub http_addr: SocketAddr,
    pub issuer: Arc<TokenIssuer>,
    pub storage: Storage,
    game: GameHandle,
    /// The voice SFU (none with `--no-voice`); its address for tests and the log.
    pub voice: Option<crate::voice::VoiceHandle>,
    agones: Option<tokio::task::JoinHandle<()>>,
    blob_sweep: tokio::task::JoinHandle<()>,
    /// Opens class visits' rooms when their window starts.
    scheduler: tokio::task::JoinHandle<()>,
    /// Starts and ends the programme's talks.
    programme: tokio::task::JoinHandle<()>,
    /// Writes what rooms report (audit log, bans, reports); ends with the game loop.
    recorder: tokio::task::JoinHandle<()>,
    /// Impact counts, and the task that writes them every minute.
    impact: Arc<crate::impact::Impact>,
    impact_writer: tokio::task::JoinHandle<()>,
    http_stop: Option<oneshot::Sender<()>>,
    http_task: tokio::task::JoinHandle<()>,
}

impl RunningServer {
    pub async fn shutdown(mut self) {
        if let Some(agones) = self.agones.take() {
            agones.abort();
        }
        self.blob_sweep.abort();
        self.scheduler.abort();
        self.programme.abort();
        if let Some(stop) = self.http_stop.take() {
            let _ = stop.send(());
        }
        let _ = (&mut self.http_task).await;
        let recorder = std::mem::replace(&mut self.recorder, tokio::spawn(async {}));
        let mut voice = self.voice.take();
        tokio::task::spawn_blocking(move || {
            self.game.stop();
            if let Some(v) = voice.as_mut() {
                v.stop();
            }
        })
        .await
        .ok();
        // The loop's end closed the events channel: the recorder writes what is left, then ends.
        let _ = tokio::time::timeout(Duration::from_secs(5), recorder).await;
        self.impact_writer.abort();
        if let Err(e) = self.impact.write(&self.storage).await {
            tracing::warn!(error = %e, "the last impact counts were not written");
        }
    }
}

/// Reads every `*.toml` in `dir` as (where it came from, text), sorted by file name; the
/// built-in scenes when there is no such folder.
fn scene_sources(dir: &Path) -> anyhow::Result<Vec<(String, String)>> {
    if !dir.is_dir() {
        tracing::info!(folder = %dir.display(), "no scenes folder: using the built-in scenes");
        return Ok(stadtlab_shared::scene::BUILT_IN
            .iter()
            .map(|(name, text)| (format!("built-in {name}"), text.to_string()))
            .collect());
    }
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("reading scenes folder {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            Ok((path.display().to_string(), text))
        })
        .collect()
}

/// Loads the scenes in `dir` (see [`scene_sources`]), keeping those in `only` if given.
pub fn load_scenes(dir: &Path, only: Option<&[String]>) -> anyhow::Result<Vec<Arc<Scene>>> {
    let mut scenes = Vec::new();
    for (origin, text) in scene_sources(dir)? {
        let scene = Scene::from_toml(&text).with_context(|| format!("loading {origin}"))?;
        if only.is_none_or(|o| o.contains(&scene.name)) {
            scenes.push(Arc::new(scene));
        }
    }
    if let Some(only) = only {
        for name in only {
            anyhow::ensure!(
                scenes.iter().any(|s| &s.name == name),
                "room `{name}` has no scene file in {}",
                dir.display()
            );
        }
    }
    anyhow::ensure!(!scenes.is_empty(), "no scenes found in {}", dir.display());
    Ok(scenes)
}

pub async fn start(config: Config) -> anyhow::Result<RunningServer> {
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("creating data folder {}", config.data_dir.display()))?;
    let storage = Storage::open(&config.database_url())
        .await
        .context("opening the database")?;
    let key = storage.netcode_key().await?;
    let scenes = load_scenes(&config.scenes_dir, config.rooms.as_deref())?;
    for scene in &scenes {
        storage.upsert_room_for_scene(scene).await?;
    }
    let blobs = Blobs::open(config.blob_url.as_deref(), &config.data_dir)
        .context("opening the blob store")?;
    let (commands, command_rx) = game::commands::channel();
    let exhibition = Arc::new(
        Exhibition::new(
            storage.clone(),
            blobs.clone(),
            scenes.clone(),
            commands.clone(),
        )
        .with_printers(config.printers.clone()),
    );
    exhibition
        .seed_defaults()
        .await
        .context("seeding the default exhibition")?;
    // Blobs of uploads that crashed before their row was written.
    sweep_blobs(
        &blobs,
        &storage,
        &exhibition,
        Duration::from_secs(config.blob_sweep_grace_secs),
    )
    .await
    .context("cleaning the blob store")?;
    let exhibition_for_sweep = exhibition.clone();
    let exhibits = exhibition.on_show().await?;
    let metrics = Arc::new(Metrics::new());
    let admission = Arc::new(
        Admission::new(
            Duration::from_secs(config.game.token_expire_secs),
            game::max_people(),
        )
        .with_max_pending_per_origin(config.max_pending_per_address as usize),
    );
    // The shipped public rooms are instances created at start.
    let public_rooms = scenes
        .iter()
        .map(|s| {
            let id = admission.open_room(&s.name, &s.name, s.capacity as usize, RoomKind::Public);
            (id, s.name.clone())
        })
        .collect();
    let bans = crate::room_events::load_bans(&storage, &admission).await?;
    let (event_tx, event_rx) = tokio::sync::mpsc::unbounded_channel();
    let recorder = tokio::spawn(crate::room_events::record(storage.clone(), event_rx));
    let (voice, voice_link) = if config.game.voice {
        let (handle, link) = crate::voice::start(&config.game, metrics.voice.clone())?;
        (Some(handle), Some(link))
    } else {
        (None, None)
    };
    crate::impact::local_time::set_time_zone(&config.impact.time_zone)
        .map_err(anyhow::Error::msg)?;
    let impact = crate::impact::Impact::new(config.impact.counting);
    let params = GameParams {
        impact: impact.clone(),
        voice: voice_link,
        config: config.game.clone(),
        scenes: scenes.clone(),
        public_rooms,
        key,
        admission: admission.clone(),
        metrics: metrics.clone(),
        runtime: tokio::runtime::Handle::current(),
        exhibits,
        commands: command_rx,
        events: event_tx,
    };
    let game = tokio::task::spawn_blocking(move || game::spawn(params)).await??;
    let issuer = Arc::new(game.issuer.clone());

    let programme = tokio::spawn(crate::programme::clock::schedule(
        storage.clone(),
        admission.clone(),
        commands.clone(),
    ));
    let scheduler = tokio::spawn(crate::visits::schedule(
        storage.clone(),
        admission.clone(),
        commands.clone(),
    ));
    let state = AppState {
        storage: storage.clone(),
        admission,
        commands,
        code_limiter: Arc::new(http::AddressLimiter::new(10, 10)),
        issuer: issuer.clone(),
        metrics,
        join_limiter: Arc::new(http::AddressLimiter::new(
            config.join_burst,
            config.joins_per_minute,
        )),
        login_limiter: Arc::new(http::AddressLimiter::new(10, 10)),
        account_limiter: Arc::new(http::RateLimiter::new(10, 10)),
        password_checks: Arc::new(tokio::sync::Semaphore::new(2)),
        upload_limiter: Arc::new(http::RateLimiter::new(10, 10)),
        trust_forwarded_for: config.trust_forwarded_for,
        tick_hz: config.game.tick_hz,
        exhibition,
        secure_cookies: config.behind_tls,
        ops_token: config.ops_token.clone(),
        impact: impact.clone(),
        impact_min_count: config.impact.min_count.max(1),
    };
    let impact_writer = tokio::spawn(crate::impact::write_every(
        impact.clone(),
        storage.clone(),
        Duration::from_secs(config.impact.write_secs.max(1)),
        config.impact.keep_comments_days,
    ));
    let app = http::router(state, config.web_dir.clone());
    let listener = tokio::net::TcpListener::bind(config.http)
        .await
        .with_context(|| format!("binding HTTP {}", config.http))?;
    let http_addr = listener.local_addr()?;
    let (http_stop, stopped) = oneshot::channel::<()>();
    let limits = http::serve::ServeLimits {
        header_timeout: Duration::from_secs(config.http_header_timeout_secs),
        idle_timeout: Duration::from_secs(config.http_idle_timeout_secs),
        max_connections: config.http_max_connections,
    };
    let http_task = tokio::spawn(http::serve::serve(listener, app, limits, stopped));
    // Orphaned blobs are swept every hour, not only at start: a crash is not the only way
    // to leave one (an upload whose row failed), and a long-running server should not grow.
    let blob_sweep = tokio::spawn(sweep_blobs_hourly(
        blobs,
        storage.clone(),
        exhibition_for_sweep,
        Duration::from_secs(config.blob_sweep_grace_secs),
    ));
    tracing::info!(
        http = %http_addr,
        udp = %issuer.udp,
        webtransport = issuer.webtransport_target().port,
        websocket = %issuer.websocket,
        voice = ?voice.as_ref().map(|v| v.addr),
        rooms = ?scenes.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
        bans,
        "stadtlab is serving"
    );
    let agones = config.agones_sdk.map(crate::agones::spawn_reporter);
    Ok(RunningServer {
        http_addr,
        issuer,
        storage,
        game,
        voice,
        agones,
        blob_sweep,
        scheduler,
        programme,
        recorder,
        impact,
        impact_writer,
        http_stop: Some(http_stop),
        http_task,
    })
}

/// Deletes unreferenced blobs older than `grace` and older than the oldest ingest running.
async fn sweep_blobs(
    blobs: &Blobs,
    storage: &Storage,
    exhibition: &Exhibition,
    grace: Duration,
) -> anyhow::Result<()> {
    let mut cutoff = std::time::SystemTime::now() - grace;
    if let Some(oldest) = exhibition.queue.oldest_running() {
        cutoff = cutoff.min(oldest);
    }
    let orphans = blobs
        .remove_orphans(&storage.referenced_blobs().await?, cutoff)
        .await?;
    if orphans > 0 {
        tracing::info!(orphans, "removed blobs no exhibit refers to");
    }
    Ok(())
}

async fn sweep_blobs_hourly(
    blobs: Blobs,
    storage: Storage,
    exhibition: Arc<Exhibition>,
    grace: Duration,
) {
    loop {
        tokio::time::sleep(Duration::from_secs(3600)).await;
        if let Err(e) = sweep_blobs(&blobs, &storage, &exhibition, grace).await {
            tracing::warn!(error = %e, "cleaning the blob store failed");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_scenes_stand_in_for_a_missing_folder() {
        let scenes = load_scenes(Path::new("/nonexistent/scenes"), None).unwrap();
        let names: Vec<&str> = scenes.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["forum", "stadtlabor"]);
        let only = load_scenes(
            Path::new("/nonexistent/scenes"),
            Some(&["stadtlabor".to_string()]),
        )
        .unwrap();
        assert_eq!(only.len(), 1);
        assert!(
            load_scenes(
                Path::new("/nonexistent/scenes"),
                Some(&["nowhere".to_string()])
            )
            .is_err()
        );
    }
}
