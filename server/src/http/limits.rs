//! Rate limits: per client network (joins, sign-ins), per staff account (password guessing
//! spread over many addresses) and per invite (upload loops). A flood gets a clear 429.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::game::rate::TokenBucket;

/// Keys remembered before idle ones are forgotten.
const MAX_TRACKED: usize = 10_000;
const IDLE: Duration = Duration::from_secs(600);

/// A token bucket per key.
#[derive(Debug)]
pub struct RateLimiter<K> {
    burst: f32,
    per_second: f32,
    buckets: Mutex<HashMap<K, (TokenBucket, Instant)>>,
}

impl<K: Hash + Eq> RateLimiter<K> {
    pub fn new(burst: u32, per_minute: u32) -> Self {
        Self::per_second(burst, per_minute as f32 / 60.0)
    }

    pub fn per_second(burst: u32, per_second: f32) -> Self {
        Self {
            burst: burst.max(1) as f32,
            per_second,
            buckets: Mutex::default(),
        }
    }

    /// Whether `key` may act now (takes one token).
    pub fn allow_key(&self, key: K) -> bool {
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() >= MAX_TRACKED {
            buckets.retain(|_, (_, last)| now.duration_since(*last) < IDLE);
        }
        let (bucket, last) = buckets
            .entry(key)
            .or_insert_with(|| (TokenBucket::new(self.burst, self.per_second), now));
        *last = now;
        bucket.try_take(now)
    }
}

/// The network an address stands for in every per-address limit: an IPv4 address itself,
/// an IPv6 address's /64 (one household or phone gets a whole /64 and can pick any address
/// in it), IPv4-mapped IPv6 as IPv4.
pub fn network_of(addr: IpAddr) -> IpAddr {
    match addr {
        IpAddr::V4(_) => addr,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

/// Limits per client network ([`network_of`]).
pub type AddressLimiter = RateLimiter<IpAddr>;

impl RateLimiter<IpAddr> {
    /// Whether `addr`'s network may act now.
    pub fn allow(&self, addr: IpAddr) -> bool {
        self.allow_key(network_of(addr))
    }

    /// Whether `addr`'s network has a token left, without taking one (for limits that count
    /// only failures, like wrong class-visit codes).
    pub fn has_token(&self, addr: IpAddr) -> bool {
        let buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        buckets
            .get(&network_of(addr))
            .is_none_or(|(bucket, _)| bucket.has_token(Instant::now()))
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

    #[test]
    fn ipv6_addresses_of_one_network_share_a_limit() {
        let limiter = AddressLimiter::new(2, 60);
        let a: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert!(limiter.allow(a) && limiter.allow(b));
        assert!(!limiter.allow(a));
        assert!(limiter.allow(other));
        let mapped: IpAddr = "::ffff:10.0.0.1".parse().unwrap();
        assert_eq!(network_of(mapped), IpAddr::from([10, 0, 0, 1]));
    }
}
