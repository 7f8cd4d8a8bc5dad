//! Who is in the room: what a newcomer is told, and what everyone else hears of them.

use stadtlab_shared::protocol::{
    ExhibitMsg, PROTOCOL_VERSION, PresenceMsg, Role, ServerMsg, StageMsg, TourMsg,
};

use super::{Outbox, tour};
use crate::game::instance::Instance;

/// Everything an avatar needs after entering (or re-entering) the room.
pub fn welcome(inst: &Instance, you: u16, tick: u32, tick_hz: u16, out: &mut Outbox) {
    let room = &inst.room;
    let Some(me) = room.avatar(you) else {
        return;
    };
    out.to(
        you,
        ServerMsg::Welcome {
            protocol: PROTOCOL_VERSION,
            you,
            room: room.name.clone(),
            scene: room.scene.name.clone(),
            tick_hz,
            tick,
            role: me.role,
            visit: inst.visit.as_ref().map(|v| v.title.clone()),
        },
    );
    out.to(
        you,
        ServerMsg::Presence(PresenceMsg::Everyone {
            people: room.presence(),
        }),
    );
    out.to(
        you,
        ServerMsg::Exhibits(ExhibitMsg::All {
            exhibits: room.exhibits.by_id.values().cloned().collect(),
        }),
    );
    if let Some(visit) = &inst.visit {
        out.to(you, ServerMsg::Tour(TourMsg::State(tour::state(inst))));
        // Late joiners hear the warning too.
        let left = visit
            .ends_at
            .saturating_duration_since(std::time::Instant::now());
        if visit.warned || left <= tour::WARNING_BEFORE_END {
            out.to(
                you,
                ServerMsg::Tour(TourMsg::EndsSoon {
                    seconds: left.as_secs() as u32,
                }),
            );
        }
    }
    // A talk in progress, and (after a reconnect) the hand still raised and the hosts' queue.
    if inst.room.scene.has_stage() {
        let stage = &inst.stage;
        if stage.running || !stage.on_air.is_empty() {
            out.to(
                you,
                ServerMsg::Stage(StageMsg::Talk(super::stage::talk_state(inst))),
            );
        }
        for q in stage.ranked() {
            out.to(you, ServerMsg::Stage(StageMsg::Question(q)));
        }
        if stage.slides.is_some() {
            out.to(
                you,
                ServerMsg::Stage(StageMsg::Slides(stage.slides.clone())),
            );
        }
        if stage.on_screen.is_some() {
            out.to(
                you,
                ServerMsg::Stage(StageMsg::OnScreen {
                    question: stage.on_screen,
                }),
            );
        }
        if let Some(place) = stage.place(&me.session) {
            out.to(
                you,
                ServerMsg::Stage(StageMsg::YourHand { place: Some(place) }),
            );
        }
        if me.role == Role::Staff {
            out.to(
                you,
                ServerMsg::Stage(StageMsg::Hands {
                    queue: super::stage::queue(inst, std::time::Instant::now()),
                }),
            );
        }
    }
}

/// Tells the others that `id` arrived (or came back from being away).
pub fn arrived(inst: &Instance, id: u16, returning: bool, out: &mut Outbox) {
    let msg = if returning {
        PresenceMsg::Back { id }
    } else {
        match inst.room.avatar(id) {
            Some(a) => PresenceMsg::Joined {
                person: a.presence(),
            },
            None => return,
        }
    };
    out.0.push(super::Out::All {
        msg: ServerMsg::Presence(msg),
        except: Some(id),
    });
}
