//! Bans, the audit log of moderation, and visitors' reports.

use serde::Serialize;

use super::{Storage, StorageError, unix_now};

fn new_id() -> String {
    crate::http::auth::new_token()[..20].to_string()
}

/// A ban as the staff page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct BanRow {
    pub id: String,
    /// The name the person used when banned (not a key: names change).
    pub name: String,
    pub reason: String,
    pub banned_by: String,
    pub created_at: i64,
    pub lifted_by: Option<String>,
    pub lifted_at: Option<i64>,
    #[serde(skip)]
    pub device_hash: Option<String>,
    #[serde(skip)]
    pub network: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AuditRow {
    pub at: i64,
    pub room: String,
    pub actor: String,
    pub actor_role: String,
    pub action: String,
    pub target: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ReportRow {
    pub id: String,
    pub at: i64,
    pub room: String,
    pub reporter: String,
    pub target: String,
    pub reason: String,
    /// The room's last chat lines before the report: [name, text].
    pub chat: Vec<(String, String)>,
}

/// A new ban.
pub struct NewBan<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub device_hash: Option<&'a str>,
    pub network: Option<String>,
    pub reason: &'a str,
    pub banned_by: &'a str,
}

type BanTuple = (
    String,
    String,
    String,
    String,
    i64,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<String>,
);

impl Storage {
    pub async fn insert_ban(&self, ban: NewBan<'_>) -> Result<(), StorageError> {
        sqlx::query(
            "INSERT INTO bans (id, name, device_hash, network, reason, banned_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(ban.id)
        .bind(ban.name)
        .bind(ban.device_hash)
        .bind(ban.network)
        .bind(ban.reason)
        .bind(ban.banned_by)
        .bind(unix_now())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Every ban, newest first; `active` only those not lifted.
    pub async fn bans(&self, active: bool) -> Result<Vec<BanRow>, StorageError> {
        let filter = if active {
            "WHERE lifted_at IS NULL"
        } else {
            ""
        };
        let rows: Vec<BanTuple> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT id, name, reason, banned_by, created_at, lifted_by, lifted_at, device_hash, network \
             FROM bans {filter} ORDER BY created_at DESC, id"
        )))
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|t| BanRow {
                id: t.0,
                name: t.1,
                reason: t.2,
                banned_by: t.3,
                created_at: t.4,
                lifted_by: t.5,
                lifted_at: t.6,
                device_hash: t.7,
                network: t.8,
            })
            .collect())
    }

    /// Lifts a ban; false when there is no such active ban.
    pub async fn lift_ban(&self, id: &str, by: &str) -> Result<bool, StorageError> {
        let done = sqlx::query(
            "UPDATE bans SET lifted_by = $1, lifted_at = $2 WHERE id = $3 AND lifted_at IS NULL",
        )
        .bind(by)
        .bind(unix_now())
        .bind(id)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn insert_audit(&self, row: &AuditRow) -> Result<(), StorageError> {
        sqlx::query(
            "INSERT INTO audit_log (id, at, room, actor, actor_role, action, target, reason) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(new_id())
        .bind(row.at)
        .bind(&row.room)
        .bind(&row.actor)
        .bind(&row.actor_role)
        .bind(&row.action)
        .bind(&row.target)
        .bind(&row.reason)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The newest `limit` audit rows, newest first.
    pub async fn audit_log(&self, limit: i64) -> Result<Vec<AuditRow>, StorageError> {
        let rows: Vec<(i64, String, String, String, String, String, String)> = sqlx::query_as(
            "SELECT at, room, actor, actor_role, action, target, reason FROM audit_log \
             ORDER BY at DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|t| AuditRow {
                at: t.0,
                room: t.1,
                actor: t.2,
                actor_role: t.3,
                action: t.4,
                target: t.5,
                reason: t.6,
            })
            .collect())
    }

    pub async fn insert_report(&self, row: &ReportRow) -> Result<(), StorageError> {
        let chat = serde_json::to_string(&row.chat).unwrap_or_else(|_| "[]".into());
        sqlx::query(
            "INSERT INTO reports (id, at, room, reporter, target, reason, chat) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(new_id())
        .bind(row.at)
        .bind(&row.room)
        .bind(&row.reporter)
        .bind(&row.target)
        .bind(&row.reason)
        .bind(chat)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    pub async fn reports(&self, limit: i64) -> Result<Vec<ReportRow>, StorageError> {
        let rows: Vec<(String, i64, String, String, String, String, String)> = sqlx::query_as(
            "SELECT id, at, room, reporter, target, reason, chat FROM reports ORDER BY at DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|t| ReportRow {
                id: t.0,
                at: t.1,
                room: t.2,
                reporter: t.3,
                target: t.4,
                reason: t.5,
                chat: serde_json::from_str(&t.6).unwrap_or_default(),
            })
            .collect())
    }
}
