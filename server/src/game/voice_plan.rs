//! The game loop's side of voice: what the SFU reports (answers, refusals, who is talking,
//! peers that are gone) and, every few ticks, the plan of which speaker each listener's
//! receive slots carry (`voice::slots`), sent to the SFU and to the listener ("slot i is
//! avatar X"). Channels only: the tick never waits for the SFU.

use stadtlab_shared::protocol::domain::voice::SPATIAL_SLOTS;
use stadtlab_shared::protocol::{ServerMsg, VoiceMsg};

use super::Game;
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
        for inst in self.rooms.values_mut() {
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
            let broadcast = room
                .broadcast
                .filter(|b| speakers.iter().any(|s| s.avatar == *b));
            for listener in room.avatars.iter_mut().flatten() {
                if !listener.voice.joined || listener.client.is_none() {
                    continue;
                }
                let mut next = slots::assign(
                    listener.id,
                    listener.motion.pos,
                    listener.voice.spatial(),
                    &speakers,
                    broadcast,
                );
                next.push(broadcast.filter(|b| *b != listener.id));
                if next != listener.voice.slots {
                    listener.voice.slots = next.clone();
                    plans.push((inst.id, listener.id, listener.client, next));
                }
            }
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
