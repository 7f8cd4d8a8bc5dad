//! The one shape every printable format is read into: triangles over shared positions, in
//! millimetres, with a colour per run of triangles for the view.

use glam::Vec3;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Mesh {
    /// Millimetres, in the file's build coordinates (3MF build transforms applied).
    pub positions: Vec<Vec3>,
    pub triangles: Vec<[u32; 3]>,
    /// Runs of triangles with one colour (linear RGBA), in order; together they cover
    /// every triangle.
    pub colours: Vec<ColourRun>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ColourRun {
    pub first: usize,
    pub count: usize,
    pub rgba: [f32; 4],
}

/// The grey a model without colours is shown in.
pub const PLAIN: [f32; 4] = [0.72, 0.74, 0.78, 1.0];

impl Mesh {
    /// Appends triangles (indices into `positions` as given) in one colour.
    pub fn push_part(&mut self, positions: &[Vec3], triangles: &[[u32; 3]], rgba: [f32; 4]) {
        let base = self.positions.len() as u32;
        self.positions.extend_from_slice(positions);
        let first = self.triangles.len();
        self.triangles
            .extend(triangles.iter().map(|t| t.map(|i| i + base)));
        self.add_run(first, triangles.len(), rgba);
    }

    /// Records that `count` triangles from `first` have this colour (merging with the run
    /// before when it is the same colour).
    pub fn add_run(&mut self, first: usize, count: usize, rgba: [f32; 4]) {
        if count == 0 {
            return;
        }
        if let Some(last) = self.colours.last_mut()
            && last.rgba == rgba
            && last.first + last.count == first
        {
            last.count += count;
            return;
        }
        self.colours.push(ColourRun { first, count, rgba });
    }

    pub fn corners(&self, t: usize) -> [Vec3; 3] {
        self.triangles[t].map(|i| self.positions[i as usize])
    }

    /// Smallest and largest corner over all triangles (unused positions do not count).
    pub fn bounds(&self) -> Option<(Vec3, Vec3)> {
        let mut used = self.triangles.iter().flatten();
        let first = self.positions[*used.next()? as usize];
        let (mut lo, mut hi) = (first, first);
        for &i in used {
            let p = self.positions[i as usize];
            lo = lo.min(p);
            hi = hi.max(p);
        }
        Some((lo, hi))
    }

    pub fn scale(&mut self, factor: f32) {
        for p in &mut self.positions {
            *p *= factor;
        }
    }
}
