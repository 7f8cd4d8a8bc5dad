//! Once a second the loop adds that second to the exhibit each person stands at (see
//! `impact::dwell`); the sums go to the impact counts with one lock, no I/O.

use std::collections::BTreeMap;

use glam::Vec2;

use super::Game;
use crate::impact::dwell;

/// How often positions are looked at.
const EVERY_S: f32 = 1.0;

impl Game {
    pub(super) fn count_time_near_exhibits(&mut self, elapsed_s: f32) {
        self.dwell_clock += elapsed_s;
        if self.dwell_clock < EVERY_S {
            return;
        }
        let seconds = self.dwell_clock as f64;
        self.dwell_clock = 0.0;
        let mut totals = BTreeMap::new();
        for inst in self.rooms.values() {
            let room = &inst.room;
            let people = room
                .avatars
                .iter()
                .flatten()
                .filter(|a| a.client.is_some())
                .map(|a| Vec2::new(a.motion.pos.x, a.motion.pos.z));
            dwell::add_seconds(&mut totals, &room.exhibits, people, seconds);
        }
        let totals: Vec<(String, f64)> = totals.into_iter().collect();
        self.impact.near(&totals);
    }
}
