//! Reliable control messages from clients: decoded, checked by phase and role (`shared`),
//! then handed to the room's per-domain handlers. The handshake lives here.

use std::time::Instant;

use stadtlab_shared::chat::ChatError;
use stadtlab_shared::protocol::{
    ClientMsg, Illegal, ModerationMsg, ModerationRefusal, PROTOCOL_VERSION, Phase as WirePhase,
    PresenceMsg, RejectReason, Role, ServerMsg, StageMsg, StageRefusal, TourMsg, TourRefusal,
    VoiceMsg, VoiceRefusal, channel, decode, limits,
};

use super::handlers::{
    Actor, Out, Outbox, chat, exhibits, moderation, presence, stage, tour, voice,
};
use super::link::Phase;
use super::{Game, RoomId};

impl Game {
    pub(super) fn receive_messages(&mut self) {
        let ids: Vec<u64> = self.links.keys().copied().collect();
        for client_id in ids {
            while let Some(bytes) = self.renet.receive_message(client_id, channel::CONTROL) {
                match decode::<ClientMsg>(&bytes, limits::MAX_CLIENT_CONTROL_BYTES) {
                    Ok(msg) => self.handle_control(client_id, msg),
                    Err(e) => {
                        tracing::debug!(client_id, error = %e, "malformed control message");
                        self.metrics.reject("malformed_control");
                        self.strike(client_id);
                    }
                }
            }
            self.receive_inputs(client_id);
        }
    }

    /// Counts a strike; too many and the client is told to go.
    pub(super) fn strike(&mut self, client_id: u64) {
        let Some(link) = self.links.get_mut(&client_id) else {
            return;
        };
        if matches!(link.phase, Phase::Closing { .. }) {
            return;
        }
        if link.strike() {
            tracing::info!(client_id, "disconnecting a misbehaving client");
            self.metrics.reject("misbehaving_disconnect");
            self.reject(client_id, RejectReason::Misbehaving);
        }
    }

    fn handle_control(&mut self, client_id: u64, msg: ClientMsg) {
        let Some(link) = self.links.get(&client_id) else {
            return;
        };
        let (phase, avatar) = match link.phase {
            Phase::Closing { .. } => return,
            Phase::AwaitingHello { .. } => (WirePhase::Handshake, None),
            Phase::InRoom { avatar } => (WirePhase::InRoom, Some(avatar)),
        };
        let room = link.room;
        if let Err(illegal) = msg.verify(phase, link.role) {
            // Hello twice, chat before the handshake, a visitor's ban.
            self.metrics.reject(match illegal {
                Illegal::OutOfPhase => "out_of_phase",
                Illegal::NotAllowed => "not_allowed",
            });
            // Say why (a real client shows it), and count it: crafted clients get cut off.
            let answer = match (&msg, illegal) {
                (ClientMsg::Moderation(_), Illegal::NotAllowed) => {
                    Some(ServerMsg::Moderation(ModerationMsg::Refused {
                        reason: ModerationRefusal::NotAllowed,
                    }))
                }
                (ClientMsg::Tour(_), Illegal::NotAllowed) => {
                    Some(ServerMsg::Tour(TourMsg::Refused {
                        reason: TourRefusal::NotAllowed,
                    }))
                }
                (ClientMsg::Stage(_), Illegal::NotAllowed) => {
                    Some(ServerMsg::Stage(StageMsg::Refused {
                        reason: StageRefusal::NotAllowed,
                    }))
                }
                (ClientMsg::Voice(_), Illegal::NotAllowed) => {
                    Some(ServerMsg::Voice(VoiceMsg::Refused {
                        reason: VoiceRefusal::NotAllowed,
                    }))
                }
                _ => None,
            };
            if let Some(answer) = answer {
                self.send(client_id, &answer);
            }
            self.strike(client_id);
            return;
        }
        let actor = avatar.map(|avatar| Actor {
            avatar,
            role: link.role,
        });
        let mut out = Outbox::default();
        match (msg, actor) {
            (ClientMsg::Hello { protocol, .. }, _) => return self.hello(client_id, protocol),
            (ClientMsg::Leave, _) => return self.reject(client_id, RejectReason::Left),
            (_, None) => return, // Excluded by `verify`; never a panic on input.
            (ClientMsg::Chat(cmd), Some(actor)) => {
                let Some(inst) = self.rooms.get_mut(&room) else {
                    return;
                };
                if let Some(reason) = chat::handle(inst, &actor, cmd, Instant::now(), &mut out) {
                    self.metrics.reject(match reason {
                        ChatError::RateLimited | ChatError::RoomBusy => "chat_rate",
                        ChatError::Muted | ChatError::PupilChatOff => "chat_muted",
                        _ => "chat_invalid",
                    });
                    if matches!(reason, ChatError::ControlCharacters | ChatError::TooLong) {
                        // A real client checks these before sending: a crafted message.
                        self.strike(client_id);
                    }
                }
            }
            (ClientMsg::Moderation(cmd), Some(actor)) => {
                let rules = moderation::Rules {
                    removal_minutes: self.config.removal_minutes,
                };
                if let Some(inst) = self.rooms.get_mut(&room) {
                    moderation::handle(inst, &actor, cmd, rules, &mut out);
                }
            }
            (ClientMsg::Tour(cmd), Some(actor)) => {
                if let Some(inst) = self.rooms.get_mut(&room) {
                    tour::handle(inst, &actor, cmd, &mut out);
                }
            }
            (ClientMsg::Stage(cmd), Some(actor)) => {
                if let Some(inst) = self.rooms.get_mut(&room) {
                    stage::handle(inst, &actor, cmd, &mut out);
                }
            }
            (ClientMsg::Exhibit(cmd), Some(actor)) => {
                if let Some(inst) = self.rooms.get_mut(&room) {
                    exhibits::handle(inst, &actor, cmd, &mut out);
                }
            }
            (ClientMsg::Voice(cmd), Some(actor)) => {
                let enabled = self.voice.is_some();
                if let Some(inst) = self.rooms.get_mut(&room) {
                    voice::handle(inst, &actor, cmd, enabled, &mut out);
                }
                // A refused offer is a crafted or broken client: counted like other bad input.
                if out.0.iter().any(|o| {
                    matches!(
                        o,
                        Out::To(
                            _,
                            ServerMsg::Voice(VoiceMsg::Refused {
                                reason: VoiceRefusal::BadOffer
                                    | VoiceRefusal::TooLarge
                                    | VoiceRefusal::NotAudioOnly
                            })
                        )
                    )
                }) {
                    self.metrics.reject("voice_offer");
                }
            }
        }
        self.deliver(room, out);
    }

    fn hello(&mut self, client_id: u64, protocol: u16) {
        if protocol != PROTOCOL_VERSION {
            self.metrics.reject("version_mismatch");
            self.reject(
                client_id,
                RejectReason::VersionMismatch {
                    server: PROTOCOL_VERSION,
                    client: protocol,
                },
            );
            return;
        }
        let Some(link) = self.links.get_mut(&client_id) else {
            return;
        };
        let Phase::AwaitingHello { seat, .. } = &link.phase else {
            return;
        };
        let seat = seat.clone();
        let room_id = link.room;
        let Some(inst) = self.rooms.get_mut(&room_id) else {
            return;
        };
        let room = &mut inst.room;
        // The same person again (reconnect, second tab with the same session): take over.
        let (id, previous) = match room.find_session(&seat.session) {
            Some(id) => {
                let avatar = room.avatar_mut(id).expect("found above");
                let previous = avatar.client.replace(client_id);
                avatar.away_since = None;
                // The role of this join counts (a guide link, a staff session).
                avatar.role = seat.role;
                (id, Some(previous))
            }
            None => (room.spawn(&seat, client_id), None),
        };
        link.phase = Phase::InRoom { avatar: id };
        self.admission.session_started(&seat);

        let mut out = Outbox::default();
        presence::welcome(inst, id, self.tick, self.config.tick_hz as u16, &mut out);
        match previous {
            None => presence::arrived(inst, id, false, &mut out),
            Some(None) => presence::arrived(inst, id, true, &mut out),
            Some(Some(_)) => {}
        }
        let room_name = inst.room.name.clone();
        let is_guide = seat.role >= Role::Guide && inst.visit.is_some();
        // An entry for the impact counts: a new avatar, not a reconnect into one.
        if let (None, Some(entry)) = (previous, seat.entry) {
            let counted_as = if inst.visit.is_some() {
                crate::impact::CLASS_VISITS
            } else {
                room_name.as_str()
            };
            self.impact.joined(
                counted_as,
                seat.device_hash.as_deref(),
                entry.device,
                entry.transport,
            );
        }
        self.deliver(room_id, out);
        if let Some(Some(old)) = previous {
            if let Some(old_link) = self.links.get_mut(&old) {
                // The old connection no longer owns the avatar.
                old_link.phase = Phase::Closing { at_tick: self.tick };
            }
            self.send(
                old,
                &ServerMsg::Rejected {
                    reason: RejectReason::ReplacedByNewConnection,
                },
            );
        }
        if is_guide {
            self.tour_state_changed(room_id);
        }
        self.publish_occupancy(room_id);
        tracing::info!(client_id, room = %room_name, avatar = id, role = seat.role.as_str(), "entered");
    }
}

/// Takes an avatar out of the room for good and tells everyone.
pub(super) fn remove_avatar(game: &mut Game, room: RoomId, id: u16) {
    let Some(inst) = game.rooms.get_mut(&room) else {
        return;
    };
    if let Some(avatar) = inst.room.remove(id) {
        if inst.room.broadcast == Some(id) {
            inst.room.broadcast = None;
        }
        // The avatar id may be given to someone else: its voice peer goes now.
        game.tell_sfu(crate::voice::SfuCmd::Leave {
            key: crate::voice::PeerKey { room, avatar: id },
        });
        let Some(inst) = game.rooms.get_mut(&room) else {
            return;
        };
        let led = inst.room.follow.as_ref().is_some_and(|f| f.guide == id);
        if led {
            // The guide left: nobody to follow.
            inst.room.follow = None;
            for a in inst.room.avatars.iter_mut().flatten() {
                a.following = false;
            }
        }
        let in_visit = inst.visit.is_some();
        game.admission.session_ended(&avatar.session);
        game.broadcast(room, &ServerMsg::Presence(PresenceMsg::Left { id }), None);
        if in_visit {
            game.tour_state_changed(room);
        }
        game.publish_occupancy(room);
    }
}
