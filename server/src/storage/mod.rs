//! Persistence through sqlx's `Any` driver: SQLite by default, PostgreSQL by URL.
//! Every query uses `$n` placeholders and plain types so the same text runs on both.

mod exhibits;
mod identity;
mod impact;
mod moderation;
mod printables;
mod rooms;
mod staff;
mod talks;
mod visits;

pub use exhibits::{ExhibitRow, ExhibitStatus};
pub use identity::NetcodeKey;
pub use impact::{
    ClassVisitRow, CommentRow, ExhibitDayRow, RoomDayRow, TalkAnswerRow, TalkAttendanceRow,
};
pub use moderation::{AuditRow, BanRow, NewBan, ReportRow};
pub use printables::PrintableRow;
pub use rooms::RoomRow;
pub use staff::{InviteKind, InviteRow, SessionRow};
pub use talks::{DeckRow, TalkRow};
pub use visits::VisitRow;

use sqlx::AnyPool;
use sqlx::any::AnyPoolOptions;

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("database migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

impl StorageError {
    /// A unique constraint refused the write (someone else was first).
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, StorageError::Db(sqlx::Error::Database(e)) if e.is_unique_violation())
    }
}

#[derive(Clone, Debug)]
pub struct Storage {
    pool: AnyPool,
}

pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

impl Storage {
    /// Connects and brings the schema up to date.
    pub async fn open(url: &str) -> Result<Storage, StorageError> {
        sqlx::any::install_default_drivers();
        // SQLite serialises writers anyway; a small pool avoids lock contention.
        let max = if url.starts_with("sqlite:") { 4 } else { 16 };
        let pool = AnyPoolOptions::new()
            .max_connections(max)
            .connect(url)
            .await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Storage { pool })
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }
}
