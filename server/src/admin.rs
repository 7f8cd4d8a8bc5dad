//! `stadtlab admin …`: what an operator does on the server's command line.

use anyhow::Context;

use crate::config::{AdminCommand, Config};
use crate::storage::Storage;

/// Login names: short, plain, unambiguous in logs.
pub fn is_valid_username(name: &str) -> bool {
    (2..=32).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
}

pub const MIN_PASSWORD_CHARS: usize = 10;

pub async fn run(config: &Config, command: AdminCommand) -> anyhow::Result<()> {
    match command {
        AdminCommand::CreateUser { username } => {
            anyhow::ensure!(
                is_valid_username(&username),
                "the login name must be 2-32 of a-z, 0-9, '.', '-', '_'"
            );
            let password = match std::env::var("STADTLAB_ADMIN_PASSWORD") {
                Ok(p) => p,
                Err(_) => {
                    eprintln!(
                        "password for {username} (one line, at least {MIN_PASSWORD_CHARS} characters):"
                    );
                    let mut line = String::new();
                    std::io::stdin()
                        .read_line(&mut line)
                        .context("reading the password")?;
                    line.trim_end_matches(['\n', '\r']).to_string()
                }
            };
            anyhow::ensure!(
                password.chars().count() >= MIN_PASSWORD_CHARS,
                "the password must have at least {MIN_PASSWORD_CHARS} characters"
            );
            std::fs::create_dir_all(&config.data_dir)?;
            let storage = Storage::open(&config.database_url()).await?;
            let hash =
                tokio::task::spawn_blocking(move || crate::http::auth::hash_password(&password))
                    .await??;
            storage.upsert_staff_user(&username, &hash).await?;
            println!("staff account `{username}` is ready: sign in at /staff");
            Ok(())
        }
    }
}
