//! Joining corners that lie at exactly the same point while a triangle soup is read: an STL
//! lists every corner once per triangle, and holding them all would cost three times the
//! memory of holding each point once.

use std::collections::HashMap;

use glam::Vec3;

#[derive(Default)]
pub struct Welder {
    ids: HashMap<[u32; 3], u32>,
    pub positions: Vec<Vec3>,
}

impl Welder {
    pub fn with_capacity(points: usize) -> Self {
        Welder {
            ids: HashMap::with_capacity(points),
            positions: Vec::with_capacity(points),
        }
    }

    /// The index of this point; −0.0 and 0.0 are the same point.
    pub fn id(&mut self, p: Vec3) -> u32 {
        let p = p + Vec3::ZERO;
        let key = p.to_array().map(f32::to_bits);
        *self.ids.entry(key).or_insert_with(|| {
            self.positions.push(p);
            (self.positions.len() - 1) as u32
        })
    }
}
