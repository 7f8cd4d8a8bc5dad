//! Who may not come in: bans (until lifted) and removals (for a while, from one room).
//!
//! Keys are what the server can know: the device key the client keeps (stored as a hash) and
//! the network address. A determined person can clear their browser storage and change
//! networks; the README says so. Address bans expire after a day because addresses are shared
//! (a school's whole class comes through one) and change hands.

use std::net::IpAddr;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use super::rooms::RoomId;

/// How long a ban also covers the banned person's network.
pub const ADDRESS_BAN_SECS: i64 = 24 * 3600;

/// The stored form of a device key.
pub fn device_hash(key: &str) -> String {
    let digest = Sha256::digest(key.to_ascii_lowercase().as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[derive(Debug, Clone)]
pub struct BanEntry {
    pub id: String,
    pub device_hash: Option<String>,
    pub network: Option<IpAddr>,
    pub reason: String,
    /// Unix seconds.
    pub created_at: i64,
}

impl BanEntry {
    fn covers(&self, device_hash: Option<&str>, network: Option<IpAddr>, now: i64) -> bool {
        let device = device_hash.is_some() && self.device_hash.as_deref() == device_hash;
        let address = network.is_some()
            && self.network == network
            && now - self.created_at < ADDRESS_BAN_SECS;
        device || address
    }
}

#[derive(Debug)]
struct Removal {
    room: RoomId,
    device_hash: Option<String>,
    session: String,
    until: Instant,
}

#[derive(Debug, Default)]
pub struct Barriers {
    bans: Vec<BanEntry>,
    removals: Vec<Removal>,
}

impl Barriers {
    pub fn ban(&mut self, entry: BanEntry) {
        self.bans.push(entry);
    }

    pub fn lift(&mut self, id: &str) -> bool {
        let before = self.bans.len();
        self.bans.retain(|b| b.id != id);
        before != self.bans.len()
    }

    pub fn banned(
        &self,
        device_hash: Option<&str>,
        network: Option<IpAddr>,
        now: i64,
    ) -> Option<&BanEntry> {
        self.bans
            .iter()
            .find(|b| b.covers(device_hash, network, now))
    }

    pub fn remove(
        &mut self,
        room: RoomId,
        device_hash: Option<String>,
        session: String,
        for_: Duration,
    ) {
        self.removals.push(Removal {
            room,
            device_hash,
            session,
            until: Instant::now() + for_,
        });
    }

    /// Time left of a removal from `room` that covers this device or session.
    pub fn removed(
        &mut self,
        room: RoomId,
        device_hash: Option<&str>,
        session: Option<&str>,
    ) -> Option<Duration> {
        let now = Instant::now();
        self.removals.retain(|r| r.until > now);
        self.removals
            .iter()
            .filter(|r| r.room == room)
            .filter(|r| {
                (device_hash.is_some() && r.device_hash.as_deref() == device_hash)
                    || session == Some(r.session.as_str())
            })
            .map(|r| r.until - now)
            .max()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ban_covers_the_device_always_and_the_network_for_a_day() {
        let mut b = Barriers::default();
        let net = Some(IpAddr::from([203, 0, 113, 9]));
        b.ban(BanEntry {
            id: "b1".into(),
            device_hash: Some(device_hash("ABCDEF0123456789")),
            network: net,
            reason: "Spam".into(),
            created_at: 1_000_000,
        });
        let dev = device_hash("abcdef0123456789");
        assert!(
            b.banned(Some(&dev), None, 1_000_000 + 10 * ADDRESS_BAN_SECS)
                .is_some()
        );
        assert!(b.banned(None, net, 1_000_100).is_some());
        assert!(b.banned(None, net, 1_000_000 + ADDRESS_BAN_SECS).is_none());
        assert!(b.banned(Some("other"), None, 1_000_100).is_none());
        assert!(b.lift("b1"));
        assert!(b.banned(Some(&dev), net, 1_000_100).is_none());
    }

    #[test]
    fn a_removal_covers_one_room_for_a_while() {
        let mut b = Barriers::default();
        b.remove(
            RoomId(1),
            Some("d".into()),
            "s".into(),
            Duration::from_secs(900),
        );
        assert!(b.removed(RoomId(1), Some("d"), None).is_some());
        assert!(b.removed(RoomId(1), None, Some("s")).is_some());
        assert!(b.removed(RoomId(2), Some("d"), Some("s")).is_none());
        assert!(b.removed(RoomId(1), Some("x"), Some("y")).is_none());
        b.remove(RoomId(3), None, "t".into(), Duration::ZERO);
        assert!(b.removed(RoomId(3), None, Some("t")).is_none());
    }
}
