//! Class visits at runtime: their private rooms open when their window starts (checked at
//! start, after every new visit, and every few seconds).

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::admission::{Admission, RoomKind, VisitEntry};
use crate::game::commands::{CommandSender, RoomCommand, VisitOpening};
use crate::storage::{Storage, StorageError, unix_now};

/// How often the scheduler looks for visits whose window has started.
pub const CHECK_EVERY: Duration = Duration::from_secs(5);

/// Opens the private room of every visit whose window is open and whose room is not.
pub async fn open_due(
    storage: &Storage,
    admission: &Admission,
    commands: &CommandSender,
) -> Result<(), StorageError> {
    let now = unix_now();
    for v in storage.visits_not_ended(now).await? {
        if v.starts_at > now || admission.visit_room(&v.id).is_some() {
            continue;
        }
        let Some(public) = admission
            .public_room(&v.room)
            .and_then(|id| admission.room(id))
        else {
            tracing::warn!(visit = %v.id, room = %v.room, "the visit's room is not hosted here");
            continue;
        };
        let ends_at = Instant::now() + Duration::from_secs((v.ends_at - now).max(0) as u64);
        let id = admission.open_room(
            &format!("visit-{}", v.id),
            &public.scene,
            v.capacity.max(1) as usize,
            RoomKind::Visit(Box::new(VisitEntry {
                visit_id: v.id.clone(),
                code: v.code.clone(),
                guide_key_hash: v.guide_key_hash.clone(),
                locked: false,
            })),
        );
        let _ = commands.send(RoomCommand::Open {
            id,
            scene: public.scene.clone(),
            exhibition: v.room.clone(),
            visit: Some(VisitOpening {
                title: v.title.clone(),
                ends_at,
            }),
        });
        tracing::info!(visit = %v.id, %id, "class visit opened");
    }
    Ok(())
}

/// Runs [`open_due`] every few seconds until the server stops.
pub async fn schedule(storage: Storage, admission: Arc<Admission>, commands: CommandSender) {
    let mut every = tokio::time::interval(CHECK_EVERY);
    loop {
        every.tick().await;
        if let Err(e) = open_due(&storage, &admission, &commands).await {
            tracing::warn!(error = %e, "opening class visits");
        }
    }
}
