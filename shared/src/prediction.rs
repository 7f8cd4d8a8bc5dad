//! Client-side prediction of one's own avatar, with reconciliation to the server.
//!
//! The client moves its avatar at once with the shared movement rule and remembers the inputs
//! the server has not confirmed. Each snapshot says which input the server applied last and
//! where the avatar stands; the client starts over from there and replays the rest. When both
//! agree (they run the same function) the correction is zero.

use std::collections::VecDeque;

use crate::movement::{self, AvatarMotion};
use crate::protocol::{AvatarState, InputFrame};
use crate::quantize::{QuantPos, yaw_from_u16};
use crate::scene::CollisionWorld;

/// Inputs kept for replay; older ones are dropped (the server has long applied or refused them).
const MAX_PENDING: usize = 128;

#[derive(Debug, Clone)]
pub struct Predictor {
    motion: AvatarMotion,
    pending: VecDeque<InputFrame>,
    dt: f32,
    /// Distance (metres) the last reconciliation moved the prediction.
    pub last_correction: f32,
}

impl Predictor {
    pub fn new(start: AvatarMotion, tick_hz: u32) -> Self {
        Self {
            motion: start,
            pending: VecDeque::new(),
            dt: 1.0 / tick_hz.max(1) as f32,
            last_correction: 0.0,
        }
    }

    /// Where the client shows its own avatar now.
    pub fn motion(&self) -> AvatarMotion {
        self.motion
    }

    /// Applies a local input at once (and keeps it for replay).
    pub fn apply(&mut self, frame: InputFrame, world: &CollisionWorld) -> AvatarMotion {
        self.motion = movement::step(self.motion, &frame, self.dt, world);
        if self.pending.len() == MAX_PENDING {
            self.pending.pop_front();
        }
        self.pending.push_back(frame);
        self.motion
    }

    /// Takes the server's word for everything up to input `ack_input` and replays the rest.
    pub fn reconcile(&mut self, server: &AvatarState, ack_input: u32, world: &CollisionWorld) {
        while self.pending.front().is_some_and(|f| f.seq <= ack_input) {
            self.pending.pop_front();
        }
        let mut motion = AvatarMotion {
            pos: QuantPos(server.pos).to_vec3(),
            yaw: yaw_from_u16(server.yaw),
        };
        for frame in &self.pending {
            motion = movement::step(motion, frame, self.dt, world);
        }
        self.last_correction = motion.pos.distance(self.motion.pos);
        self.motion = motion;
    }

    pub fn unconfirmed(&self) -> usize {
        self.pending.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quantize::{QuantPos, yaw_to_u16};
    use crate::scene::built_in;

    fn frame(seq: u32) -> InputFrame {
        InputFrame {
            seq,
            forward: 127,
            right: 30,
            yaw: yaw_to_u16(0.3),
            run: false,
        }
    }

    /// The stadtlabor's collision shapes and a standing place just inside its door.
    fn lab_entrance() -> (CollisionWorld, AvatarMotion) {
        let world = CollisionWorld::from_scene(&built_in("stadtlabor").unwrap());
        let start = AvatarMotion {
            pos: world.place(glam::Vec2::new(10.0, 1.2)),
            yaw: 0.0,
        };
        (world, start)
    }

    /// The server as the client sees it: the same rule, a few ticks behind, quantized.
    #[test]
    fn replay_after_reconcile_agrees_with_the_server() {
        let (world, start) = lab_entrance();
        let mut client = Predictor::new(start, 30);
        let mut server = start;
        let mut server_states = Vec::new();
        for seq in 1..=60 {
            client.apply(frame(seq), &world);
            server = movement::step(server, &frame(seq), 1.0 / 30.0, &world);
            // The server rounds to centimetres before sending.
            let state = AvatarState {
                pos: QuantPos::from_vec3(server.pos).0,
                yaw: yaw_to_u16(server.yaw),
                flags: 0,
            };
            server_states.push(state);
            // Snapshots arrive 3 ticks late.
            if seq > 3 {
                let acked = seq - 3;
                client.reconcile(&server_states[acked as usize - 1], acked, &world);
                assert!(
                    client.last_correction < 0.02,
                    "tick {seq}: corrected {} m",
                    client.last_correction
                );
                assert_eq!(client.unconfirmed(), 3);
            }
        }
        assert!(client.motion().pos.distance(server.pos) < 0.02);
        assert!(client.motion().pos.distance(start.pos) > 2.0, "walked");
    }

    #[test]
    fn a_server_correction_wins() {
        let (world, start) = lab_entrance();
        let mut client = Predictor::new(start, 30);
        for seq in 1..=10 {
            client.apply(frame(seq), &world);
        }
        // The server applied nothing (say the inputs were dropped): back to the start.
        let state = AvatarState {
            pos: QuantPos::from_vec3(start.pos).0,
            yaw: 0,
            flags: 0,
        };
        client.reconcile(&state, 10, &world);
        assert!(client.motion().pos.distance(start.pos) < 0.01);
        assert!(client.last_correction > 0.5);
        assert_eq!(client.unconfirmed(), 0);
    }
}
