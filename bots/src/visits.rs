//! Class visits for the benchmark: a staff account, sign-in, and visits created through the
//! real HTTP API; the load then fills each with a guide (walking) and its class (following).

use std::path::Path;
use std::process::Command;

use anyhow::Context;

/// A class visit the load fills.
#[derive(Debug, Clone)]
pub struct VisitTicket {
    pub code: String,
    pub guide_key: String,
}

/// The staff account the benchmark signs in with.
pub const STAFF_NAME: &str = "bench";

/// Creates the staff account in `data_dir` with `password` (before the server starts).
pub fn create_staff(server_bin: &Path, data_dir: &Path, password: &str) -> anyhow::Result<()> {
    let status = Command::new(server_bin)
        .arg("--data-dir")
        .arg(data_dir)
        .args(["admin", "create-user", STAFF_NAME])
        .env("STADTLAB_ADMIN_PASSWORD", password)
        .env("STADTLAB_LOG", "warn")
        .status()
        .context("creating the benchmark's staff account")?;
    anyhow::ensure!(status.success(), "creating the staff account failed");
    Ok(())
}

/// Signs the benchmark's staff account in: the session cookie and its CSRF token.
pub fn sign_in(
    agent: &ureq::Agent,
    base: &str,
    password: &str,
) -> anyhow::Result<(String, String)> {
    let body = serde_json::json!({ "username": STAFF_NAME, "password": password });
    let mut resp = agent
        .post(&format!("{base}/api/session"))
        .send_json(&body)?;
    anyhow::ensure!(
        resp.status() == 200,
        "staff sign-in failed: {}",
        resp.status()
    );
    let cookie = resp
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .context("no session cookie")?
        .to_string();
    let session: serde_json::Value = serde_json::from_str(&resp.body_mut().read_to_string()?)?;
    let csrf = session["csrf_token"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    Ok((cookie, csrf))
}

/// Signs in and creates `count` visits of `class_size` pupils (plus the guide) for an hour.
pub fn create_visits(
    base: &str,
    password: &str,
    count: usize,
    class_size: usize,
) -> anyhow::Result<Vec<VisitTicket>> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let (cookie, csrf) = sign_in(&agent, base, password)?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs();
    let mut tickets = Vec::with_capacity(count);
    for i in 0..count {
        let body = serde_json::json!({
            "title": format!("Klasse {i}"),
            "ends_at": now + 3600,
            "capacity": class_size + 1,
        });
        let mut resp = agent
            .post(&format!("{base}/api/visits"))
            .header("cookie", &cookie)
            .header("x-csrf-token", &csrf)
            .send_json(&body)?;
        let text = resp.body_mut().read_to_string()?;
        anyhow::ensure!(resp.status() == 201, "creating a visit failed: {text}");
        let visit: serde_json::Value = serde_json::from_str(&text)?;
        let link = visit["guide_link"].as_str().unwrap_or_default();
        tickets.push(VisitTicket {
            code: visit["code"].as_str().unwrap_or_default().to_string(),
            guide_key: link.split("guide=").nth(1).unwrap_or_default().to_string(),
        });
    }
    Ok(tickets)
}
