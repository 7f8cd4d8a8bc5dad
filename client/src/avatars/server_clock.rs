//! An estimate of the server's clock (tick / tick rate), so snapshots can be placed on one
//! time line and drawn a fixed delay behind it, however unevenly packets arrive.

use bevy::prelude::*;

use crate::net::{SnapshotArrived, Snapshots};

#[derive(Resource, Debug, Default, Clone, Copy)]
pub struct ServerClock {
    /// Server time minus local time, seconds.
    offset: Option<f64>,
}

impl ServerClock {
    /// Folds in one observation: the snapshot of `server_time` arrived at `local_time`.
    pub fn observe(&mut self, server_time: f64, local_time: f64) {
        let sample = server_time - local_time;
        self.offset = Some(match self.offset {
            // A jump of more than a second (a stall, a reconnect): start again.
            Some(old) if (sample - old).abs() < 1.0 => {
                // Late packets only pull the estimate back slowly; early ones count at once.
                if sample > old {
                    sample
                } else {
                    old + (sample - old) * 0.02
                }
            }
            _ => sample,
        });
    }

    pub fn server_now(&self, local_time: f64) -> Option<f64> {
        self.offset.map(|o| local_time + o)
    }
}

pub fn track(
    mut arrived: MessageReader<SnapshotArrived>,
    snapshots: Res<Snapshots>,
    time: Res<Time<Real>>,
    mut clock: ResMut<ServerClock>,
) {
    let hz = snapshots.tick_hz.max(1) as f64;
    let now = time.elapsed_secs_f64();
    for snap in arrived.read() {
        clock.observe(snap.tick as f64 / hz, now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_the_earliest_arrivals_and_ignores_jitter() {
        let mut c = ServerClock::default();
        c.observe(10.0, 1.0);
        assert_eq!(c.server_now(2.0), Some(11.0));
        // A late packet (60 ms jitter) hardly moves the estimate.
        c.observe(10.5, 1.56);
        assert!((c.server_now(2.0).unwrap() - 11.0).abs() < 0.01);
        // A server 5 s ahead after a stall resets it.
        c.observe(20.0, 3.0);
        assert_eq!(c.server_now(3.0), Some(20.0));
    }
}
