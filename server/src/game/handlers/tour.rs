//! Class visits: the guide's tools (follow, gather, hold still, look here, lock, pupils'
//! chat), the visit's clock (a warning before the end, then closing), and the state everyone
//! in the visit sees.

use std::time::{Duration, Instant};

use stadtlab_shared::protocol::{
    RejectReason, Role, ServerMsg, TourCmd, TourMsg, TourRefusal, TourState,
};

use super::{Actor, GameEvent, Out, Outbox};
use crate::game::follow::Follow;
use crate::game::instance::Instance;

/// Everyone is warned this long before a visit closes.
pub const WARNING_BEFORE_END: Duration = Duration::from_secs(5 * 60);

/// The visit's switches as the clients show them.
pub fn state(inst: &Instance) -> TourState {
    let room = &inst.room;
    let guide = room.follow.as_ref().map(|f| f.guide).or_else(|| {
        room.avatars
            .iter()
            .flatten()
            .find(|a| a.role == Role::Guide && a.client.is_some())
            .map(|a| a.id)
    });
    TourState {
        guide,
        follow: room.follow.is_some(),
        hold: room.hold,
        locked: inst.visit.as_ref().is_some_and(|v| v.locked),
        pupil_chat: inst.visit.as_ref().is_none_or(|v| v.pupil_chat),
        followers: room.followers(),
        broadcast: room.broadcast,
    }
}

fn refuse(out: &mut Outbox, actor: &Actor, reason: TourRefusal) {
    out.to(actor.avatar, ServerMsg::Tour(TourMsg::Refused { reason }));
}

pub fn handle(inst: &mut Instance, actor: &Actor, cmd: TourCmd, out: &mut Outbox) {
    let Some(visit) = inst.visit.as_mut() else {
        return refuse(out, actor, TourRefusal::NotAVisit);
    };
    let room = &mut inst.room;
    // Switches that hold the class back are in the audit log, like moderation: who locked
    // the room or silenced the pupils, and when.
    let audited = match cmd {
        TourCmd::Hold { on } => Some(if on { "hold" } else { "release" }),
        TourCmd::Lock { on } => Some(if on { "lock" } else { "unlock" }),
        TourCmd::PupilChat { on } => Some(if on {
            "pupil_chat_on"
        } else {
            "pupil_chat_off"
        }),
        _ => None,
    };
    if let Some(action) = audited {
        out.event(GameEvent::Audit {
            room: room.name.clone(),
            actor: room
                .avatar(actor.avatar)
                .map(|a| a.name.clone())
                .unwrap_or_default(),
            actor_role: actor.role,
            action,
            target: visit.title.clone(),
            reason: String::new(),
        });
    }
    match cmd {
        TourCmd::Follow { on } => {
            let at = room.avatar(actor.avatar).map(|a| a.motion.pos);
            room.follow = at.filter(|_| on).map(|at| Follow::new(actor.avatar, at));
            for a in room.avatars.iter_mut().flatten() {
                a.following = on && a.role == Role::Visitor;
            }
        }
        TourCmd::Gather => {
            for id in room.gather(actor.avatar) {
                out.to(id, ServerMsg::Tour(TourMsg::Gathered));
            }
        }
        TourCmd::Hold { on } => room.hold = on,
        TourCmd::LookHere { exhibit } => {
            if let Some(id) = &exhibit
                && !room.exhibits.by_id.contains_key(id)
            {
                return refuse(out, actor, TourRefusal::NoSuchExhibit);
            }
            out.all(ServerMsg::Tour(TourMsg::LookHere { exhibit }));
            return;
        }
        TourCmd::Lock { on } => {
            visit.locked = on;
            out.event(GameEvent::Locked {
                room: inst.id,
                locked: on,
            });
        }
        TourCmd::PupilChat { on } => visit.pupil_chat = on,
        TourCmd::FollowAgain => {
            if room.follow.is_none() {
                return refuse(out, actor, TourRefusal::NotFollowing);
            }
            if let Some(a) = room.avatar_mut(actor.avatar) {
                a.following = true;
            }
        }
    }
    out.all(ServerMsg::Tour(TourMsg::State(state(inst))));
}

/// The visit's clock: one warning when the end is near, then everyone is shown out.
/// Returns true when the visit is over (the instance closes).
pub fn clock(inst: &mut Instance, now: Instant, out: &mut Outbox) -> bool {
    let Some(visit) = inst.visit.as_mut() else {
        return false;
    };
    let left = visit.ends_at.saturating_duration_since(now);
    if left.is_zero() {
        for a in inst.room.avatars.iter().flatten() {
            out.0.push(Out::Remove {
                avatar: a.id,
                reason: RejectReason::VisitEnded,
            });
        }
        return true;
    }
    if !visit.warned && left <= WARNING_BEFORE_END {
        visit.warned = true;
        out.all(ServerMsg::Tour(TourMsg::EndsSoon {
            seconds: left.as_secs() as u32,
        }));
    }
    false
}
