//! Connection life cycle: connect (take the seat), disconnect (away, grace period), expiry,
//! and closing links that were told to leave.

use std::time::{Duration, Instant};

use renet2::ServerEvent;
use stadtlab_shared::protocol::{PresenceMsg, RejectReason, ServerMsg};

use super::link::{Link, Phase};
use super::{Game, control};
use crate::admission::Seat;

/// Ticks between telling a client why it must go and cutting the connection.
const CLOSE_DELAY_TICKS: u32 = 5;
/// How long a connection may stay silent before `Hello`.
const HELLO_TIMEOUT: Duration = Duration::from_secs(10);

impl Game {
    pub(super) fn handle_connection_events(&mut self) {
        while let Some(event) = self.renet.get_event() {
            match event {
                ServerEvent::ClientConnected { client_id } => self.on_connect(client_id),
                ServerEvent::ClientDisconnected { client_id, reason } => {
                    // Leaving on purpose is routine; anything else (time-outs, a transport that
                    // broke, a buffer that ran over) is what operators look for.
                    if reason == renet2::DisconnectReason::DisconnectedByClient {
                        tracing::debug!(client_id, ?reason, "disconnected");
                    } else {
                        tracing::info!(client_id, ?reason, "disconnected");
                    }
                    self.on_disconnect(client_id);
                }
            }
        }
    }

    fn on_connect(&mut self, client_id: u64) {
        let seat = self
            .admission
            .take_seat(client_id)
            .filter(|s| self.rooms.contains_key(&s.room));
        match seat {
            Some(seat) => {
                let room = seat.room;
                self.links.insert(client_id, Link::new(client_id, seat));
                self.publish_occupancy(room);
            }
            _ => {
                // A valid token whose seat is gone (used twice, or expired between HTTP and
                // connect). Say so, then close.
                tracing::info!(client_id, "connection without a seat");
                self.metrics.reject("no_seat");
                self.send(
                    client_id,
                    &ServerMsg::Rejected {
                        reason: RejectReason::NoSeat,
                    },
                );
                let mut link = Link::new(client_id, Seat::closed());
                link.phase = Phase::Closing {
                    at_tick: self.tick + CLOSE_DELAY_TICKS,
                };
                self.links.insert(client_id, link);
            }
        }
    }

    fn on_disconnect(&mut self, client_id: u64) {
        let Some(link) = self.links.remove(&client_id) else {
            return;
        };
        let room = link.room;
        let Some(id) = link.avatar() else {
            self.publish_occupancy(room); // Dropped during the handshake.
            return;
        };
        let Some(avatar) = self
            .rooms
            .get_mut(&room)
            .and_then(|i| i.room.avatar_mut(id))
        else {
            return;
        };
        if avatar.client != Some(client_id) {
            return; // Already taken over by a newer connection of the same person.
        }
        avatar.client = None;
        avatar.away_since = Some(Instant::now());
        // Voice ends with the connection: a reconnecting client offers again.
        let in_voice = std::mem::take(&mut avatar.voice.joined);
        avatar.voice.talking = false;
        if in_voice {
            self.tell_sfu(crate::voice::SfuCmd::Leave {
                key: crate::voice::PeerKey { room, avatar: id },
            });
        }
        self.broadcast(room, &ServerMsg::Presence(PresenceMsg::Away { id }), None);
        self.publish_occupancy(room);
    }

    /// Tells a client why it must go; the link closes a few ticks later.
    pub(super) fn reject(&mut self, client_id: u64, reason: RejectReason) {
        self.send(client_id, &ServerMsg::Rejected { reason });
        let at_tick = self.tick + CLOSE_DELAY_TICKS;
        if let Some(link) = self.links.get_mut(&client_id) {
            if let Some(id) = link.avatar() {
                // Leaving on purpose: no grace period.
                let room = link.room;
                link.phase = Phase::Closing { at_tick };
                if let Some(avatar) = self.rooms.get(&room).and_then(|i| i.room.avatar(id))
                    && avatar.client == Some(client_id)
                {
                    control::remove_avatar(self, room, id);
                }
            } else {
                let room = link.room;
                link.phase = Phase::Closing { at_tick };
                // Its place was held for the handshake; free it.
                self.publish_occupancy(room);
            }
        }
    }

    pub(super) fn expire_and_close(&mut self) {
        let now = Instant::now();
        let grace = Duration::from_secs(self.config.reconnect_grace_secs);
        let expired: Vec<_> = self
            .rooms
            .values()
            .flat_map(|i| {
                i.room
                    .expired_away(now, grace)
                    .into_iter()
                    .map(move |id| (i.id, id))
            })
            .collect();
        for (room, id) in expired {
            control::remove_avatar(self, room, id);
        }
        let due: Vec<u64> = self
            .links
            .values()
            .filter(|l| match &l.phase {
                Phase::Closing { at_tick } => *at_tick <= self.tick,
                Phase::AwaitingHello { since, .. } => now.duration_since(*since) > HELLO_TIMEOUT,
                Phase::InRoom { .. } => false,
            })
            .map(|l| l.client_id)
            .collect();
        for client_id in due {
            if let Some(link) = self.links.remove(&client_id) {
                self.publish_occupancy(link.room);
            }
            self.renet.disconnect(client_id);
        }
    }
}
