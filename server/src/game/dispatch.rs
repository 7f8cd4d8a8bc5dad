//! Delivering what rooms decided: a handler's outbox becomes messages on connections,
//! removals, admission changes and events for storage. Also the commands from outside the
//! loop (open a room, exhibit changes) and the visit clocks.

use std::time::{Duration, Instant};

use stadtlab_shared::protocol::{ExhibitMsg, ServerMsg, TourMsg};

use super::Game;
use super::commands::{RoomCommand, VisitOpening};
use super::handlers::{GameEvent, Out, Outbox, exhibits, stage, tour};
use super::instance::{Instance, VisitRuntime};
use super::room::Room;
use crate::admission::{BanEntry, RoomId};

impl Game {
    pub(super) fn apply_commands(&mut self) {
        while let Ok(command) = self.commands.try_recv() {
            match command {
                RoomCommand::Open {
                    id,
                    scene,
                    exhibition,
                    visit,
                } => self.open_room(id, &scene, Some(exhibition), visit),
                RoomCommand::ExhibitShown {
                    exhibition,
                    exhibit,
                } => self.exhibit_news(&exhibition, ExhibitMsg::Shown { exhibit }),
                RoomCommand::ExhibitGone { exhibition, id } => {
                    self.exhibit_news(&exhibition, ExhibitMsg::Gone { id })
                }
                RoomCommand::Stage { room, change } => {
                    let mut out = Outbox::default();
                    if let Some(inst) = self.rooms.get_mut(&room) {
                        stage::apply_change(inst, change, &mut out);
                    }
                    self.deliver(room, out);
                }
            }
        }
    }

    /// Creates an instance's state. A public room's exhibition is its own name.
    pub(super) fn open_room(
        &mut self,
        id: RoomId,
        scene: &str,
        exhibition: Option<String>,
        visit: Option<VisitOpening>,
    ) {
        let Some(scene) = self.scenes.get(scene).cloned() else {
            tracing::warn!(%id, scene, "no such scene: room not opened");
            self.admission.close_room(id);
            return;
        };
        let entry = self.admission.room(id);
        let mut room = Room::new(scene);
        if let Some(entry) = entry {
            room.name = entry.name;
            room.capacity = entry.capacity;
        }
        let name = room.name.clone();
        let exhibition = exhibition.unwrap_or(name);
        if let Some(shown) = self.exhibitions.get(&exhibition) {
            room.exhibits = shown.clone();
        }
        let visit = visit.map(|v| VisitRuntime {
            title: v.title,
            ends_at: v.ends_at,
            warned: false,
            locked: false,
            pupil_chat: true,
        });
        tracing::info!(%id, room = %room.name, visit = visit.is_some(), "room opened");
        self.rooms
            .insert(id, Instance::new(id, room, exhibition, visit));
    }

    fn exhibit_news(&mut self, exhibition: &str, msg: ExhibitMsg) {
        self.exhibitions
            .entry(exhibition.to_string())
            .or_default()
            .apply(&msg);
        let ids: Vec<RoomId> = self
            .rooms
            .values()
            .filter(|i| i.exhibition == exhibition)
            .map(|i| i.id)
            .collect();
        for id in ids {
            let mut out = Outbox::default();
            if let Some(inst) = self.rooms.get_mut(&id) {
                exhibits::apply(inst, msg.clone(), &mut out);
            }
            self.deliver(id, out);
        }
    }

    /// Sends the visit's switches to everyone in it (after someone stepped out, or left).
    pub(super) fn tour_state_changed(&mut self, id: RoomId) {
        let Some(inst) = self.rooms.get(&id) else {
            return;
        };
        if inst.visit.is_some() {
            let msg = ServerMsg::Tour(TourMsg::State(tour::state(inst)));
            self.broadcast(id, &msg, None);
        }
    }

    pub(super) fn run_visit_clocks(&mut self) {
        let now = Instant::now();
        let mut closed = Vec::new();
        let ids: Vec<RoomId> = self
            .rooms
            .values()
            .filter(|i| i.visit.is_some())
            .map(|i| i.id)
            .collect();
        for id in ids {
            let mut out = Outbox::default();
            let over = self
                .rooms
                .get_mut(&id)
                .is_some_and(|inst| tour::clock(inst, now, &mut out));
            self.deliver(id, out);
            if over {
                closed.push(id);
            }
        }
        for id in closed {
            self.rooms.remove(&id);
            self.admission.close_room(id);
            tracing::info!(%id, "class visit closed");
        }
    }

    /// Closing questions whose time is up close (a check per room and tick, no allocation
    /// unless one does).
    pub(super) fn expire_closing_questions(&mut self) {
        let now = Instant::now();
        let due: Vec<RoomId> = self
            .rooms
            .values()
            .filter(|i| i.stage.closing.as_ref().is_some_and(|c| !c.is_open(now)))
            .map(|i| i.id)
            .collect();
        for id in due {
            let mut out = Outbox::default();
            if let Some(inst) = self.rooms.get_mut(&id) {
                super::handlers::closing::expire(inst, now, &mut out);
            }
            self.deliver(id, out);
        }
    }

    /// Carries out a handler's outbox for room `id`.
    pub(super) fn deliver(&mut self, id: RoomId, out: Outbox) {
        for item in out.0 {
            match item {
                Out::To(avatar, msg) => {
                    if let Some(client) = self.client_of(id, avatar) {
                        self.send(client, &msg);
                    }
                }
                Out::All { msg, except } => {
                    let except = except.and_then(|a| self.client_of(id, a));
                    self.broadcast(id, &msg, except);
                }
                Out::Remove { avatar, reason } => match self.client_of(id, avatar) {
                    Some(client) => self.reject(client, reason),
                    // Away (inside the grace period): gone without a word.
                    None => super::control::remove_avatar(self, id, avatar),
                },
                Out::Event(event) => self.record(event),
                Out::Sfu(cmd) => self.tell_sfu(cmd),
            }
        }
    }

    /// Admission learns at once; storage through the events channel.
    fn record(&mut self, event: GameEvent) {
        match &event {
            GameEvent::Removed {
                room,
                device_hash,
                session,
                minutes,
            } => self.admission.remove(
                *room,
                device_hash.clone(),
                session.clone(),
                Duration::from_secs(u64::from(*minutes) * 60),
            ),
            GameEvent::Banned {
                id,
                device_hash,
                network,
                reason,
                ..
            } => self.admission.ban(BanEntry {
                id: id.clone(),
                device_hash: device_hash.clone(),
                network: *network,
                reason: reason.clone(),
                created_at: crate::storage::unix_now(),
            }),
            GameEvent::Locked { room, locked } => self.admission.set_locked(*room, *locked),
            GameEvent::Inspected { exhibit } => self.impact.inspected(exhibit),
            GameEvent::Rated { exhibit, stars, .. } => self.impact.rated(exhibit, *stars),
            GameEvent::Learned { talk, answer } => self.impact.learned(talk, *answer),
            GameEvent::Audit { .. }
            | GameEvent::Reported { .. }
            | GameEvent::Commented { .. }
            | GameEvent::ClosingAnswer { .. } => {}
        }
        if self.events.send(event).is_err() {
            tracing::warn!("event recorder stopped: an event was not stored");
        }
    }

    fn client_of(&self, room: RoomId, avatar: u16) -> Option<u64> {
        self.rooms.get(&room)?.room.avatar(avatar)?.client
    }
}
