//! The game loop's side of voice: what the SFU reports (answers, refusals, who is talking,
//! peers that are gone) and, every few ticks, the plan of which speaker each listener's
//! receive slots carry (`voice::slots`), sent to the SFU and to the listener ("slot i is
//! avatar X"). Channels only: the tick never waits for the SFU.

use stadtlab_shared::protocol::domain::stage::TALK_HEARING_RADIUS_M;
use stadtlab_shared::protocol::domain::voice::{HEARING_RADIUS_M, SPATIAL_SLOTS};
use stadtlab_shared::protocol::{ServerMsg, StageMsg, VoiceMsg};

use super::Game;
use super::handlers::{Outbox, stage};
use crate::voice::slots::{self, Speaker};
use crate::voice::{PeerKey, SfuCmd, SfuEvent};

/// Plans every 100 ms at 30 Hz: quick enough to follow walking, cheap for 1,000 listeners.
const PLAN_EVERY_TICKS: u32 = 3;

impl Game {
    pub(super) fn tell_sfu(&mut self, cmd: SfuCmd) {
        if let Some(voice) = &self.voice {
            let _ = voice.commands.send(cmd);
        }
    }

    pub(super) fn voice_tick(&mut self) {
        let Some(voice) = &self.voice else {
            return;
        };
        let events: Vec<SfuEvent> = voice.events.try_iter().collect();
        for event in events {
            self.sfu_event(event);
        }
        if !self.tick.is_multiple_of(PLAN_EVERY_TICKS) {
            return;
        }
        let mut plans = Vec::new();
        let mut talks = Vec::new();
        for inst in self.rooms.values_mut() {
            // The floor and the console go with their connections.
            let gone = |id: u16| inst.room.avatar(id).is_none_or(|a| a.client.is_none());
            if inst.stage.floor.is_some_and(gone) {
                inst.stage.floor = None;
            }
            if inst.stage.console.is_some_and(gone) {
                inst.stage.console = None;
            }
            // Who the hall hears changed (someone stepped onto the stage, the floor moved).
            let on_air = stage::on_air(inst);
            if on_air != inst.stage.on_air {
                inst.stage.on_air = on_air;
                talks.push((inst.id, stage::talk_state(inst)));
            }
            let stage_voice = inst.stage.on_air.clone();
            let console = inst.stage.console;
            let radius = if inst.stage.running {
                TALK_HEARING_RADIUS_M
            } else {
                HEARING_RADIUS_M
            };
            let room = &mut inst.room;
            let speakers: Vec<Speaker> = room
                .avatars
                .iter()
                .flatten()
                .filter(|a| a.voice.joined && a.voice.muted_by.is_none() && a.client.is_some())
                .map(|a| Speaker {
                    avatar: a.id,
                    pos: a.motion.pos,
                    talking: a.voice.talking,
                })
                .collect();
            // The broadcast slot: the guide speaking to the class; else the stage (whoever of
            // those on air talks; the floor first). Chosen per listener among the others: the
            // console and the floor holder, both on air, each hear the other.
            let guide = room
                .broadcast
                .filter(|b| speakers.iter().any(|s| s.avatar == *b));
            let broadcast_for = |listener: u16| {
                guide.filter(|g| *g != listener).or_else(|| {
                    let live =
                        |id: &&u16| **id != listener && speakers.iter().any(|s| s.avatar == **id);
                    let talking = |id: &&u16| {
                        live(id) && speakers.iter().any(|s| s.avatar == **id && s.talking)
                    };
                    stage_voice
                        .iter()
                        .find(talking)
                        .or_else(|| stage_voice.iter().find(live))
                        .copied()
                })
            };
            for listener in room.avatars.iter_mut().flatten() {
                if !listener.voice.joined || listener.client.is_none() {
                    continue;
                }
                let broadcast = broadcast_for(listener.id);
                // The console plays through the hall's loudspeakers: only what is on air.
                let mut next = if Some(listener.id) == console {
                    vec![None; SPATIAL_SLOTS]
                } else {
                    slots::assign(
                        listener.id,
                        listener.motion.pos,
                        listener.voice.spatial(),
                        &speakers,
                        broadcast,
                        radius,
                    )
                };
                next.push(broadcast);
                if next != listener.voice.slots {
                    listener.voice.slots = next.clone();
                    plans.push((inst.id, listener.id, listener.client, next));
                }
            }
        }
        for (room, talk) in talks {
            let mut out = Outbox::default();
            out.all(ServerMsg::Stage(StageMsg::Talk(talk)));
            self.deliver(room, out);
        }
        for (room, avatar, client, next) in plans {
            self.tell_sfu(SfuCmd::Plan {
                key: PeerKey { room, avatar },
                slots: next
                    .iter()
                    .map(|s| s.map(|avatar| PeerKey { room, avatar }))
                    .collect(),
            });
            if let Some(client) = client {
                self.send(
                    client,
                    &ServerMsg::Voice(VoiceMsg::Slots {
                        spatial: next[..SPATIAL_SLOTS].to_vec(),
                        broadcast: next[SPATIAL_SLOTS],
                    }),
                );
            }
        }
    }

    fn sfu_event(&mut self, event: SfuEvent) {
        let key = match &event {
            SfuEvent::Answer { key, .. }
            | SfuEvent::Refused { key, .. }
            | SfuEvent::Talking { key, .. }
            | SfuEvent::Gone { key } => *key,
        };
        let Some(avatar) = self
            .rooms
            .get_mut(&key.room)
            .and_then(|i| i.room.avatar_mut(key.avatar))
        else {
            return;
        };
        let client = avatar.client;
        let reply = match event {
            SfuEvent::Answer { sdp, .. } => {
                avatar.voice.joined = true;
                Some(VoiceMsg::Answer { sdp })
            }
            SfuEvent::Refused { reason, .. } => Some(VoiceMsg::Refused { reason }),
            SfuEvent::Talking { talking, .. } => {
                avatar.voice.talking = talking && avatar.voice.muted_by.is_none();
                None
            }
            SfuEvent::Gone { .. } => {
                avatar.voice.joined = false;
                avatar.voice.talking = false;
                None
            }
        };
        if let (Some(client), Some(reply)) = (client, reply) {
            self.send(client, &ServerMsg::Voice(reply));
        }
    }
}
