//! Printable files of exhibits: original and repaired blob keys, licence, report. Stored in
//! the same transaction as their exhibit, so that neither exists without the other.

use super::exhibits::insert_exhibit_on;
use super::{ExhibitRow, Storage, StorageError};

#[derive(Debug, Clone, PartialEq)]
pub struct PrintableRow {
    pub exhibit_id: String,
    pub file_blob: String,
    pub file_name: String,
    pub format: String,
    pub repaired_blob: Option<String>,
    /// A [`crate::printable::licence::Licence`] code.
    pub licence: String,
    pub report: serde_json::Value,
}

const COLUMNS: &str = "exhibit_id, file_blob, file_name, format, repaired_blob, licence, report";

fn from_row(row: &sqlx::any::AnyRow) -> Result<PrintableRow, StorageError> {
    use sqlx::Row;
    let report: String = row.try_get("report")?;
    Ok(PrintableRow {
        exhibit_id: row.try_get("exhibit_id")?,
        file_blob: row.try_get("file_blob")?,
        file_name: row.try_get("file_name")?,
        format: row.try_get("format")?,
        repaired_blob: row.try_get("repaired_blob")?,
        licence: row.try_get("licence")?,
        report: serde_json::from_str(&report)
            .map_err(|e| StorageError::Corrupt(format!("printable report: {e}")))?,
    })
}

impl Storage {
    /// Inserts an exhibit with its printable file, both or neither.
    pub async fn insert_printable_exhibit(
        &self,
        exhibit: &ExhibitRow,
        p: &PrintableRow,
    ) -> Result<(), StorageError> {
        let mut tx = self.pool().begin().await?;
        insert_exhibit_on(&mut *tx, exhibit).await?;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO printables ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"
        )))
        .bind(&p.exhibit_id)
        .bind(&p.file_blob)
        .bind(&p.file_name)
        .bind(&p.format)
        .bind(&p.repaired_blob)
        .bind(&p.licence)
        .bind(p.report.to_string())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn printable(&self, exhibit_id: &str) -> Result<Option<PrintableRow>, StorageError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM printables WHERE exhibit_id = $1"
        )))
        .bind(exhibit_id)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(from_row).transpose()
    }

    /// Ids of the exhibits that have a printable file.
    pub async fn printable_ids(&self) -> Result<Vec<String>, StorageError> {
        let rows: Vec<(String,)> = sqlx::query_as("SELECT exhibit_id FROM printables")
            .fetch_all(self.pool())
            .await?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    pub(super) async fn printable_blobs(&self) -> Result<Vec<String>, StorageError> {
        let rows: Vec<(String, Option<String>)> =
            sqlx::query_as("SELECT file_blob, repaired_blob FROM printables")
                .fetch_all(self.pool())
                .await?;
        Ok(rows
            .into_iter()
            .flat_map(|(file, repaired)| std::iter::once(file).chain(repaired))
            .collect())
    }
}
