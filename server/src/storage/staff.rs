//! Staff accounts, their sessions, and the invites they hand to exhibitors.
//! Tokens are stored as SHA-256 hashes only.

use super::{Storage, StorageError, unix_now};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    pub username: String,
    pub csrf: String,
    pub expires_at: i64,
}

/// Who an invite is for: an exhibitor uploads exhibits, a teacher plans class visits.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum InviteKind {
    #[default]
    Exhibitor,
    Teacher,
}

impl InviteKind {
    pub fn as_str(self) -> &'static str {
        match self {
            InviteKind::Exhibitor => "exhibitor",
            InviteKind::Teacher => "teacher",
        }
    }

    /// Unknown values (a newer server's kinds in an older one's database) allow nothing more
    /// than an exhibitor's invite.
    fn parse(s: &str) -> InviteKind {
        match s {
            "teacher" => InviteKind::Teacher,
            _ => InviteKind::Exhibitor,
        }
    }
}

/// An invite as stored and as the staff API lists it (the token itself is never stored).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct InviteRow {
    pub id: String,
    pub kind: InviteKind,
    pub label: String,
    pub room: String,
    pub created_by: String,
    pub expires_at: i64,
    /// Uploads (exhibitor) or class visits (teacher) it allows, and how many were used.
    pub max_uploads: i64,
    pub uploads: i64,
    /// Uploads the rules refused (they count against the invite's budget of attempts).
    pub failed_uploads: i64,
    pub revoked: bool,
    pub created_at: i64,
}

impl InviteRow {
    pub fn usable(&self, now: i64) -> bool {
        !self.revoked && now < self.expires_at && self.uploads < self.max_uploads
    }
}

type InviteTuple = (
    String,
    String,
    String,
    String,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    String,
);

fn invite(t: InviteTuple) -> InviteRow {
    InviteRow {
        id: t.0,
        kind: InviteKind::parse(&t.10),
        label: t.1,
        room: t.2,
        created_by: t.3,
        expires_at: t.4,
        max_uploads: t.5,
        uploads: t.6,
        revoked: t.7 != 0,
        created_at: t.8,
        failed_uploads: t.9,
    }
}

const INVITE_COLUMNS: &str = "id, label, room, created_by, expires_at, max_uploads, uploads, revoked, created_at, failed_uploads, kind";

impl Storage {
    /// Creates a staff account, or replaces the password of an existing one; a new password
    /// signs out every session of that account (a leaked password is changed to lock out).
    pub async fn upsert_staff_user(
        &self,
        username: &str,
        password_hash: &str,
    ) -> Result<(), StorageError> {
        let mut tx = self.pool().begin().await?;
        sqlx::query("DELETE FROM staff_sessions WHERE username = $1")
            .bind(username)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO staff_users (username, password_hash, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (username) DO UPDATE SET password_hash = $2",
        )
        .bind(username)
        .bind(password_hash)
        .bind(unix_now())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn staff_password_hash(
        &self,
        username: &str,
    ) -> Result<Option<String>, StorageError> {
        let row: Option<(String,)> =
            sqlx::query_as("SELECT password_hash FROM staff_users WHERE username = $1")
                .bind(username)
                .fetch_optional(self.pool())
                .await?;
        Ok(row.map(|r| r.0))
    }

    pub async fn insert_session(
        &self,
        token_hash: &str,
        username: &str,
        csrf: &str,
        expires_at: i64,
    ) -> Result<(), StorageError> {
        sqlx::query(
            "INSERT INTO staff_sessions (token_hash, username, csrf, expires_at, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash)
        .bind(username)
        .bind(csrf)
        .bind(expires_at)
        .bind(unix_now())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The live session with this token hash (expired ones are deleted on the way).
    pub async fn session(&self, token_hash: &str) -> Result<Option<SessionRow>, StorageError> {
        let now = unix_now();
        sqlx::query("DELETE FROM staff_sessions WHERE expires_at <= $1")
            .bind(now)
            .execute(self.pool())
            .await?;
        let row: Option<(String, String, i64)> = sqlx::query_as(
            "SELECT username, csrf, expires_at FROM staff_sessions WHERE token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|(username, csrf, expires_at)| SessionRow {
            username,
            csrf,
            expires_at,
        }))
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StorageError> {
        sqlx::query("DELETE FROM staff_sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    pub async fn insert_invite(
        &self,
        invite: &InviteRow,
        token_hash: &str,
    ) -> Result<(), StorageError> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO invites ({INVITE_COLUMNS}, token_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
        )))
        .bind(&invite.id)
        .bind(&invite.label)
        .bind(&invite.room)
        .bind(&invite.created_by)
        .bind(invite.expires_at)
        .bind(invite.max_uploads)
        .bind(invite.uploads)
        .bind(invite.revoked as i64)
        .bind(invite.created_at)
        .bind(invite.failed_uploads)
        .bind(invite.kind.as_str())
        .bind(token_hash)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    pub async fn invite_by_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<InviteRow>, StorageError> {
        let row: Option<InviteTuple> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {INVITE_COLUMNS} FROM invites WHERE token_hash = $1"
        )))
        .bind(token_hash)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(invite))
    }

    pub async fn invites(&self) -> Result<Vec<InviteRow>, StorageError> {
        let rows: Vec<InviteTuple> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {INVITE_COLUMNS} FROM invites ORDER BY created_at DESC, id"
        )))
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(invite).collect())
    }

    /// Reserves one use of an invite (an upload before its file is checked, a class visit),
    /// if it still has uses left: one statement, so parallel requests cannot all pass a check
    /// made before.
    pub async fn take_invite_use(&self, id: &str) -> Result<bool, StorageError> {
        let done = sqlx::query(
            "UPDATE invites SET uploads = uploads + 1 WHERE id = $1 AND uploads < max_uploads AND revoked = 0",
        )
        .bind(id)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Gives a reserved upload back after the rules refused it, and counts the refusal.
    pub async fn give_back_invite_upload(&self, id: &str) -> Result<(), StorageError> {
        sqlx::query(
            "UPDATE invites SET uploads = uploads - 1, failed_uploads = failed_uploads + 1 WHERE id = $1 AND uploads > 0",
        )
        .bind(id)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    pub async fn revoke_invite(&self, id: &str) -> Result<bool, StorageError> {
        let done = sqlx::query("UPDATE invites SET revoked = 1 WHERE id = $1")
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected() > 0)
    }
}
