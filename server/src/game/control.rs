//! Reliable control messages from clients: the handshake and room chat.

use std::time::Instant;

use stadtlab_shared::chat::{ChatError, validate_chat_message};
use stadtlab_shared::protocol::{
    ClientMsg, PROTOCOL_VERSION, RejectReason, ServerMsg, channel, decode, limits,
};

use super::Game;
use super::link::Phase;

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
        let avatar = match link.phase {
            Phase::Closing { .. } => return,
            Phase::AwaitingHello { .. } => None,
            Phase::InRoom { avatar } => Some(avatar),
        };
        if !msg.allowed(avatar.is_some()) {
            // Hello twice, or chat before the handshake.
            self.metrics.reject("out_of_phase");
            self.strike(client_id);
            return;
        }
        match (msg, avatar) {
            (ClientMsg::Hello { protocol, .. }, _) => self.hello(client_id, protocol),
            (ClientMsg::Chat { text }, Some(avatar)) => self.chat(client_id, avatar, &text),
            (ClientMsg::Leave, _) => self.reject(client_id, RejectReason::Left),
            // Excluded by `allowed`; never a panic on input.
            (ClientMsg::Chat { .. }, None) => {}
        }
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
        let room_idx = link.room;
        let room = &mut self.rooms[room_idx];
        // The same person again (reconnect, second tab with the same session): take over.
        let (id, previous) = match room.find_session(&seat.session) {
            Some(id) => {
                let avatar = room.avatar_mut(id).expect("found above");
                let previous = avatar.client.replace(client_id);
                avatar.away_since = None;
                (id, Some(previous))
            }
            None => (
                room.spawn(
                    seat.session.clone(),
                    seat.name.clone(),
                    seat.color,
                    client_id,
                ),
                None,
            ),
        };
        link.phase = Phase::InRoom { avatar: id };
        self.lobby.session_started(&seat);

        let room = &self.rooms[room_idx];
        let welcome = ServerMsg::Welcome {
            protocol: PROTOCOL_VERSION,
            you: id,
            room: room.name.clone(),
            scene: room.scene.name.clone(),
            tick_hz: self.config.tick_hz as u16,
            tick: self.tick,
        };
        let people = room.presence();
        let me = room.avatar(id).expect("just placed").presence();
        let exhibits = room.exhibits.by_id.values().cloned().collect();
        self.send(client_id, &welcome);
        self.send(client_id, &ServerMsg::Presence { people });
        self.send(client_id, &ServerMsg::Exhibits { exhibits });
        match previous {
            None => self.broadcast(room_idx, &ServerMsg::Joined { person: me }, Some(client_id)),
            Some(None) => self.broadcast(room_idx, &ServerMsg::Back { id }, Some(client_id)),
            Some(Some(old)) => {
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
        }
        self.publish_occupancy(room_idx);
        tracing::info!(client_id, room = %self.rooms[room_idx].name, avatar = id, "entered");
    }

    fn chat(&mut self, client_id: u64, avatar: u16, raw: &str) {
        let now = Instant::now();
        let link = self.links.get_mut(&client_id).expect("caller checked");
        let room_idx = link.room;
        let verdict = match validate_chat_message(raw) {
            Err(e) => Err(e),
            Ok(_) if !link.chat.try_take(now) => Err(ChatError::RateLimited),
            Ok(_) if !self.rooms[room_idx].chat.try_take(now) => Err(ChatError::RoomBusy),
            Ok(text) => Ok(text),
        };
        match verdict {
            Ok(text) => {
                let name = self.rooms[room_idx]
                    .avatar(avatar)
                    .map(|a| a.name.clone())
                    .unwrap_or_default();
                self.broadcast(
                    room_idx,
                    &ServerMsg::Chat {
                        from: avatar,
                        name,
                        text,
                    },
                    None,
                );
            }
            Err(reason) => {
                self.metrics.reject(match reason {
                    ChatError::RateLimited | ChatError::RoomBusy => "chat_rate",
                    _ => "chat_invalid",
                });
                self.send(client_id, &ServerMsg::ChatRejected { reason });
                if matches!(reason, ChatError::ControlCharacters | ChatError::TooLong) {
                    // A real client checks these before sending: a crafted message.
                    self.strike(client_id);
                }
            }
        }
    }
}

/// Takes an avatar out of the room for good and tells everyone.
pub(super) fn remove_avatar(game: &mut Game, room: usize, id: u16) {
    if let Some(avatar) = game.rooms[room].remove(id) {
        game.lobby.session_ended(&avatar.session);
        game.broadcast(room, &ServerMsg::Left { id }, None);
        game.publish_occupancy(room);
    }
}
