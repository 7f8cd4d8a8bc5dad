//! Moderation in the room: chat mutes and removals (staff everywhere, guides in their visit),
//! bans (staff), reports (anyone). Rights are checked twice: by phase and role in `shared`
//! before dispatch, and here against the target (nobody acts on staff; guides not on guides).

use stadtlab_shared::protocol::domain::moderation::clean_reason;
use stadtlab_shared::protocol::{
    ModerationCmd, ModerationMsg, ModerationRefusal, RejectReason, Role, ServerMsg,
};

use super::{Actor, GameEvent, Out, Outbox};
use crate::game::instance::Instance;

/// How a room's moderation is set up.
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    /// Minutes a removed person is refused.
    pub removal_minutes: u16,
}

fn refuse(out: &mut Outbox, actor: &Actor, reason: ModerationRefusal) {
    out.to(
        actor.avatar,
        ServerMsg::Moderation(ModerationMsg::Refused { reason }),
    );
}

pub fn handle(
    inst: &mut Instance,
    actor: &Actor,
    cmd: ModerationCmd,
    rules: Rules,
    out: &mut Outbox,
) {
    let room_name = inst.room.name.clone();
    let room_id = inst.id;
    let target_id = cmd.target();
    let actor_name = match inst.room.avatar(actor.avatar) {
        Some(a) => a.name.clone(),
        None => return,
    };
    let Some(target) = inst.room.avatar(target_id) else {
        return refuse(out, actor, ModerationRefusal::NoSuchPerson);
    };
    let reason = match &cmd {
        ModerationCmd::Remove { reason, .. }
        | ModerationCmd::Ban { reason, .. }
        | ModerationCmd::Report { reason, .. } => match clean_reason(reason) {
            Some(r) => r,
            None => return refuse(out, actor, ModerationRefusal::BadReason),
        },
        ModerationCmd::MuteChat { .. } | ModerationCmd::MuteVoice { .. } => String::new(),
    };
    let is_report = matches!(cmd, ModerationCmd::Report { .. });
    let action = cmd.action();
    let protected =
        target.role == Role::Staff || (target.role >= actor.role && actor.role < Role::Staff);
    if !is_report && (protected || target_id == actor.avatar) {
        return refuse(out, actor, ModerationRefusal::Protected);
    }
    let target_name = target.name.clone();
    let audit = GameEvent::Audit {
        room: room_name.clone(),
        actor: actor_name.clone(),
        actor_role: actor.role,
        action,
        target: target_name.clone(),
        reason: reason.clone(),
    };
    match cmd {
        ModerationCmd::Report { .. } => {
            // Reports draw on the reporter's chat allowance: a flood of them is refused.
            let allowed = inst
                .room
                .avatar_mut(actor.avatar)
                .is_some_and(|a| a.chat.try_take(std::time::Instant::now()));
            if !allowed {
                return refuse(out, actor, ModerationRefusal::TooMany);
            }
            let chat = inst.room.recent_chat.iter().cloned().collect();
            out.event(GameEvent::Reported {
                room: room_name,
                reporter: actor_name,
                target: target_name,
                reason,
                chat,
            });
            out.event(audit);
            out.to(actor.avatar, ServerMsg::Moderation(ModerationMsg::Reported));
            return;
        }
        ModerationCmd::MuteChat { muted, .. } => {
            if let Some(t) = inst.room.avatar_mut(target_id) {
                t.chat_muted_by = muted.then(|| actor_name.clone());
            }
            out.to(
                target_id,
                ServerMsg::Moderation(ModerationMsg::ChatMuted {
                    muted,
                    by: actor_name,
                }),
            );
        }
        ModerationCmd::MuteVoice { muted, .. } => {
            set_voice_muted(inst, target_id, muted, actor_name, out);
        }
        ModerationCmd::Remove { .. } => {
            out.event(GameEvent::Removed {
                room: room_id,
                device_hash: target.device_hash.clone(),
                session: target.session.clone(),
                minutes: rules.removal_minutes,
            });
            out.0.push(Out::Remove {
                avatar: target_id,
                reason: RejectReason::Removed {
                    minutes: rules.removal_minutes,
                    reason: reason.clone(),
                },
            });
        }
        ModerationCmd::Ban { .. } => {
            out.event(GameEvent::Banned {
                id: crate::http::auth::new_token()[..16].to_string(),
                name: target_name,
                device_hash: target.device_hash.clone(),
                network: target.origin,
                reason: reason.clone(),
                by: actor_name,
            });
            out.0.push(Out::Remove {
                avatar: target_id,
                reason: RejectReason::Banned { reason },
            });
        }
    }
    out.event(audit);
    out.to(
        actor.avatar,
        ServerMsg::Moderation(ModerationMsg::Done {
            action: action.to_string(),
            target: target_id,
        }),
    );
}

/// Mutes or allows someone's voice (`by`: the moderator's name). Enforced in the SFU: nothing
/// of theirs is forwarded, whatever their client does; they are told by whom. Allowing never
/// turns a microphone on.
pub fn set_voice_muted(
    inst: &mut Instance,
    target_id: u16,
    muted: bool,
    by: String,
    out: &mut Outbox,
) {
    let Some(t) = inst.room.avatar_mut(target_id) else {
        return;
    };
    t.voice.muted_by = muted.then(|| by.clone());
    if muted {
        t.voice.talking = false;
        if inst.room.broadcast == Some(target_id) {
            inst.room.broadcast = None;
        }
    }
    out.0.push(Out::Sfu(crate::voice::SfuCmd::Block {
        key: crate::voice::PeerKey {
            room: inst.id,
            avatar: target_id,
        },
        blocked: muted,
    }));
    out.to(
        target_id,
        ServerMsg::Voice(stadtlab_shared::protocol::VoiceMsg::Muted { muted, by }),
    );
}
