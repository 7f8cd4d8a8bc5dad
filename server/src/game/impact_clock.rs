//! Four times a second the loop adds the time since to the exhibit each person stands at (see
//! `impact::dwell`), and watches talks and class visits (`impact::gatherings`); the sums go
//! to the impact counts with a lock, no I/O.

use std::collections::{BTreeMap, HashMap};

use glam::Vec2;
use stadtlab_shared::protocol::Role;

use super::{Game, RoomId};
use crate::impact::dwell;
use crate::impact::gatherings::{TalkWatch, VisitWatch};
use crate::storage::unix_now;

/// How often positions are looked at: often enough that a stay is right to a quarter second.
const EVERY_S: f32 = 0.25;

/// The talk and the class visit being watched in one room.
#[derive(Debug, Default)]
pub struct Watch {
    talk: Option<TalkWatch>,
    visit: Option<(VisitWatch, String)>,
}

impl Game {
    pub(super) fn count_time_near_exhibits(&mut self, elapsed_s: f32) {
        if !self.impact.counting() {
            return;
        }
        self.dwell_clock += elapsed_s;
        if self.dwell_clock < EVERY_S {
            return;
        }
        let seconds = self.dwell_clock as f64;
        self.dwell_clock = 0.0;
        let now = unix_now();
        let mut totals = BTreeMap::new();
        for inst in self.rooms.values() {
            let room = &inst.room;
            let present = || room.avatars.iter().flatten().filter(|a| a.client.is_some());
            let at = |a: &super::room::Avatar| Vec2::new(a.motion.pos.x, a.motion.pos.z);
            dwell::add_seconds(&mut totals, &room.exhibits, present().map(at), seconds);
            let watch = self.watches.entry(inst.id).or_default();
            if let (true, Some(info)) = (inst.stage.running, &inst.stage.talk) {
                let talk = watch.talk.get_or_insert_with(|| {
                    TalkWatch::new(info.key.clone(), info.title.clone(), now)
                });
                // A talk started by hand may be taken over by the programme (and get a title).
                talk.title_from(&info.title);
                talk.sample(
                    seconds,
                    present().count(),
                    inst.stage.hands.iter().map(|h| h.session.as_str()),
                    inst.stage.questions.len(),
                    inst.stage.on_site,
                );
            } else if let Some(talk) = watch.talk.take() {
                self.impact.talk(talk.finish(&room.name));
            }
            if inst.visit.is_some() {
                let (visit, _) = watch
                    .visit
                    .get_or_insert_with(|| (VisitWatch::new(now), room.scene.name.clone()));
                let pupils = || present().filter(|a| a.role == Role::Visitor);
                visit.sample(
                    seconds,
                    pupils().count(),
                    pupils().filter_map(|a| dwell::nearest(&room.exhibits, at(a))),
                );
            }
        }
        // Rooms that closed end their talk and their visit.
        let closed: Vec<RoomId> = self
            .watches
            .keys()
            .filter(|id| !self.rooms.contains_key(id))
            .copied()
            .collect();
        for id in closed {
            if let Some(watch) = self.watches.remove(&id) {
                self.finish(watch, "");
            }
        }
        let totals: Vec<(String, f64)> = totals.into_iter().collect();
        self.impact.near(&totals);
    }

    fn finish(&self, watch: Watch, room: &str) {
        if let Some(talk) = watch.talk {
            self.impact.talk(talk.finish(room));
        }
        if let Some((visit, scene)) = watch.visit {
            self.impact.class_visit(visit.finish(&scene));
        }
    }

    /// At shutdown: what is being watched is counted as it stands.
    pub(super) fn finish_watches(&mut self) {
        let watches: HashMap<RoomId, Watch> = std::mem::take(&mut self.watches);
        for (id, watch) in watches {
            let name = self
                .rooms
                .get(&id)
                .map(|i| i.room.name.clone())
                .unwrap_or_default();
            self.finish(watch, &name);
        }
    }
}
