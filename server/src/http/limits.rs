//! Per-address rate limits: a flood of joins from one address gets a clear 429 instead of
//! filling rooms with reserved seats; the same for staff sign-in attempts (password guessing).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::game::rate::TokenBucket;

/// Addresses remembered before idle ones are forgotten.
const MAX_TRACKED: usize = 10_000;
const IDLE: Duration = Duration::from_secs(600);

#[derive(Debug)]
pub struct AddressLimiter {
    burst: f32,
    per_second: f32,
    buckets: Mutex<HashMap<IpAddr, (TokenBucket, Instant)>>,
}

impl AddressLimiter {
    pub fn new(burst: u32, per_minute: u32) -> Self {
        Self {
            burst: burst.max(1) as f32,
            per_second: per_minute as f32 / 60.0,
            buckets: Mutex::default(),
        }
    }

    /// Whether `addr` may join now.
    pub fn allow(&self, addr: IpAddr) -> bool {
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() >= MAX_TRACKED {
            buckets.retain(|_, (_, last)| now.duration_since(*last) < IDLE);
        }
        let (bucket, last) = buckets
            .entry(addr)
            .or_insert_with(|| (TokenBucket::new(self.burst, self.per_second), now));
        *last = now;
        bucket.try_take(now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burst_then_refuse_per_address() {
        let limiter = AddressLimiter::new(3, 60);
        let a = IpAddr::from([10, 0, 0, 1]);
        assert!((0..3).all(|_| limiter.allow(a)));
        assert!(!limiter.allow(a));
        assert!(limiter.allow(IpAddr::from([10, 0, 0, 2])));
    }
}
