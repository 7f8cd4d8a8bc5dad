//! A bounding volume hierarchy over a mesh's triangles, for the two questions the checks ask
//! many times: which triangles are near this one (self-intersections) and what a ray hits
//! first (wall thickness). Written here rather than taken from parry3d or obvhs: both pull in
//! another glam or nalgebra for some 120 lines of median splits.

use glam::Vec3;

use super::mesh::Mesh;

const LEAF_SIZE: usize = 4;

pub struct Bvh {
    nodes: Vec<Node>,
    /// Triangle indices, grouped by leaf.
    order: Vec<u32>,
    /// Each triangle's box, for cheap tests before exact ones.
    pub boxes: Vec<(Vec3, Vec3)>,
}

#[derive(Clone, Copy)]
struct Node {
    lo: Vec3,
    hi: Vec3,
    /// Leaf: first index into `order`; inner: index of the left child (right is next).
    start: u32,
    /// Triangles in a leaf; 0 for an inner node.
    count: u32,
}

impl Bvh {
    pub fn build(mesh: &Mesh) -> Bvh {
        let n = mesh.triangles.len();
        let boxes: Vec<(Vec3, Vec3)> = (0..n)
            .map(|t| {
                let [a, b, c] = mesh.corners(t);
                (a.min(b).min(c), a.max(b).max(c))
            })
            .collect();
        // The boxes travel with their triangle numbers while sorting: walking them in place
        // is what keeps the build fast (looking them up by number misses the cache).
        let mut items: Vec<(Vec3, Vec3, u32)> = boxes
            .iter()
            .enumerate()
            .map(|(t, &(lo, hi))| (lo, hi, t as u32))
            .collect();
        let mut nodes = vec![Node {
            lo: Vec3::ZERO,
            hi: Vec3::ZERO,
            start: 0,
            count: 0,
        }];
        let mut stack = vec![(0usize, 0usize, n)];
        while let Some((node, start, end)) = stack.pop() {
            let (mut lo, mut hi) = (Vec3::splat(f32::MAX), Vec3::splat(f32::MIN));
            let (mut clo, mut chi) = (lo, hi);
            for &(a, b, _) in &items[start..end] {
                lo = lo.min(a);
                hi = hi.max(b);
                let c = (a + b) * 0.5;
                clo = clo.min(c);
                chi = chi.max(c);
            }
            nodes[node].lo = lo;
            nodes[node].hi = hi;
            if end - start <= LEAF_SIZE {
                nodes[node].start = start as u32;
                nodes[node].count = (end - start) as u32;
                continue;
            }
            let axis = (chi - clo).max_position();
            let mid = (start + end) / 2;
            items[start..end].select_nth_unstable_by(mid - start, |x, y| {
                (x.0[axis] + x.1[axis]).total_cmp(&(y.0[axis] + y.1[axis]))
            });
            let left = nodes.len();
            nodes.push(nodes[node]);
            nodes.push(nodes[node]);
            nodes[node].start = left as u32;
            nodes[node].count = 0;
            stack.push((left, start, mid));
            stack.push((left + 1, mid, end));
        }
        let order = items.into_iter().map(|(_, _, t)| t).collect();
        Bvh {
            nodes,
            order,
            boxes,
        }
    }

    /// Calls `f` with every triangle whose box meets the box `lo..hi`.
    pub fn overlapping(&self, lo: Vec3, hi: Vec3, mut f: impl FnMut(u32)) {
        if self.order.is_empty() {
            return;
        }
        let mut stack = vec![0u32];
        while let Some(i) = stack.pop() {
            let node = self.nodes[i as usize];
            if node.lo.cmpgt(hi).any() || node.hi.cmplt(lo).any() {
                continue;
            }
            if node.count == 0 {
                stack.push(node.start);
                stack.push(node.start + 1);
            } else {
                let s = node.start as usize;
                for &t in &self.order[s..s + node.count as usize] {
                    f(t);
                }
            }
        }
    }

    /// The nearest hit along a ray within `max_t`: `hit` tells the distance to a triangle,
    /// if the ray meets it (and it counts).
    pub fn nearest(
        &self,
        origin: Vec3,
        dir: Vec3,
        max_t: f32,
        mut hit: impl FnMut(u32) -> Option<f32>,
    ) -> Option<f32> {
        if self.order.is_empty() {
            return None;
        }
        let inv = dir.recip();
        let mut best = max_t;
        let mut found = false;
        let mut stack = vec![0u32];
        while let Some(i) = stack.pop() {
            let node = self.nodes[i as usize];
            let t1 = (node.lo - origin) * inv;
            let t2 = (node.hi - origin) * inv;
            let near = t1.min(t2).max_element().max(0.0);
            let far = t1.max(t2).min_element();
            if near > far || near > best {
                continue;
            }
            if node.count == 0 {
                stack.push(node.start);
                stack.push(node.start + 1);
            } else {
                let s = node.start as usize;
                for &t in &self.order[s..s + node.count as usize] {
                    if let Some(d) = hit(t)
                        && d < best
                    {
                        best = d;
                        found = true;
                    }
                }
            }
        }
        found.then_some(best)
    }
}
