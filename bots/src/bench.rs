//! The room-server benchmark: start (or target) a server, load one room with walking bots,
//! and print the figures, ending with the one-line summary CI and the README quote.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context;

use crate::bot::Transport;
use crate::load::{Load, LoadConfig};

#[derive(Debug, Clone)]
pub struct BenchConfig {
    pub bots: usize,
    pub seconds: u64,
    pub room: String,
    pub transport: Transport,
    /// Target this server (`http://host:port`) instead of starting one.
    pub server: Option<String>,
    /// With `server`: its process id, for CPU and memory figures.
    pub server_pid: Option<u32>,
    pub server_bin: Option<PathBuf>,
    pub scenes_dir: Option<PathBuf>,
    /// Class visits at once (0: one public room); each a guide and `class_size` pupils.
    pub visits: usize,
    pub class_size: usize,
    /// Create the staff account even without visits (the talk benchmark's host).
    pub staff: bool,
    /// The started server counts impact figures (off: the cost of counting, side by side).
    pub counting: bool,
}

/// CPU seconds (user + system) and resident memory of a process, from /proc.
#[derive(Debug, Clone, Copy, Default)]
struct ProcSample {
    cpu_seconds: f64,
    rss_mb: f64,
    peak_rss_mb: f64,
}

fn clock_ticks_per_second() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}

fn sample(pid: u32, ticks: f64) -> Option<ProcSample> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may contain spaces) start after the last ')'.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kb = |key: &str| -> f64 {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.0)
    };
    Some(ProcSample {
        cpu_seconds: (utime + stime) / ticks,
        rss_mb: kb("VmRSS:") / 1024.0,
        peak_rss_mb: kb("VmHWM:") / 1024.0,
    })
}

pub struct SpawnedServer {
    child: Child,
    _data: tempfile::TempDir,
}

impl SpawnedServer {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

/// CPU seconds of one named thread of a process (`/proc/PID/task/*/comm`).
pub fn thread_cpu_seconds(pid: u32, name: &str) -> Option<f64> {
    let ticks = clock_ticks_per_second();
    for task in std::fs::read_dir(format!("/proc/{pid}/task"))
        .ok()?
        .flatten()
    {
        let comm = std::fs::read_to_string(task.path().join("comm")).unwrap_or_default();
        if comm.trim() != name {
            continue;
        }
        let stat = std::fs::read_to_string(task.path().join("stat")).ok()?;
        let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
        let utime: f64 = fields.get(11)?.parse().ok()?;
        let stime: f64 = fields.get(12)?.parse().ok()?;
        return Some((utime + stime) / ticks);
    }
    None
}

/// Resident memory of a process, MB (0 when it cannot be read).
pub fn rss_mb(pid: u32) -> f64 {
    sample(pid, clock_ticks_per_second()).map_or(0.0, |s| s.rss_mb)
}

impl Drop for SpawnedServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> anyhow::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn default_server_bin() -> anyhow::Result<PathBuf> {
    let exe = std::env::current_exe()?;
    let bin = exe.with_file_name("stadtlab");
    anyhow::ensure!(
        bin.exists(),
        "no server binary at {} (build it, or pass --server-bin / --server)",
        bin.display()
    );
    Ok(bin)
}

fn default_scenes_dir() -> PathBuf {
    let here = Path::new("scenes");
    if here.is_dir() {
        here.to_path_buf()
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenes")
    }
}

pub fn spawn_server(config: &BenchConfig) -> anyhow::Result<(SpawnedServer, String)> {
    let bin = match &config.server_bin {
        Some(b) => b.clone(),
        None => default_server_bin()?,
    };
    let data = tempfile::tempdir()?;
    if config.visits > 0 || config.staff {
        crate::visits::create_staff(&bin, data.path(), &staff_password())?;
    }
    let http_port = free_port()?;
    let scenes = config.scenes_dir.clone().unwrap_or_else(default_scenes_dir);
    let server_log = std::env::var("STADTLAB_BENCH_SERVER_LOG").ok();
    let child = Command::new(&bin)
        .arg("--data-dir")
        .arg(data.path())
        .arg("--http")
        .arg(format!("127.0.0.1:{http_port}"))
        .arg("--scenes-dir")
        .arg(&scenes)
        .args([
            "--rooms",
            &config.room,
            "--udp-port",
            "0",
            "--webtransport-port",
            "0",
            "--websocket-port",
            "0",
            "--voice-port",
            "0",
        ])
        // All bots come from one address: lift the per-address join limits for the load test.
        .args(["--join-burst", "100000", "--joins-per-minute", "100000"])
        .args(["--max-pending-per-address", "100000"])
        .args([
            "--impact-counting",
            if config.counting { "true" } else { "false" },
        ])
        .env("STADTLAB_OPS_TOKEN", ops_token())
        // The server's log stays quiet unless asked for (it would mix with the figures).
        .env("STADTLAB_LOG", server_log.as_deref().unwrap_or("warn"))
        .stdout(if server_log.is_some() {
            Stdio::inherit()
        } else {
            Stdio::null()
        })
        .spawn()
        .with_context(|| format!("starting {}", bin.display()))?;
    let base = format!("http://127.0.0.1:{http_port}");
    let server = SpawnedServer { child, _data: data };
    wait_healthy(&base, Duration::from_secs(30))?;
    Ok((server, base))
}

/// The benchmark's staff password (a server we start; visits are created through the API).
pub(crate) fn staff_password() -> String {
    static PASSWORD: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    PASSWORD
        .get_or_init(|| format!("bench-{:x}", rand::random::<u128>()))
        .clone()
}

/// The secret that lets the benchmark reset the server's statistics: the operator's
/// `STADTLAB_OPS_TOKEN` for a running server, one of our own for a server we start.
fn ops_token() -> String {
    static TOKEN: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TOKEN
        .get_or_init(|| {
            std::env::var("STADTLAB_OPS_TOKEN")
                .unwrap_or_else(|_| format!("bench-{:x}", rand::random::<u128>()))
        })
        .clone()
}

pub(crate) fn reset_stats(base: &str) -> anyhow::Result<()> {
    ureq::get(&format!("{base}/api/stats?reset=true"))
        .header("X-Ops-Token", ops_token())
        .call()?;
    Ok(())
}

pub(crate) fn get_json(url: &str) -> anyhow::Result<serde_json::Value> {
    let mut resp = ureq::get(url).call()?;
    Ok(serde_json::from_str(&resp.body_mut().read_to_string()?)?)
}

fn wait_healthy(base: &str, timeout: Duration) -> anyhow::Result<()> {
    let end = Instant::now() + timeout;
    while Instant::now() < end {
        if get_json(&format!("{base}/healthz")).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    anyhow::bail!("server at {base} did not become healthy within {timeout:?}")
}

pub fn run(config: BenchConfig) -> anyhow::Result<String> {
    let (spawned, base, pid) = match &config.server {
        Some(url) => (
            None,
            url.trim_end_matches('/').to_string(),
            config.server_pid,
        ),
        None => {
            let (server, base) = spawn_server(&config)?;
            let pid = server.child.id();
            (Some(server), base, Some(pid))
        }
    };
    let ticks = clock_ticks_per_second();
    let stats = get_json(&format!("{base}/api/stats"))?;
    let tick_hz = stats["tick_hz"].as_u64().unwrap_or(30) as u32;

    let visits = if config.visits > 0 {
        anyhow::ensure!(
            config.server.is_none(),
            "class visits need a server the benchmark starts (it creates the staff account)"
        );
        println!(
            "bench: {} class visits of {} pupils and a guide at {base} ({tick_hz} Hz)",
            config.visits, config.class_size
        );
        crate::visits::create_visits(&base, &staff_password(), config.visits, config.class_size)?
    } else {
        println!(
            "bench: {} bots into room `{}` at {base} ({tick_hz} Hz)",
            config.bots, config.room
        );
        Vec::new()
    };
    let mut load = Load::new(
        LoadConfig {
            base: base.clone(),
            room: config.room.clone(),
            bots: config.bots,
            transport: config.transport,
            join_per_second: 200,
            visits,
            class_size: config.class_size,
        },
        tick_hz,
    );
    load.ramp_up(Duration::from_secs(60));
    load.guides_lead();
    if !load.join_failures.is_empty() {
        println!(
            "bench: {} joins failed, first: {}",
            load.join_failures.len(),
            load.join_failures[0]
        );
    }
    // Settle, then measure a clean window.
    load.run(Duration::from_secs(3), |_| {});
    reset_stats(&base)?;
    let cpu0 = pid.and_then(|p| sample(p, ticks));
    let me0 = sample(std::process::id(), ticks);
    let t0 = Instant::now();
    let window = load.run(Duration::from_secs(config.seconds), |w| {
        println!(
            "  t={:>4.0}s connected={} snapshots/s={:.0} down_kbps_mean={:.1} confirm_p50_ms={:.1}",
            w.seconds, w.connected, w.snapshots_per_second, w.down_kbps_mean, w.confirm_p50_ms
        );
    });
    let wall = t0.elapsed().as_secs_f64();
    let cpu1 = pid.and_then(|p| sample(p, ticks));
    let me1 = sample(std::process::id(), ticks);
    let stats = get_json(&format!("{base}/api/stats"))?;
    println!(
        "bench: server tick phases (mean ms): {}",
        stats["phase_mean_ms"]
    );
    load.disconnect_all();
    drop(spawned);

    let (server_cpu, rss, peak) = match (cpu0, cpu1) {
        (Some(a), Some(b)) => (
            (b.cpu_seconds - a.cpu_seconds) / wall,
            b.rss_mb,
            b.peak_rss_mb,
        ),
        _ => (f64::NAN, f64::NAN, f64::NAN),
    };
    let bots_cpu = match (me0, me1) {
        (Some(a), Some(b)) => (b.cpu_seconds - a.cpu_seconds) / wall,
        _ => f64::NAN,
    };
    println!(
        "bench: connected={}/{} snapshots_per_s={:.0} confirm_p50_ms={:.1} confirm_p95_ms={:.1} (n={}) \
         server_peak_rss_mb={:.1} bots_cpu_cores={:.2} tick_max_ms={:.2} tick_samples={}",
        window.connected,
        config.bots,
        window.snapshots_per_second,
        window.confirm_p50_ms,
        window.confirm_p95_ms,
        window.confirm_samples,
        peak,
        bots_cpu,
        stats["tick_max_ms"].as_f64().unwrap_or(f64::NAN),
        stats["tick_samples"].as_u64().unwrap_or(0),
    );
    let line = format!(
        "bench: bots={} tick_p50_ms={:.2} tick_p99_ms={:.2} server_cpu_cores={:.2} down_kbps_mean={:.1} down_kbps_max={:.1} server_rss_mb={:.1} counting={}",
        window.connected,
        stats["tick_p50_ms"].as_f64().unwrap_or(f64::NAN),
        stats["tick_p99_ms"].as_f64().unwrap_or(f64::NAN),
        server_cpu,
        window.down_kbps_mean,
        window.down_kbps_max,
        rss,
        if config.counting { "on" } else { "off" },
    );
    println!("{line}");
    Ok(line)
}
