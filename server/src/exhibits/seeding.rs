//! The lab's own exhibition, put into the `stadtlabor` room on the first start: the
//! generated exhibits of [`super::defaults`] and the printables of
//! [`super::printable_defaults`], each stored like an approved upload.

use bytes::Bytes;
use stadtlab_shared::scene::ExhibitSlot;

use super::catalog::{CatalogError, Exhibition};
use super::defaults::DEFAULT_EXHIBITS;
use super::ingest;
use crate::storage::{ExhibitRow, ExhibitStatus, unix_now};

/// The texts of an exhibit the lab made itself (German, English).
pub struct OwnTexts<'a> {
    pub id: &'a str,
    pub title: [&'a str; 2],
    pub text: [&'a str; 2],
    pub organisation: &'a str,
}

impl Exhibition {
    /// Puts the default exhibition into the `stadtlabor` room when the server has no exhibits
    /// at all (first start); returns how many were added.
    pub async fn seed_defaults(&self) -> Result<usize, CatalogError> {
        if self.storage.count_exhibits().await? > 0 || self.scene("stadtlabor").is_none() {
            return Ok(0);
        }
        let scene = self.scene("stadtlabor").expect("checked").clone();
        let now = unix_now();
        for (i, d) in DEFAULT_EXHIBITS.iter().enumerate() {
            let Some(slot) = scene.slot(d.slot) else {
                continue;
            };
            let made = tokio::task::spawn_blocking(move || {
                ingest::from_generated((DEFAULT_EXHIBITS[i].model)())
            })
            .await
            .map_err(|e| CatalogError::Conflict(format!("generating {}: {e}", d.id)))?;
            let texts = OwnTexts {
                id: d.id,
                title: [d.title_de, d.title_en],
                text: [d.text_de, d.text_en],
                organisation: d.organisation,
            };
            // One second apart keeps the order of the list when they are shown.
            let row = self
                .own_exhibit_row(&scene.name, slot, texts, made, now + i as i64)
                .await?;
            self.storage.insert_exhibit(&row).await?;
        }
        let printables =
            super::printable_defaults::seed(self, &scene, now + DEFAULT_EXHIBITS.len() as i64)
                .await?;
        tracing::info!(
            count = DEFAULT_EXHIBITS.len() + printables,
            "seeded the default exhibition"
        );
        Ok(DEFAULT_EXHIBITS.len() + printables)
    }

    /// Stores a generated exhibit's model and picture and makes its row, on show on `slot`.
    pub(super) async fn own_exhibit_row(
        &self,
        room: &str,
        slot: &ExhibitSlot,
        texts: OwnTexts<'_>,
        made: ingest::Ingested,
        at: i64,
    ) -> Result<ExhibitRow, CatalogError> {
        let model = self.blobs.put(Bytes::from(made.glb), "glb").await?;
        let thumb = self.blobs.put(Bytes::from(made.thumbnail), "png").await?;
        Ok(ExhibitRow {
            id: texts.id.into(),
            room: room.into(),
            zone: slot.zone.clone(),
            slot: Some(slot.id.clone()),
            title_de: texts.title[0].into(),
            title_en: texts.title[1].into(),
            text_de: texts.text[0].into(),
            text_en: texts.text[1].into(),
            link: None,
            organisation: texts.organisation.into(),
            model_blob: Some(model),
            thumbnail_blob: Some(thumb),
            images: vec![],
            report: serde_json::to_value(&made.report).unwrap_or_default(),
            status: ExhibitStatus::Approved,
            reject_reason: None,
            invite_id: None,
            created_at: at,
            updated_at: at,
        })
    }
}
