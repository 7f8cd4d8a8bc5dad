//! Exhibits: rows with texts, status and blob keys.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Storage, StorageError, unix_now};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExhibitStatus {
    /// Uploaded, waiting for staff.
    Pending,
    /// On show in its room.
    Approved,
    /// Turned down, with a reason the exhibitor sees.
    Rejected,
    /// Taken off show by staff.
    Hidden,
}

impl ExhibitStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::Hidden => "hidden",
        }
    }

    fn parse(s: &str) -> Result<Self, StorageError> {
        Ok(match s {
            "pending" => Self::Pending,
            "approved" => Self::Approved,
            "rejected" => Self::Rejected,
            "hidden" => Self::Hidden,
            other => return Err(StorageError::Corrupt(format!("exhibit status `{other}`"))),
        })
    }
}

/// An exhibit as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ExhibitRow {
    pub id: String,
    pub room: String,
    pub zone: String,
    pub slot: Option<String>,
    pub title_de: String,
    pub title_en: String,
    pub text_de: String,
    pub text_en: String,
    pub link: Option<String>,
    pub organisation: String,
    pub model_blob: Option<String>,
    pub thumbnail_blob: Option<String>,
    /// Blob keys of panel images (JSON list in the table).
    pub images: Vec<String>,
    /// The validation report (JSON).
    pub report: serde_json::Value,
    pub status: ExhibitStatus,
    pub reject_reason: Option<String>,
    pub invite_id: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, room, zone, slot, title_de, title_en, text_de, text_en, link, organisation, \
     model_blob, thumbnail_blob, images, report, status, reject_reason, invite_id, created_at, updated_at";

fn from_row(row: &sqlx::any::AnyRow) -> Result<ExhibitRow, StorageError> {
    use sqlx::Row;
    let images: String = row.try_get("images")?;
    let report: String = row.try_get("report")?;
    Ok(ExhibitRow {
        id: row.try_get("id")?,
        room: row.try_get("room")?,
        zone: row.try_get("zone")?,
        slot: row.try_get("slot")?,
        title_de: row.try_get("title_de")?,
        title_en: row.try_get("title_en")?,
        text_de: row.try_get("text_de")?,
        text_en: row.try_get("text_en")?,
        link: row.try_get("link")?,
        organisation: row.try_get("organisation")?,
        model_blob: row.try_get("model_blob")?,
        thumbnail_blob: row.try_get("thumbnail_blob")?,
        images: serde_json::from_str(&images)
            .map_err(|e| StorageError::Corrupt(format!("exhibit images: {e}")))?,
        report: serde_json::from_str(&report)
            .map_err(|e| StorageError::Corrupt(format!("exhibit report: {e}")))?,
        status: ExhibitStatus::parse(&row.try_get::<String, _>("status")?)?,
        reject_reason: row.try_get("reject_reason")?,
        invite_id: row.try_get("invite_id")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

impl Storage {
    pub async fn insert_exhibit(&self, e: &ExhibitRow) -> Result<(), StorageError> {
        insert_exhibit_on(self.pool(), e).await
    }

    pub async fn exhibit(&self, id: &str) -> Result<Option<ExhibitRow>, StorageError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM exhibits WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(from_row).transpose()
    }

    /// Exhibits filtered by room and status (either may be `None` for all), oldest first.
    pub async fn exhibits(
        &self,
        room: Option<&str>,
        status: Option<ExhibitStatus>,
    ) -> Result<Vec<ExhibitRow>, StorageError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM exhibits \
             WHERE ($1 IS NULL OR room = $1) AND ($2 IS NULL OR status = $2) \
             ORDER BY created_at, id"
        )))
        .bind(room)
        .bind(status.map(ExhibitStatus::as_str))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(from_row).collect()
    }

    pub async fn exhibits_by_invite(
        &self,
        invite_id: &str,
    ) -> Result<Vec<ExhibitRow>, StorageError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM exhibits WHERE invite_id = $1 ORDER BY created_at, id"
        )))
        .bind(invite_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(from_row).collect()
    }

    pub async fn count_exhibits(&self) -> Result<i64, StorageError> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM exhibits")
            .fetch_one(self.pool())
            .await?;
        Ok(n)
    }

    /// Sets status, slot and reason in one step; `false` when the exhibit does not exist.
    pub async fn set_exhibit_status(
        &self,
        id: &str,
        status: ExhibitStatus,
        slot: Option<&str>,
        reason: Option<&str>,
    ) -> Result<bool, StorageError> {
        let done = sqlx::query(
            "UPDATE exhibits SET status = $2, slot = $3, reject_reason = $4, updated_at = $5 WHERE id = $1",
        )
        .bind(id)
        .bind(status.as_str())
        .bind(slot)
        .bind(reason)
        .bind(unix_now())
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Every blob a row refers to, exhibits' files and slide pages (for the clean-up of
    /// orphans).
    pub async fn referenced_blobs(&self) -> Result<Vec<String>, StorageError> {
        let mut keys = Vec::new();
        for e in self.exhibits(None, None).await? {
            keys.extend(e.model_blob);
            keys.extend(e.thumbnail_blob);
            keys.extend(e.images);
        }
        keys.extend(self.printable_blobs().await?);
        // Slides live in the same store.
        for d in self.decks().await? {
            keys.extend(d.page_keys);
        }
        Ok(keys)
    }
}

/// Inserts an exhibit row through any connection (the pool, or a transaction that also
/// stores its printable file).
pub(super) async fn insert_exhibit_on<'c, E>(db: E, e: &ExhibitRow) -> Result<(), StorageError>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO exhibits ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)"
    )))
    .bind(&e.id)
    .bind(&e.room)
    .bind(&e.zone)
    .bind(&e.slot)
    .bind(&e.title_de)
    .bind(&e.title_en)
    .bind(&e.text_de)
    .bind(&e.text_en)
    .bind(&e.link)
    .bind(&e.organisation)
    .bind(&e.model_blob)
    .bind(&e.thumbnail_blob)
    .bind(serde_json::to_string(&e.images).unwrap_or_else(|_| "[]".into()))
    .bind(e.report.to_string())
    .bind(e.status.as_str())
    .bind(&e.reject_reason)
    .bind(&e.invite_id)
    .bind(e.created_at)
    .bind(e.updated_at)
    .execute(db)
    .await?;
    Ok(())
}
