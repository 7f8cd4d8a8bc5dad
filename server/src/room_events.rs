//! What rooms report, kept: the game loop sends events (moderation actions, bans, reports)
//! over a channel and this task writes them to storage, so the tick never waits for the
//! database; bans come back from storage into admission at start.

use tokio::sync::mpsc::UnboundedReceiver;

use crate::admission::{Admission, BanEntry};
use crate::game::handlers::GameEvent;
use crate::storage::{AuditRow, NewBan, ReportRow, Storage, StorageError, unix_now};

/// Bans stored earlier, back into admission at start (a ban survives restarts).
pub async fn load_bans(storage: &Storage, admission: &Admission) -> Result<usize, StorageError> {
    let bans = storage.bans(true).await?;
    for b in &bans {
        admission.ban(BanEntry {
            id: b.id.clone(),
            device_hash: b.device_hash.clone(),
            network: b.network.as_deref().and_then(|n| n.parse().ok()),
            reason: b.reason.clone(),
            created_at: b.created_at,
        });
    }
    Ok(bans.len())
}

/// Writes what rooms report to storage, in order, until the game loop stops.
pub async fn record(storage: Storage, mut events: UnboundedReceiver<GameEvent>) {
    while let Some(event) = events.recv().await {
        let result = match event {
            GameEvent::Audit {
                room,
                actor,
                actor_role,
                action,
                target,
                reason,
            } => {
                storage
                    .insert_audit(&AuditRow {
                        at: unix_now(),
                        room,
                        actor,
                        actor_role: actor_role.as_str().into(),
                        action: action.into(),
                        target,
                        reason,
                    })
                    .await
            }
            GameEvent::Banned {
                id,
                name,
                device_hash,
                network,
                reason,
                by,
            } => {
                storage
                    .insert_ban(NewBan {
                        id: &id,
                        name: &name,
                        device_hash: device_hash.as_deref(),
                        network: network.map(|n| n.to_string()),
                        reason: &reason,
                        banned_by: &by,
                    })
                    .await
            }
            GameEvent::Reported {
                room,
                reporter,
                target,
                reason,
                chat,
            } => {
                storage
                    .insert_report(&ReportRow {
                        id: String::new(),
                        at: unix_now(),
                        room,
                        reporter,
                        target,
                        reason,
                        chat,
                    })
                    .await
            }
            GameEvent::Rated {
                exhibit,
                stars,
                comment: Some(text),
            } => {
                storage
                    .insert_comment(&crate::impact::day_of(unix_now()), &exhibit, stars, &text)
                    .await
            }
            GameEvent::Commented {
                exhibit,
                stars,
                text,
            } => {
                storage
                    .insert_comment(&crate::impact::day_of(unix_now()), &exhibit, stars, &text)
                    .await
            }
            GameEvent::ClosingAnswer {
                talk,
                title,
                question,
                text,
            } => {
                storage
                    .insert_talk_answer(&crate::storage::TalkAnswerRow {
                        day: crate::impact::day_of(unix_now()),
                        talk,
                        title,
                        question,
                        text,
                    })
                    .await
            }
            // Counted by the game loop itself (impact counts in memory).
            GameEvent::Rated { .. } | GameEvent::Inspected { .. } | GameEvent::Learned { .. } => {
                Ok(())
            }
            GameEvent::Removed { .. } | GameEvent::Locked { .. } => Ok(()),
        };
        if let Err(e) = result {
            tracing::error!(error = %e, "storing a room event failed");
        }
    }
}
