//! Plausible wandering: walk a while in one direction, look around, sometimes run, sometimes
//! stand still; turn away when a wall stops you.

use rand::Rng;
use rand::rngs::SmallRng;
use stadtlab_shared::quantize::yaw_to_u16;

#[derive(Debug)]
pub struct Walker {
    rng: SmallRng,
    yaw: f32,
    /// Ticks until the next decision.
    left: u32,
    forward: i8,
    run: bool,
    last_pos: Option<[i32; 3]>,
    stuck: u32,
}

/// One tick of intent.
#[derive(Debug, Clone, Copy)]
pub struct Intent {
    pub forward: i8,
    pub right: i8,
    pub yaw: u16,
    pub run: bool,
}

impl Walker {
    pub fn new(seed: u64) -> Self {
        use rand::SeedableRng;
        let mut rng = SmallRng::seed_from_u64(seed);
        let yaw = rng.random_range(0.0..std::f32::consts::TAU);
        Self {
            rng,
            yaw,
            left: 0,
            forward: 0,
            run: false,
            last_pos: None,
            stuck: 0,
        }
    }

    pub fn next(&mut self, pos: Option<[i32; 3]>) -> Intent {
        if self.forward != 0 && pos.is_some() && pos == self.last_pos {
            self.stuck += 1;
        } else {
            self.stuck = 0;
        }
        self.last_pos = pos;
        if self.left == 0 || self.stuck > 3 {
            self.decide();
        }
        self.left = self.left.saturating_sub(1);
        // Look around a little while walking.
        self.yaw += self.rng.random_range(-0.02..0.02);
        Intent {
            forward: self.forward,
            right: 0,
            yaw: yaw_to_u16(self.yaw),
            run: self.run,
        }
    }

    fn decide(&mut self) {
        let r: f32 = self.rng.random();
        self.stuck = 0;
        self.yaw += self.rng.random_range(0.6..std::f32::consts::PI)
            * if self.rng.random() { 1.0 } else { -1.0 };
        (self.forward, self.run) = if r < 0.15 {
            (0, false) // stand and look
        } else if r < 0.3 {
            (127, true)
        } else {
            (127, false)
        };
        self.left = self.rng.random_range(30..150);
    }
}
