//! The exhibition as a service: taking uploads, approving, rejecting and hiding, and telling
//! the game loop what each room shows (seeding the lab's own exhibits: [`super::seeding`]).

use std::collections::HashMap;
use std::sync::Arc;

use bytes::Bytes;
use rand::Rng;
use stadtlab_shared::exhibit::ExhibitView;
use stadtlab_shared::scene::{CollisionWorld, Scene, Text};

use super::ingest::{self, Report};
use super::ingest_queue::{IngestQueue, QueueFull};
use super::panel_images;
use crate::blobs::{BlobError, Blobs};
use crate::game::commands::{CommandSender, RoomCommand};
use crate::printable::licence::Licence;
use crate::printable::printers::{Printer, common_printers};
use crate::storage::PrintableRow;
use crate::storage::{ExhibitRow, ExhibitStatus, Storage, StorageError, unix_now};

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("no exhibit with id `{0}`")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Busy(#[from] QueueFull),
    #[error("{0}")]
    Storage(#[from] StorageError),
    #[error("{0}")]
    Blob(#[from] BlobError),
}

/// What an exhibitor sends along with the file.
#[derive(Debug, Clone)]
pub struct Submission {
    pub room: String,
    pub zone: String,
    pub title: Text,
    pub text: Text,
    pub organisation: String,
    pub link: Option<String>,
    pub invite_id: Option<String>,
    /// Pictures for the panel, as uploaded (PNG or JPEG).
    pub images: Vec<Bytes>,
    /// The model file's name as uploaded (it tells a renamed file; printables keep it).
    pub file_name: String,
    /// A printable model's licence (required for STL, 3MF and OBJ).
    pub licence: Option<Licence>,
}

pub enum Submitted {
    Accepted(Box<ExhibitRow>),
    Refused(Box<Report>),
}

pub struct Exhibition {
    pub storage: Storage,
    pub blobs: Blobs,
    /// Each hosted scene with its collision shapes (floor heights under the pedestals).
    pub(super) scenes: Vec<(Arc<Scene>, CollisionWorld)>,
    news: CommandSender,
    /// Uploads are checked one or two at a time.
    pub queue: IngestQueue,
    /// The printers printable models are checked against: the common ones and the lab's.
    pub printers: Vec<Printer>,
}

/// Ingests that may run at once (each can take a few hundred MB while it runs).
const PARALLEL_INGESTS: usize = 2;

/// A blob key's first characters: a version in URLs, so that a new file gets a new URL.
fn version(key: &str) -> &str {
    &key[..12.min(key.len())]
}

pub fn model_path(id: &str, key: &str) -> String {
    format!("/api/exhibits/{id}/model?v={}", version(key))
}

pub fn thumbnail_path(id: &str, key: &str) -> String {
    format!("/api/exhibits/{id}/thumbnail?v={}", version(key))
}

pub fn image_paths(row: &ExhibitRow) -> Vec<String> {
    row.images
        .iter()
        .enumerate()
        .map(|(n, key)| format!("/api/exhibits/{}/images/{n}?v={}", row.id, version(key)))
        .collect()
}

/// A short random id (50 bits; used in URLs).
pub fn new_id() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    (0..10)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

impl Exhibition {
    pub fn new(
        storage: Storage,
        blobs: Blobs,
        scenes: Vec<Arc<Scene>>,
        news: CommandSender,
    ) -> Self {
        let scenes = scenes
            .into_iter()
            .map(|s| {
                let world = CollisionWorld::from_scene(&s);
                (s, world)
            })
            .collect();
        Self {
            storage,
            blobs,
            scenes,
            news,
            queue: IngestQueue::new(PARALLEL_INGESTS),
            printers: common_printers(),
        }
    }

    /// Adds the lab's own printers to the fit check.
    pub fn with_printers(mut self, lab: Vec<Printer>) -> Self {
        self.printers.extend(lab);
        self
    }

    pub fn scene(&self, room: &str) -> Option<&Arc<Scene>> {
        self.scenes.iter().map(|(s, _)| s).find(|s| s.name == room)
    }

    /// The public rooms whose scene has a stage (where talks can happen).
    pub fn scenes_with_stage(&self) -> Vec<String> {
        self.scenes
            .iter()
            .map(|(s, _)| s)
            .filter(|s| s.has_stage())
            .map(|s| s.name.clone())
            .collect()
    }

    /// How clients see `row`, if it is on show on a slot of a hosted room.
    pub fn view(&self, row: &ExhibitRow) -> Option<ExhibitView> {
        let (scene, world) = self.scenes.iter().find(|(s, _)| s.name == row.room)?;
        let slot = scene.slot(row.slot.as_deref()?)?;
        let floor = world
            .floor_height(glam::Vec2::from(slot.pos))
            .unwrap_or(0.0);
        Some(ExhibitView {
            id: row.id.clone(),
            slot: slot.id.clone(),
            pos: [slot.pos[0], floor, slot.pos[1]],
            yaw_deg: slot.yaw_deg,
            title: Text {
                de: row.title_de.clone(),
                en: row.title_en.clone(),
            },
            text: Text {
                de: row.text_de.clone(),
                en: row.text_en.clone(),
            },
            organisation: row.organisation.clone(),
            link: row.link.clone(),
            model: row.model_blob.as_ref().map(|key| model_path(&row.id, key)),
            images: image_paths(row),
        })
    }

    /// Every approved exhibit per room, for the game loop's start.
    pub async fn on_show(&self) -> Result<HashMap<String, Vec<ExhibitView>>, CatalogError> {
        let mut shown: HashMap<String, Vec<ExhibitView>> = HashMap::new();
        for row in self
            .storage
            .exhibits(None, Some(ExhibitStatus::Approved))
            .await?
        {
            if let Some(view) = self.view(&row) {
                shown.entry(row.room.clone()).or_default().push(view);
            }
        }
        Ok(shown)
    }

    /// Validates, stores the files, then writes the row: a crash before the row leaves at
    /// most complete, unreferenced blobs, which the next start removes. Without a model the
    /// exhibit is a panel (text and pictures); it needs at least one picture then.
    /// `ticket` names the upload in the queue (the uploader's page asks for its place).
    pub async fn submit(
        &self,
        mut sub: Submission,
        file: Option<Bytes>,
        ticket: String,
    ) -> Result<Submitted, CatalogError> {
        let pictures = std::mem::take(&mut sub.images);
        let printers = self.printers.clone();
        let file_name = sub.file_name.clone();
        let original = file.clone();
        let checked = self
            .queue
            .run(ticket, move || {
                let model = file.map(|f| ingest::ingest_file(&f, &file_name, &printers));
                let pictures: Vec<_> = pictures
                    .iter()
                    .enumerate()
                    .map(|(i, p)| panel_images::normalise(p, &format!("picture {}", i + 1)))
                    .collect();
                (model, pictures)
            })
            .await?;
        let (ingested, pictures) = match checked {
            Ok(done) => done,
            Err(e) => {
                tracing::warn!(error = %e, "model ingest panicked");
                let report = Report {
                    problems: vec![ingest::Problem::new(
                        "unreadable_model",
                        "the model could not be read: the file is broken in a way the checks did not name",
                    )],
                    ..Report::default()
                };
                return Ok(Submitted::Refused(Box::new(report)));
            }
        };
        let picture_problems: Vec<_> = pictures
            .iter()
            .filter_map(|p| p.as_ref().err().cloned())
            .collect();
        let made = match ingested {
            Some(Ok(m)) if picture_problems.is_empty() => Some(m),
            Some(Ok((m, _))) => {
                let mut report = m.report;
                report.problems = picture_problems;
                return Ok(Submitted::Refused(Box::new(report)));
            }
            Some(Err(mut report)) => {
                report.problems.extend(picture_problems);
                return Ok(Submitted::Refused(report));
            }
            None if picture_problems.is_empty() && !pictures.is_empty() => None,
            None => {
                let mut report = Report {
                    format: "panel".into(),
                    ..Report::default()
                };
                report.problems = picture_problems;
                if pictures.is_empty() {
                    report.problems.push(ingest::Problem::new(
                        "nothing_to_show",
                        "send a 3D model (form field `file`) or at least one picture for a panel (form field `image`)",
                    ));
                }
                return Ok(Submitted::Refused(Box::new(report)));
            }
        };
        let mut images = Vec::new();
        for picture in pictures.into_iter().flatten() {
            images.push(self.blobs.put(Bytes::from(picture), "png").await?);
        }
        let mut print = None;
        let (model, thumb, report) = match made {
            Some((made, printable)) => {
                print = printable;
                (
                    Some(self.blobs.put(Bytes::from(made.glb), "glb").await?),
                    self.blobs.put(Bytes::from(made.thumbnail), "png").await?,
                    made.report,
                )
            }
            // A panel's picture is its thumbnail.
            None => (
                None,
                images[0].clone(),
                Report {
                    format: "panel".into(),
                    scale: 1.0,
                    ..Report::default()
                },
            ),
        };
        let now = unix_now();
        let row = ExhibitRow {
            id: new_id(),
            room: sub.room,
            zone: sub.zone,
            slot: None,
            title_de: sub.title.de,
            title_en: sub.title.en,
            text_de: sub.text.de,
            text_en: sub.text.en,
            link: sub.link,
            organisation: sub.organisation,
            model_blob: model,
            thumbnail_blob: Some(thumb),
            images,
            report: serde_json::to_value(&report).unwrap_or_default(),
            status: ExhibitStatus::Pending,
            reject_reason: None,
            invite_id: sub.invite_id,
            created_at: now,
            updated_at: now,
        };
        match (print, original) {
            (Some(print), Some(original)) => {
                let format = print.report.format.clone();
                let ext = if sub.file_name.to_ascii_lowercase().ends_with(".zip") {
                    "zip"
                } else {
                    format.split('-').next().unwrap_or("bin")
                };
                let file_blob = self.blobs.put(original, ext).await?;
                let repaired_blob = match print.repaired_stl {
                    Some(stl) => Some(self.blobs.put(Bytes::from(stl), "stl").await?),
                    None => None,
                };
                let printable = PrintableRow {
                    exhibit_id: row.id.clone(),
                    file_blob,
                    file_name: sub.file_name.clone(),
                    format,
                    repaired_blob,
                    licence: sub
                        .licence
                        .unwrap_or(Licence::AllRightsReserved)
                        .code()
                        .into(),
                    report: serde_json::to_value(&print.report).unwrap_or_default(),
                };
                self.storage
                    .insert_printable_exhibit(&row, &printable)
                    .await?;
            }
            _ => self.storage.insert_exhibit(&row).await?,
        }
        tracing::info!(id = %row.id, room = %row.room, "exhibit uploaded, waiting for approval");
        Ok(Submitted::Accepted(Box::new(row)))
    }

    async fn get(&self, id: &str) -> Result<ExhibitRow, CatalogError> {
        self.storage
            .exhibit(id)
            .await?
            .ok_or_else(|| CatalogError::NotFound(id.into()))
    }

    /// Puts an exhibit on show on the first free slot of its zone; live in every client.
    /// The database holds one exhibit on show per pedestal: when another approval took the
    /// chosen pedestal a moment earlier, the next free one is tried.
    pub async fn approve(&self, id: &str) -> Result<ExhibitRow, CatalogError> {
        let row = self.get(id).await?;
        let scene = self
            .scene(&row.room)
            .ok_or_else(|| {
                CatalogError::Conflict(format!("room `{}` is not hosted here", row.room))
            })?
            .clone();
        if let (ExhibitStatus::Approved, Some(_)) = (&row.status, &row.slot) {
            return Ok(row);
        }
        let slot = loop {
            let taken: Vec<String> = self
                .storage
                .exhibits(Some(&row.room), Some(ExhibitStatus::Approved))
                .await?
                .into_iter()
                .filter_map(|e| e.slot)
                .collect();
            // The exhibit's old slot first (an exhibit shown again returns to its place).
            let free = row
                .slot
                .iter()
                .filter_map(|s| scene.slot(s))
                .chain(scene.exhibit_slots.iter().filter(|s| s.zone == row.zone))
                .find(|s| s.zone == row.zone && !taken.contains(&s.id))
                .ok_or_else(|| {
                    CatalogError::Conflict(format!(
                        "every pedestal in zone `{}` is taken: hide an exhibit there first",
                        row.zone
                    ))
                })?
                .id
                .clone();
            match self
                .storage
                .set_exhibit_status(id, ExhibitStatus::Approved, Some(&free), None)
                .await
            {
                Ok(_) => break free,
                Err(e) if e.is_unique_violation() => continue,
                Err(e) => return Err(e.into()),
            }
        };
        let row = self.get(id).await?;
        if let Some(exhibit) = self.view(&row) {
            let _ = self.news.send(RoomCommand::ExhibitShown {
                exhibition: row.room.clone(),
                exhibit: Box::new(exhibit),
            });
        }
        tracing::info!(id, slot, "exhibit approved");
        Ok(row)
    }

    pub async fn reject(&self, id: &str, reason: &str) -> Result<ExhibitRow, CatalogError> {
        self.take_off_show(id, ExhibitStatus::Rejected, Some(reason))
            .await
    }

    pub async fn hide(&self, id: &str) -> Result<ExhibitRow, CatalogError> {
        self.take_off_show(id, ExhibitStatus::Hidden, None).await
    }

    /// Rejects or hides; an exhibit that was on show vanishes from every client of its room.
    /// The slot is kept, so that approving it again puts it back where it stood.
    async fn take_off_show(
        &self,
        id: &str,
        status: ExhibitStatus,
        reason: Option<&str>,
    ) -> Result<ExhibitRow, CatalogError> {
        let row = self.get(id).await?;
        self.storage
            .set_exhibit_status(id, status, row.slot.as_deref(), reason)
            .await?;
        if row.status == ExhibitStatus::Approved {
            let _ = self.news.send(RoomCommand::ExhibitGone {
                exhibition: row.room.clone(),
                id: row.id.clone(),
            });
        }
        tracing::info!(id, status = status.as_str(), "exhibit taken off show");
        self.get(id).await
    }
}
