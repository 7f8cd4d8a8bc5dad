//! The impact totals: per day and room, per day and exhibit. Counts are added (an upsert
//! that sums), so writes from a restarted server or from several room servers add up.

use serde::Serialize;
use utoipa::ToSchema;

use super::{Storage, StorageError};
use std::collections::BTreeMap;

use crate::impact::Counts;
pub use crate::impact::gatherings::{ClassVisitRow, TalkAttendanceRow};
use crate::impact::tally::LearnedCounts;

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema, sqlx::FromRow)]
pub struct RoomDayRow {
    pub day: String,
    pub room: String,
    pub visitors: i64,
    pub joins: i64,
    pub joins_phone: i64,
    pub joins_computer: i64,
    pub joins_app: i64,
    pub joins_udp: i64,
    pub joins_webtransport: i64,
    pub joins_websocket: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema, sqlx::FromRow)]
pub struct ExhibitDayRow {
    pub day: String,
    pub exhibit: String,
    pub seconds_near: i64,
    pub downloads: i64,
    pub inspects: i64,
    pub ratings: i64,
    pub stars: i64,
}

/// A comment that came with a rating (staff only).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema, sqlx::FromRow)]
pub struct CommentRow {
    pub day: String,
    pub exhibit: String,
    pub stars: i64,
    pub text: String,
}

/// A free answer to a talk's closing question (staff only).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema, sqlx::FromRow)]
pub struct TalkAnswerRow {
    pub day: String,
    /// The talk's key (the same for all answers to one talk; not shown anywhere else).
    pub talk: String,
    pub title: String,
    pub question: String,
    pub text: String,
}

const EXHIBIT_COLUMNS: [&str; 5] = ["seconds_near", "downloads", "inspects", "ratings", "stars"];

const ROOM_COLUMNS: [&str; 8] = [
    "visitors",
    "joins",
    "joins_phone",
    "joins_computer",
    "joins_app",
    "joins_udp",
    "joins_webtransport",
    "joins_websocket",
];

/// `INSERT … ON CONFLICT DO UPDATE` adding each count to the stored one (SQLite and
/// PostgreSQL read it the same).
fn adding_upsert(table: &str, keys: [&str; 2], counts: &[&str]) -> String {
    let columns: Vec<&str> = keys.iter().chain(counts).copied().collect();
    let params: Vec<String> = (1..=columns.len()).map(|i| format!("${i}")).collect();
    let sums: Vec<String> = counts
        .iter()
        .map(|c| format!("{c} = {table}.{c} + excluded.{c}"))
        .collect();
    format!(
        "INSERT INTO {table} ({}) VALUES ({}) ON CONFLICT ({}) DO UPDATE SET {}",
        columns.join(", "),
        params.join(", "),
        keys.join(", "),
        sums.join(", ")
    )
}

impl Storage {
    /// Adds counts to the stored totals, all or nothing; returns the answers to talks whose
    /// rows are not stored yet (to be tried again).
    pub async fn add_impact(
        &self,
        counts: &Counts,
    ) -> Result<BTreeMap<String, LearnedCounts>, StorageError> {
        let rooms = adding_upsert("impact_room_days", ["day", "room"], &ROOM_COLUMNS);
        let exhibits = adding_upsert("impact_exhibit_days", ["day", "exhibit"], &EXHIBIT_COLUMNS);
        let mut tx = self.pool().begin().await?;
        for ((day, room), c) in &counts.rooms {
            sqlx::query(sqlx::AssertSqlSafe(rooms.as_str()))
                .bind(day)
                .bind(room)
                .bind(c.visitors)
                .bind(c.joins)
                .bind(c.phone)
                .bind(c.computer)
                .bind(c.app)
                .bind(c.udp)
                .bind(c.webtransport)
                .bind(c.websocket)
                .execute(&mut *tx)
                .await?;
        }
        for ((day, exhibit), c) in &counts.exhibits {
            sqlx::query(sqlx::AssertSqlSafe(exhibits.as_str()))
                .bind(day)
                .bind(exhibit)
                .bind(c.seconds_near.round() as i64)
                .bind(c.downloads)
                .bind(c.inspects)
                .bind(c.ratings)
                .bind(c.stars)
                .execute(&mut *tx)
                .await?;
        }
        for t in &counts.talks {
            sqlx::query(
                "INSERT INTO impact_talks (id, day, room, started, minutes, peak_listeners, mean_listeners10, listener_minutes, hands_raised, questions_asked, curve, title, on_site) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            )
            .bind(&t.id)
            .bind(&t.day)
            .bind(&t.room)
            .bind(&t.started)
            .bind(t.minutes)
            .bind(t.peak_listeners)
            .bind(t.mean_listeners10)
            .bind(t.listener_minutes)
            .bind(t.hands_raised)
            .bind(t.questions_asked)
            .bind(&t.curve)
            .bind(&t.title)
            .bind(t.on_site)
            .execute(&mut *tx)
            .await?;
        }
        let mut waiting = BTreeMap::new();
        for (talk, c) in &counts.learned {
            let done = sqlx::query(
                "UPDATE impact_talks SET learned_yes = learned_yes + $1, learned_a_little = learned_a_little + $2, learned_no = learned_no + $3 WHERE id = $4",
            )
            .bind(c.yes)
            .bind(c.a_little)
            .bind(c.no)
            .bind(talk)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                waiting.insert(talk.clone(), c.clone());
            }
        }
        for v in &counts.visits {
            sqlx::query(
                "INSERT INTO impact_class_visits (id, day, scene, pupils, minutes, exhibits) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(crate::http::auth::new_token())
            .bind(&v.day)
            .bind(&v.scene)
            .bind(v.pupils)
            .bind(v.minutes)
            .bind(v.exhibits)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(waiting)
    }

    pub async fn talks(
        &self,
        from: &str,
        to: &str,
    ) -> Result<Vec<TalkAttendanceRow>, StorageError> {
        Ok(sqlx::query_as::<_, TalkAttendanceRow>(
            "SELECT id, day, room, started, minutes, peak_listeners, mean_listeners10, listener_minutes, hands_raised, questions_asked, curve, title, on_site, learned_yes, learned_a_little, learned_no FROM impact_talks WHERE day >= $1 AND day <= $2 ORDER BY day, started",
        )
            .bind(from)
            .bind(to)
            .fetch_all(self.pool())
            .await?)
    }

    pub async fn class_visits(
        &self,
        from: &str,
        to: &str,
    ) -> Result<Vec<ClassVisitRow>, StorageError> {
        Ok(sqlx::query_as::<_, ClassVisitRow>(
            "SELECT day, scene, pupils, minutes, exhibits FROM impact_class_visits WHERE day >= $1 AND day <= $2 ORDER BY day",
        )
            .bind(from)
            .bind(to)
            .fetch_all(self.pool())
            .await?)
    }

    /// Days from `from` to `to` (inclusive, `YYYY-MM-DD`), one room or all.
    pub async fn room_days(
        &self,
        from: &str,
        to: &str,
        room: Option<&str>,
    ) -> Result<Vec<RoomDayRow>, StorageError> {
        let sql = format!(
            "SELECT day, room, {} FROM impact_room_days WHERE day >= $1 AND day <= $2 AND ($3 = '' OR room = $3) ORDER BY day, room",
            ROOM_COLUMNS.join(", ")
        );
        Ok(sqlx::query_as::<_, RoomDayRow>(sqlx::AssertSqlSafe(sql))
            .bind(from)
            .bind(to)
            .bind(room.unwrap_or(""))
            .fetch_all(self.pool())
            .await?)
    }

    pub async fn exhibit_days(
        &self,
        from: &str,
        to: &str,
    ) -> Result<Vec<ExhibitDayRow>, StorageError> {
        let sql = format!(
            "SELECT day, exhibit, {} FROM impact_exhibit_days WHERE day >= $1 AND day <= $2 ORDER BY day, exhibit",
            EXHIBIT_COLUMNS.join(", ")
        );
        Ok(sqlx::query_as::<_, ExhibitDayRow>(sqlx::AssertSqlSafe(sql))
            .bind(from)
            .bind(to)
            .fetch_all(self.pool())
            .await?)
    }

    pub async fn insert_comment(
        &self,
        day: &str,
        exhibit: &str,
        stars: u8,
        text: &str,
    ) -> Result<(), StorageError> {
        sqlx::query(
            "INSERT INTO feedback_comments (id, day, exhibit, stars, text) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(crate::http::auth::new_token())
        .bind(day)
        .bind(exhibit)
        .bind(stars as i64)
        .bind(text)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Comments from `from` to `to`, newest day first.
    pub async fn comments(&self, from: &str, to: &str) -> Result<Vec<CommentRow>, StorageError> {
        Ok(sqlx::query_as::<_, CommentRow>(
            "SELECT day, exhibit, stars, text FROM feedback_comments WHERE day >= $1 AND day <= $2 ORDER BY day DESC, exhibit",
        )
            .bind(from)
            .bind(to)
            .fetch_all(self.pool())
            .await?)
    }

    pub async fn insert_talk_answer(&self, a: &TalkAnswerRow) -> Result<(), StorageError> {
        sqlx::query(
            "INSERT INTO talk_answers (id, day, talk, title, question, text) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(crate::http::auth::new_token())
        .bind(&a.day)
        .bind(&a.talk)
        .bind(&a.title)
        .bind(&a.question)
        .bind(&a.text)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Free answers to talks' closing questions from `from` to `to`, newest day first.
    pub async fn talk_answers(
        &self,
        from: &str,
        to: &str,
    ) -> Result<Vec<TalkAnswerRow>, StorageError> {
        Ok(sqlx::query_as::<_, TalkAnswerRow>(
            "SELECT day, talk, title, question, text FROM talk_answers WHERE day >= $1 AND day <= $2 ORDER BY day DESC, talk",
        )
        .bind(from)
        .bind(to)
        .fetch_all(self.pool())
        .await?)
    }

    /// Deletes comments and free answers of days before `first_kept`; returns how many.
    pub async fn delete_comments_before(&self, first_kept: &str) -> Result<u64, StorageError> {
        let mut deleted = 0;
        for table in ["feedback_comments", "talk_answers"] {
            let done = sqlx::query(sqlx::AssertSqlSafe(format!(
                "DELETE FROM {table} WHERE day < $1"
            )))
            .bind(first_kept)
            .execute(self.pool())
            .await?;
            deleted += done.rows_affected();
        }
        Ok(deleted)
    }
}
