//! The repairs that invent nothing: corners at the same point joined, faces turned to agree
//! with their neighbours, a model turned inside out turned right, triangles without corners
//! of their own dropped. Holes are left open: filling them means guessing a surface (the
//! slicers switched their hole filling off for that reason).

use std::collections::VecDeque;

use super::mesh::Mesh;
use super::topology::{CROWDED, OPEN, Topology};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Repairs {
    /// Faces turned round to agree with their neighbours.
    pub flipped: usize,
    /// The whole model was inside out (negative volume) and was turned.
    pub inverted: bool,
    /// Triangles whose corners coincide, dropped.
    pub dropped: usize,
}

impl Repairs {
    pub fn changed_anything(&self) -> bool {
        self.flipped > 0 || self.inverted || self.dropped > 0
    }
}

/// Turns faces so that neighbours agree (within each piece reachable across clean edges,
/// the smaller group is turned), then the whole model if its volume is negative; drops
/// collapsed triangles. `topo` must describe `mesh`.
pub fn repair(mesh: &mut Mesh, topo: &Topology) -> Repairs {
    let n = mesh.triangles.len();
    let mut flip = vec![false; n];
    let mut seen = vec![false; n];
    let mut queue = VecDeque::new();
    let mut patch = Vec::new();
    let mut flipped = 0;
    for seed in 0..n {
        if seen[seed] {
            continue;
        }
        seen[seed] = true;
        patch.clear();
        queue.push_back(seed);
        while let Some(t) = queue.pop_front() {
            patch.push(t);
            for k in 0..3 {
                let other = topo.neighbours[t][k];
                if other == OPEN || other == CROWDED {
                    continue;
                }
                let other = other as usize;
                if !seen[other] {
                    seen[other] = true;
                    // Agreeing neighbours run their shared edge in opposite directions.
                    let same_way = topo.same_way[t] & (1 << k) != 0;
                    flip[other] = flip[t] ^ same_way;
                    queue.push_back(other);
                }
            }
        }
        let turned = patch.iter().filter(|&&t| flip[t]).count();
        if turned * 2 > patch.len() {
            for &t in &patch {
                flip[t] = !flip[t];
            }
        }
        flipped += turned.min(patch.len() - turned);
    }
    for (t, tri) in mesh.triangles.iter_mut().enumerate() {
        if flip[t] {
            tri.swap(1, 2);
        }
    }
    let inverted = super::measure::signed_volume(mesh) < 0.0;
    if inverted {
        for tri in &mut mesh.triangles {
            tri.swap(1, 2);
        }
    }
    let dropped = topo.collapsed.len();
    if dropped > 0 {
        drop_triangles(mesh, &topo.collapsed);
    }
    Repairs {
        flipped,
        inverted,
        dropped,
    }
}

/// Removes the listed triangles (sorted indices), keeping the colour runs right.
fn drop_triangles(mesh: &mut Mesh, sorted: &[u32]) {
    let mut gone = sorted.iter().peekable();
    let mut colour_of = Vec::with_capacity(mesh.triangles.len());
    for run in &mesh.colours {
        colour_of.extend(std::iter::repeat_n(run.rgba, run.count));
    }
    let triangles = std::mem::take(&mut mesh.triangles);
    mesh.colours.clear();
    for (t, tri) in triangles.into_iter().enumerate() {
        if gone.peek() == Some(&&(t as u32)) {
            gone.next();
            continue;
        }
        let at = mesh.triangles.len();
        mesh.triangles.push(tri);
        let rgba = colour_of.get(t).copied().unwrap_or(super::mesh::PLAIN);
        mesh.add_run(at, 1, rgba);
    }
}
