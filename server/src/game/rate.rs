//! A token bucket: `burst` actions at once, refilled at `per_second`.

use std::time::Instant;

#[derive(Debug, Clone)]
pub struct TokenBucket {
    tokens: f32,
    burst: f32,
    per_second: f32,
    last: Instant,
}

impl TokenBucket {
    pub fn new(burst: f32, per_second: f32) -> Self {
        Self {
            tokens: burst,
            burst,
            per_second,
            last: Instant::now(),
        }
    }

    /// Whether a token is there now, without taking it.
    pub fn has_token(&self, now: Instant) -> bool {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f32();
        (self.tokens + elapsed * self.per_second).min(self.burst) >= 1.0
    }

    /// Takes one token if there is one.
    pub fn try_take(&mut self, now: Instant) -> bool {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f32();
        self.last = now;
        self.tokens = (self.tokens + elapsed * self.per_second).min(self.burst);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}
