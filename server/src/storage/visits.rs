//! Class visits: a private instance of a scene for one group, in a time window.

use serde::Serialize;

use super::{Storage, StorageError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct VisitRow {
    pub id: String,
    pub title: String,
    /// The public room whose scene and exhibition the visit shows.
    pub room: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub capacity: i64,
    /// `de` or `en`.
    pub language: String,
    /// Normalised (no dash).
    #[serde(skip)]
    pub code: String,
    #[serde(skip)]
    pub guide_key_hash: String,
    pub created_by: String,
    pub created_at: i64,
    /// The teacher's invite it was planned with (none when staff planned it).
    pub invite_id: Option<String>,
}

type VisitTuple = (
    String,
    String,
    String,
    i64,
    i64,
    i64,
    String,
    String,
    String,
    String,
    i64,
    Option<String>,
);

const COLUMNS: &str = "id, title, room, starts_at, ends_at, capacity, language, code, guide_key_hash, created_by, created_at, invite_id";

fn visit(t: VisitTuple) -> VisitRow {
    VisitRow {
        id: t.0,
        title: t.1,
        room: t.2,
        starts_at: t.3,
        ends_at: t.4,
        capacity: t.5,
        language: t.6,
        code: t.7,
        guide_key_hash: t.8,
        created_by: t.9,
        created_at: t.10,
        invite_id: t.11,
    }
}

impl Storage {
    pub async fn insert_visit(&self, v: &VisitRow) -> Result<(), StorageError> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO class_visits ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
        )))
        .bind(&v.id)
        .bind(&v.title)
        .bind(&v.room)
        .bind(v.starts_at)
        .bind(v.ends_at)
        .bind(v.capacity)
        .bind(&v.language)
        .bind(&v.code)
        .bind(&v.guide_key_hash)
        .bind(&v.created_by)
        .bind(v.created_at)
        .bind(&v.invite_id)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Visits that have not ended at `now`, soonest first.
    pub async fn visits_not_ended(&self, now: i64) -> Result<Vec<VisitRow>, StorageError> {
        let rows: Vec<VisitTuple> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM class_visits WHERE ends_at > $1 ORDER BY starts_at, id"
        )))
        .bind(now)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(visit).collect())
    }

    /// The visits planned with one invite that have not ended at `now`, soonest first.
    pub async fn visits_by_invite(
        &self,
        invite_id: &str,
        now: i64,
    ) -> Result<Vec<VisitRow>, StorageError> {
        let rows: Vec<VisitTuple> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM class_visits WHERE invite_id = $1 AND ends_at > $2 \
             ORDER BY starts_at, id"
        )))
        .bind(invite_id)
        .bind(now)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(visit).collect())
    }

    /// A visit whose window is open or ahead, by its code (normalised).
    pub async fn visit_by_code(
        &self,
        code: &str,
        now: i64,
    ) -> Result<Option<VisitRow>, StorageError> {
        let row: Option<VisitTuple> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM class_visits WHERE code = $1 AND ends_at > $2"
        )))
        .bind(code)
        .bind(now)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(visit))
    }
}
