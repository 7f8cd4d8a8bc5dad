//! Slide decks and the programme of talks.

use serde::Serialize;

use super::{Storage, StorageError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DeckRow {
    pub id: String,
    pub title: String,
    /// The pages' blob keys, in order.
    #[serde(skip)]
    pub page_keys: Vec<String>,
    pub pages: usize,
    pub created_by: String,
    pub created_at: i64,
}

#[derive(
    Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, utoipa::ToSchema, sqlx::FromRow,
)]
pub struct TalkRow {
    pub id: String,
    pub room: String,
    pub title_de: String,
    pub title_en: String,
    pub speaker: String,
    pub description_de: String,
    pub description_en: String,
    /// Unix seconds.
    pub starts_at: i64,
    pub ends_at: i64,
    pub deck_id: Option<String>,
    pub created_by: String,
    pub created_at: i64,
    /// Asked after the talk, answered in free text (besides "Hast du etwas Neues erfahren?").
    pub closing_question: Option<String>,
}

type DeckTuple = (String, String, String, String, i64);

fn deck(t: DeckTuple) -> Result<DeckRow, StorageError> {
    let page_keys: Vec<String> = serde_json::from_str(&t.2)
        .map_err(|e| StorageError::Corrupt(format!("deck {}: pages: {e}", t.0)))?;
    Ok(DeckRow {
        id: t.0,
        title: t.1,
        pages: page_keys.len(),
        page_keys,
        created_by: t.3,
        created_at: t.4,
    })
}

const TALK_COLUMNS: &str = "id, room, title_de, title_en, speaker, description_de, description_en, starts_at, ends_at, deck_id, created_by, created_at, closing_question";

impl Storage {
    pub async fn insert_deck(&self, d: &DeckRow) -> Result<(), StorageError> {
        let pages = serde_json::to_string(&d.page_keys).expect("strings serialise");
        sqlx::query(
            "INSERT INTO slide_decks (id, title, pages, created_by, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&d.id)
        .bind(&d.title)
        .bind(pages)
        .bind(&d.created_by)
        .bind(d.created_at)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    pub async fn deck(&self, id: &str) -> Result<Option<DeckRow>, StorageError> {
        let row: Option<DeckTuple> = sqlx::query_as(
            "SELECT id, title, pages, created_by, created_at FROM slide_decks WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        row.map(deck).transpose()
    }

    pub async fn decks(&self) -> Result<Vec<DeckRow>, StorageError> {
        let rows: Vec<DeckTuple> = sqlx::query_as(
            "SELECT id, title, pages, created_by, created_at FROM slide_decks ORDER BY created_at DESC, id",
        )
        .fetch_all(self.pool())
        .await?;
        rows.into_iter().map(deck).collect()
    }

    pub async fn insert_talk(&self, t: &TalkRow) -> Result<(), StorageError> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO talks ({TALK_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
        )))
        .bind(&t.id)
        .bind(&t.room)
        .bind(&t.title_de)
        .bind(&t.title_en)
        .bind(&t.speaker)
        .bind(&t.description_de)
        .bind(&t.description_en)
        .bind(t.starts_at)
        .bind(t.ends_at)
        .bind(&t.deck_id)
        .bind(&t.created_by)
        .bind(t.created_at)
        .bind(&t.closing_question)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    pub async fn delete_talk(&self, id: &str) -> Result<bool, StorageError> {
        let done = sqlx::query("DELETE FROM talks WHERE id = $1")
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Talks that end after `after` (unix seconds), in order of their start.
    pub async fn talks_ending_after(&self, after: i64) -> Result<Vec<TalkRow>, StorageError> {
        Ok(sqlx::query_as::<_, TalkRow>(sqlx::AssertSqlSafe(format!(
            "SELECT {TALK_COLUMNS} FROM talks WHERE ends_at > $1 ORDER BY starts_at, id"
        )))
        .bind(after)
        .fetch_all(self.pool())
        .await?)
    }
}
