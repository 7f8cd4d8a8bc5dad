//! Interest management: which avatars each client hears about, and how often.
//!
//! Each client's nearest avatars are updated every tick, the next ones every third tick, the
//! rest of the view every ninth, and those beyond the view radius or the view limit not at all
//! (they are removed). The snapshot takes what is due within its byte budget, so a crowd costs
//! a bounded bandwidth, only at a lower update rate for the far rows.

use glam::Vec2;

/// Avatars updated every tick.
pub const NEAR_COUNT: usize = 24;
/// Avatars after the near ones updated every third tick on average.
pub const MID_COUNT: usize = 48;
/// Ticks between updates, by tier (near, mid, far).
pub const TIER_PERIODS: [u32; 3] = [1, 3, 9];

/// A uniform grid over one room's avatars, rebuilt every tick (counting sort, O(n)).
#[derive(Debug, Default)]
pub struct Grid {
    cell: f32,
    origin: Vec2,
    cols: usize,
    rows: usize,
    starts: Vec<u32>,
    items: Vec<(u16, Vec2)>,
}

impl Grid {
    pub fn rebuild(&mut self, cell: f32, avatars: impl Iterator<Item = (u16, Vec2)> + Clone) {
        self.cell = cell;
        let (mut min, mut max) = (Vec2::splat(f32::MAX), Vec2::splat(f32::MIN));
        for (_, p) in avatars.clone() {
            min = min.min(p);
            max = max.max(p);
        }
        if min.x > max.x {
            min = Vec2::ZERO;
            max = Vec2::ZERO;
        }
        self.origin = min;
        self.cols = (((max.x - min.x) / cell) as usize + 1).min(1024);
        self.rows = (((max.y - min.y) / cell) as usize + 1).min(1024);
        let cells = self.cols * self.rows;
        self.starts.clear();
        self.starts.resize(cells + 1, 0);
        for (_, p) in avatars.clone() {
            let c = self.cell_of(p);
            self.starts[c + 1] += 1;
        }
        for i in 0..cells {
            self.starts[i + 1] += self.starts[i];
        }
        let mut fill = self.starts.clone();
        self.items.clear();
        self.items.resize(fill[cells] as usize, (0, Vec2::ZERO));
        for (id, p) in avatars {
            let c = self.cell_of(p);
            self.items[fill[c] as usize] = (id, p);
            fill[c] += 1;
        }
    }

    fn coords(&self, p: Vec2) -> (usize, usize) {
        let x = ((p.x - self.origin.x) / self.cell).max(0.0) as usize;
        let z = ((p.y - self.origin.y) / self.cell).max(0.0) as usize;
        (x.min(self.cols - 1), z.min(self.rows - 1))
    }

    fn cell_of(&self, p: Vec2) -> usize {
        let (x, z) = self.coords(p);
        z * self.cols + x
    }

    /// Collects the avatars in the square ring of cells at Chebyshev distance `ring`.
    fn ring(&self, center: (usize, usize), ring: usize, out: &mut Vec<(u16, Vec2)>) {
        let (cx, cz) = (center.0 as isize, center.1 as isize);
        let r = ring as isize;
        for z in (cz - r)..=(cz + r) {
            if z < 0 || z >= self.rows as isize {
                continue;
            }
            let edge_row = z == cz - r || z == cz + r;
            let step = if edge_row || r == 0 {
                1
            } else {
                (2 * r) as usize
            };
            let mut x = cx - r;
            while x <= cx + r {
                if x >= 0 && x < self.cols as isize {
                    let c = z as usize * self.cols + x as usize;
                    let (a, b) = (self.starts[c] as usize, self.starts[c + 1] as usize);
                    out.extend_from_slice(&self.items[a..b]);
                }
                x += step as isize;
            }
        }
    }

    /// The (up to) `max` nearest avatars within `radius` of `p`: (id, distance², tier).
    pub fn nearest(
        &self,
        p: Vec2,
        radius: f32,
        max: usize,
        out: &mut Vec<(u16, f32, u8)>,
        scratch: &mut Vec<(u16, Vec2)>,
    ) {
        out.clear();
        scratch.clear();
        if self.items.is_empty() {
            return;
        }
        let center = self.coords(p);
        let max_ring = (radius / self.cell).ceil() as usize + 1;
        let mut ring = 0;
        // Grow rings until there are enough candidates, then one more ring so that nobody
        // just across a cell border is passed over for someone farther away.
        let mut extra = None;
        while ring <= max_ring && ring <= self.cols.max(self.rows) {
            self.ring(center, ring, scratch);
            match extra {
                None if scratch.len() >= max => extra = Some(ring + 1),
                Some(last) if ring >= last => break,
                _ => {}
            }
            ring += 1;
        }
        let r2 = radius * radius;
        out.extend(scratch.iter().filter_map(|(id, q)| {
            let d2 = q.distance_squared(p);
            (d2 <= r2).then_some((*id, d2, 0))
        }));
        let by_distance = |a: &(u16, f32, u8), b: &(u16, f32, u8)| a.1.total_cmp(&b.1);
        if out.len() > max {
            out.select_nth_unstable_by(max - 1, by_distance);
            out.truncate(max);
        }
        // Tiers by rank: partition twice instead of sorting the whole list.
        let near = NEAR_COUNT.min(out.len());
        if out.len() > near && near > 0 {
            out.select_nth_unstable_by(near - 1, by_distance);
        }
        let mid = (NEAR_COUNT + MID_COUNT).min(out.len());
        if out.len() > mid && mid > near {
            out[near..].select_nth_unstable_by(mid - near - 1, by_distance);
        }
        for (i, entry) in out.iter_mut().enumerate() {
            entry.2 = if i < near {
                0
            } else if i < mid {
                1
            } else {
                2
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_matches_brute_force() {
        let mut pts = Vec::new();
        let mut s = 12345u32;
        for id in 0..500u16 {
            s = s.wrapping_mul(1664525).wrapping_add(1013904223);
            let x = (s >> 8) as f32 / (1u32 << 24) as f32 * 80.0;
            s = s.wrapping_mul(1664525).wrapping_add(1013904223);
            let z = (s >> 8) as f32 / (1u32 << 24) as f32 * 50.0;
            pts.push((id, Vec2::new(x, z)));
        }
        let mut grid = Grid::default();
        grid.rebuild(4.0, pts.iter().copied());
        let (mut out, mut scratch) = (Vec::new(), Vec::new());
        let p = Vec2::new(30.0, 20.0);
        grid.nearest(p, 40.0, 100, &mut out, &mut scratch);
        let mut brute: Vec<(u16, f32)> = pts
            .iter()
            .map(|(id, q)| (*id, q.distance_squared(p)))
            .filter(|(_, d)| *d <= 1600.0)
            .collect();
        brute.sort_by(|a, b| a.1.total_cmp(&b.1));
        brute.truncate(100);
        let mut got: Vec<u16> = out.iter().map(|e| e.0).collect();
        let mut want: Vec<u16> = brute.iter().map(|e| e.0).collect();
        got.sort();
        want.sort();
        assert_eq!(got, want);
        let near: Vec<u16> = out.iter().filter(|e| e.2 == 0).map(|e| e.0).collect();
        assert_eq!(near.len(), NEAR_COUNT);
        for id in near {
            assert!(brute[..NEAR_COUNT].iter().any(|b| b.0 == id));
        }
        // Radius limits too.
        grid.nearest(p, 1.0, 100, &mut out, &mut scratch);
        assert!(out.iter().all(|e| e.1 <= 1.0));
    }
}
