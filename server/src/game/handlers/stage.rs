//! Talks: raising and lowering hands, the floor (offered by a host, taken only with the
//! person's yes, taken back by a host), talk mode, written questions with votes and the one on
//! the screen, and the hosts' mute-all and ask-to-unmute.
//! Who the hall hears follows from this in `game::voice_plan`.

use std::time::Instant;

use stadtlab_shared::protocol::domain::stage::{RaisedHand, StageMsg, StageRefusal, TalkState};
use stadtlab_shared::protocol::{Role, ServerMsg, StageCmd};

use super::closing;
use super::moderation::set_voice_muted;
use super::{Actor, Outbox};
use crate::game::commands::{ProgrammeTalk, StageChange};
use crate::game::instance::Instance;

fn refuse(out: &mut Outbox, actor: &Actor, reason: StageRefusal) {
    out.to(actor.avatar, ServerMsg::Stage(StageMsg::Refused { reason }));
}

/// Whether `avatar` stands on the room's stage.
pub fn on_stage(inst: &Instance, avatar: u16) -> bool {
    inst.room.avatar(avatar).is_some_and(|a| {
        inst.room
            .scene
            .on_stage(glam::Vec2::new(a.motion.pos.x, a.motion.pos.z))
    })
}

/// Everyone the hall hears now: the floor holder, the lab's console and staff on the stage.
pub fn on_air(inst: &Instance) -> Vec<u16> {
    let mut list: Vec<u16> = inst.stage.floor.into_iter().collect();
    list.extend(inst.stage.console.filter(|c| Some(*c) != inst.stage.floor));
    list.extend(
        inst.room
            .avatars
            .iter()
            .flatten()
            .filter(|a| {
                a.role == Role::Staff
                    && a.client.is_some()
                    && Some(a.id) != inst.stage.floor
                    && Some(a.id) != inst.stage.console
            })
            .filter(|a| on_stage(inst, a.id))
            .map(|a| a.id),
    );
    list
}

pub fn talk_state(inst: &Instance) -> TalkState {
    TalkState {
        running: inst.stage.running,
        floor: inst.stage.floor,
        on_air: inst.stage.on_air.clone(),
        console: inst.stage.console,
    }
}

/// The queue as hosts see it: present people only, in order of raising.
pub fn queue(inst: &Instance, now: Instant) -> Vec<RaisedHand> {
    inst.stage
        .hands
        .iter()
        .filter_map(|h| {
            let id = inst.room.find_session(&h.session)?;
            let a = inst.room.avatar(id)?;
            Some(RaisedHand {
                avatar: id,
                name: a.name.clone(),
                waiting_s: now.duration_since(h.raised_at).as_secs() as u32,
            })
        })
        .collect()
}

/// Tells every host the queue, and every raiser their place.
pub fn tell_hands(inst: &Instance, out: &mut Outbox) {
    let now = Instant::now();
    let hands = queue(inst, now);
    for a in inst.room.avatars.iter().flatten() {
        if a.role == Role::Staff {
            out.to(
                a.id,
                ServerMsg::Stage(StageMsg::Hands {
                    queue: hands.clone(),
                }),
            );
        }
    }
    for (i, hand) in hands.iter().enumerate() {
        out.to(
            hand.avatar,
            ServerMsg::Stage(StageMsg::YourHand {
                place: Some(i as u16 + 1),
            }),
        );
    }
}

fn tell_talk(inst: &Instance, out: &mut Outbox) {
    out.all(ServerMsg::Stage(StageMsg::Talk(talk_state(inst))));
}

/// Sets talk mode; off ends the talk (floor, offer, hands and questions go) and asks the
/// closing question.
fn set_talk(inst: &mut Instance, on: bool, programme: Option<ProgrammeTalk>, out: &mut Outbox) {
    if on {
        closing::start_talk(inst, programme, out);
        inst.stage.running = true;
    } else {
        let talk = inst.stage.talk.take();
        // Hands still up go down with the talk: their owners are told.
        for hand in queue(inst, Instant::now()) {
            out.to(
                hand.avatar,
                ServerMsg::Stage(StageMsg::YourHand { place: None }),
            );
        }
        inst.stage.end();
        inst.stage.on_air = on_air(inst);
        tell_hands(inst, out);
        if let Some(talk) = talk {
            closing::ask(inst, talk, out);
        }
    }
    tell_talk(inst, out);
}

/// A change from outside the room (staff on the web, the programme's clock).
pub fn apply_change(inst: &mut Instance, change: StageChange, out: &mut Outbox) {
    if !inst.room.scene.has_stage() {
        return;
    }
    match change {
        StageChange::Talk { on, programme } => set_talk(inst, on, programme, out),
        StageChange::Slides(slides) => {
            inst.stage.slides = slides.clone();
            out.all(ServerMsg::Stage(StageMsg::Slides(slides)));
        }
        StageChange::Page(page) => {
            if let Some(slides) = inst.stage.slides.as_mut()
                && (1..=slides.pages).contains(&page)
            {
                slides.page = page;
                out.all(ServerMsg::Stage(StageMsg::Slides(Some(slides.clone()))));
            }
        }
    }
}

pub fn handle(inst: &mut Instance, actor: &Actor, cmd: StageCmd, out: &mut Outbox) {
    if !inst.room.scene.has_stage() {
        return refuse(out, actor, StageRefusal::NoStage);
    }
    let Some(me) = inst.room.avatar(actor.avatar) else {
        return;
    };
    let (my_session, my_name) = (me.session.clone(), me.name.clone());
    let now = Instant::now();
    match cmd {
        StageCmd::RaiseHand => {
            if !inst.stage.raise(&my_session, now) {
                return refuse(out, actor, StageRefusal::QueueFull);
            }
            tell_hands(inst, out);
        }
        StageCmd::LowerHand => {
            if inst.stage.lower(&my_session) {
                out.to(
                    actor.avatar,
                    ServerMsg::Stage(StageMsg::YourHand { place: None }),
                );
                tell_hands(inst, out);
            }
        }
        StageCmd::AnswerFloor { accept } => {
            if inst.stage.offered != Some(actor.avatar) {
                return refuse(out, actor, StageRefusal::NotOffered);
            }
            inst.stage.offered = None;
            if accept {
                inst.stage.floor = Some(actor.avatar);
                // A hand is lowered once its turn has come.
                if inst.stage.lower(&my_session) {
                    out.to(
                        actor.avatar,
                        ServerMsg::Stage(StageMsg::YourHand { place: None }),
                    );
                }
                inst.stage.on_air = on_air(inst);
                tell_talk(inst, out);
            }
            for a in inst
                .room
                .avatars
                .iter()
                .flatten()
                .filter(|a| a.role == Role::Staff)
            {
                out.to(
                    a.id,
                    ServerMsg::Stage(StageMsg::FloorAnswered {
                        avatar: actor.avatar,
                        accepted: accept,
                    }),
                );
            }
            tell_hands(inst, out);
        }
        StageCmd::Ask { text } => {
            let Ok(text) = stadtlab_shared::chat::validate_chat_message(&text) else {
                return refuse(out, actor, StageRefusal::BadQuestion);
            };
            // Questions draw on the asker's chat allowance: a flood is refused.
            let allowed = inst
                .room
                .avatar_mut(actor.avatar)
                .is_some_and(|a| a.chat.try_take(now));
            if !allowed {
                return refuse(out, actor, StageRefusal::TooManyQuestions);
            }
            match inst.stage.ask(&my_session, &my_name, text) {
                Ok(q) => out.all(ServerMsg::Stage(StageMsg::Question(q))),
                Err(_) => refuse(out, actor, StageRefusal::TooManyQuestions),
            }
        }
        StageCmd::Upvote { question } => match inst.stage.upvote(&my_session, question) {
            None => refuse(out, actor, StageRefusal::NoSuchQuestion),
            Some((q, true)) => out.all(ServerMsg::Stage(StageMsg::Question(q))),
            Some((_, false)) => {}
        },
        StageCmd::Learned { answer } => closing::learned(inst, actor, answer, out),
        StageCmd::Answer { text } => closing::free_answer(inst, actor, &text, out),
        // Hosts only from here (checked by role before dispatch as well).
        _ if actor.role < Role::Staff => refuse(out, actor, StageRefusal::NotAllowed),
        StageCmd::Talk { on } => set_talk(inst, on, None, out),
        StageCmd::GiveFloor { avatar } => {
            if inst.room.avatar(avatar).is_none() {
                return refuse(out, actor, StageRefusal::NoSuchPerson);
            }
            // Asked, never put on air without a yes.
            inst.stage.offered = Some(avatar);
            out.to(
                avatar,
                ServerMsg::Stage(StageMsg::FloorOffered { by: my_name }),
            );
        }
        StageCmd::TakeFloor => {
            inst.stage.floor = None;
            inst.stage.offered = None;
            inst.stage.on_air = on_air(inst);
            tell_talk(inst, out);
        }
        StageCmd::LowerHandOf { avatar } => {
            let Some(session) = inst.room.avatar(avatar).map(|a| a.session.clone()) else {
                return refuse(out, actor, StageRefusal::NoSuchPerson);
            };
            if inst.stage.lower(&session) {
                out.to(avatar, ServerMsg::Stage(StageMsg::YourHand { place: None }));
            }
            tell_hands(inst, out);
        }
        StageCmd::LowerAllHands => {
            let raised: Vec<u16> = queue(inst, now).iter().map(|h| h.avatar).collect();
            inst.stage.hands.clear();
            for avatar in raised {
                out.to(avatar, ServerMsg::Stage(StageMsg::YourHand { place: None }));
            }
            tell_hands(inst, out);
        }
        StageCmd::MuteAllButStage => {
            let air = on_air(inst);
            let targets: Vec<u16> = inst
                .room
                .avatars
                .iter()
                .flatten()
                .filter(|a| a.role < Role::Staff && !air.contains(&a.id))
                .filter(|a| a.voice.muted_by.is_none())
                .map(|a| a.id)
                .collect();
            for target in targets {
                set_voice_muted(inst, target, true, my_name.clone(), out);
            }
        }
        StageCmd::ShowQuestion { question } => {
            if let Some(id) = question
                && inst.stage.question_mut(id).is_none()
            {
                return refuse(out, actor, StageRefusal::NoSuchQuestion);
            }
            inst.stage.on_screen = question;
            out.all(ServerMsg::Stage(StageMsg::OnScreen { question }));
        }
        StageCmd::MarkAnswered { question } => {
            let Some(q) = inst.stage.question_mut(question) else {
                return refuse(out, actor, StageRefusal::NoSuchQuestion);
            };
            q.answered = true;
            let q = q.clone();
            out.all(ServerMsg::Stage(StageMsg::Question(q)));
        }
        StageCmd::Console { on } => {
            inst.stage.console = if on {
                Some(actor.avatar)
            } else {
                inst.stage.console.filter(|c| *c != actor.avatar)
            };
            inst.stage.on_air = on_air(inst);
            tell_talk(inst, out);
        }
        StageCmd::Page { page } => {
            let Some(slides) = inst.stage.slides.as_mut() else {
                return refuse(out, actor, StageRefusal::NoSuchPage);
            };
            if page == 0 || page > slides.pages {
                return refuse(out, actor, StageRefusal::NoSuchPage);
            }
            slides.page = page;
            out.all(ServerMsg::Stage(StageMsg::Slides(Some(slides.clone()))));
        }
        StageCmd::HeadCount { people } => closing::head_count(inst, actor, people, out),
        StageCmd::AskUnmute { avatar } => {
            let Some(muted) = inst.room.avatar(avatar).map(|a| a.voice.muted_by.is_some()) else {
                return refuse(out, actor, StageRefusal::NoSuchPerson);
            };
            // A mute from the server is lifted; the microphone stays as its owner set it.
            if muted {
                set_voice_muted(inst, avatar, false, my_name.clone(), out);
            }
            out.to(
                avatar,
                ServerMsg::Stage(StageMsg::UnmuteAsked { by: my_name }),
            );
        }
    }
}
