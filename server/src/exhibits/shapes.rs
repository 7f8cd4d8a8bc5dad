//! Solid shapes for the generated exhibits: boxes, cylinders, cones, spheres and roofs,
//! each placed by a transform and coloured by a material. Flat-shaded where edges are sharp.

use glam::{Mat4, Quat, Vec3};

use super::glb::{Material, Model, Part};

/// Collects shapes into one [`Model`], one part per material.
#[derive(Default)]
pub struct ModelBuilder {
    model: Model<'static>,
}

impl ModelBuilder {
    /// Adds a material and returns its handle.
    pub fn material(&mut self, material: Material) -> usize {
        self.model.materials.push(material);
        self.model.parts.push(Part::default());
        self.model.parts.len() - 1
    }

    pub fn finish(self) -> Model<'static> {
        self.model
    }

    fn add(
        &mut self,
        mat: usize,
        transform: Mat4,
        positions: &[Vec3],
        normals: &[Vec3],
        indices: &[u32],
    ) {
        let part = &mut self.model.parts[mat];
        let base = part.positions.len() as u32;
        let normal_matrix = transform.inverse().transpose();
        part.positions.extend(
            positions
                .iter()
                .map(|p| transform.transform_point3(*p).to_array()),
        );
        part.normals.extend(normals.iter().map(|n| {
            normal_matrix
                .transform_vector3(*n)
                .normalize_or_zero()
                .to_array()
        }));
        part.indices.extend(indices.iter().map(|i| base + i));
    }

    /// An axis-aligned box from `min` to `max`.
    pub fn cuboid(&mut self, mat: usize, min: Vec3, max: Vec3) {
        self.cuboid_at(mat, Mat4::from_translation((min + max) / 2.0), max - min);
    }

    /// A box of `size` centred at the transform's origin.
    pub fn cuboid_at(&mut self, mat: usize, transform: Mat4, size: Vec3) {
        let h = size / 2.0;
        let mut positions = Vec::with_capacity(24);
        let mut normals = Vec::with_capacity(24);
        let mut indices = Vec::with_capacity(36);
        for (n, u, v) in [
            (Vec3::X, Vec3::Z, Vec3::Y),
            (Vec3::NEG_X, Vec3::Y, Vec3::Z),
            (Vec3::Y, Vec3::X, Vec3::Z),
            (Vec3::NEG_Y, Vec3::Z, Vec3::X),
            (Vec3::Z, Vec3::Y, Vec3::X),
            (Vec3::NEG_Z, Vec3::X, Vec3::Y),
        ] {
            let base = positions.len() as u32;
            // u × v points along -n for half the faces: order the corners so each face is
            // counter-clockwise seen from outside.
            let (u, v) = if u.cross(v).dot(n) > 0.0 {
                (u, v)
            } else {
                (v, u)
            };
            for (a, b) in [(-1.0, -1.0), (1.0, -1.0), (1.0, 1.0), (-1.0, 1.0)] {
                positions.push((n + u * a + v * b) * h);
                normals.push(n);
            }
            indices.extend([base, base + 1, base + 2, base, base + 2, base + 3]);
        }
        self.add(mat, transform, &positions, &normals, &indices);
    }

    /// A cylinder (or a cone, with `top_radius` 0) standing on the transform's origin, along +Y.
    pub fn cylinder_at(
        &mut self,
        mat: usize,
        transform: Mat4,
        radius: f32,
        top_radius: f32,
        height: f32,
        segments: u32,
    ) {
        let mut positions = Vec::new();
        let mut normals = Vec::new();
        let mut indices = Vec::new();
        let slope = (radius - top_radius) / height;
        for i in 0..=segments {
            let a = i as f32 / segments as f32 * std::f32::consts::TAU;
            let (s, c) = a.sin_cos();
            let n = Vec3::new(c, slope, s).normalize();
            positions.push(Vec3::new(c * radius, 0.0, s * radius));
            normals.push(n);
            positions.push(Vec3::new(c * top_radius, height, s * top_radius));
            normals.push(n);
        }
        for i in 0..segments {
            let b = i * 2;
            indices.extend([b, b + 1, b + 2, b + 1, b + 3, b + 2]);
        }
        for (y, r, n) in [(0.0, radius, Vec3::NEG_Y), (height, top_radius, Vec3::Y)] {
            if r <= 0.0 {
                continue;
            }
            let centre = positions.len() as u32;
            positions.push(Vec3::new(0.0, y, 0.0));
            normals.push(n);
            for i in 0..=segments {
                let a = i as f32 / segments as f32 * std::f32::consts::TAU;
                positions.push(Vec3::new(a.cos() * r, y, a.sin() * r));
                normals.push(n);
            }
            for i in 0..segments {
                let (p, q) = (centre + 1 + i, centre + 2 + i);
                if n.y > 0.0 {
                    indices.extend([centre, q, p]);
                } else {
                    indices.extend([centre, p, q]);
                }
            }
        }
        self.add(mat, transform, &positions, &normals, &indices);
    }

    /// An upright cylinder standing on `base`.
    pub fn cylinder(&mut self, mat: usize, base: Vec3, radius: f32, height: f32) {
        self.cylinder_at(
            mat,
            Mat4::from_translation(base),
            radius,
            radius,
            height,
            20,
        );
    }

    /// A wheel: a flat cylinder around `axis` through `centre`.
    pub fn disc(&mut self, mat: usize, centre: Vec3, axis: Vec3, radius: f32, thickness: f32) {
        let rot = Quat::from_rotation_arc(Vec3::Y, axis.normalize());
        let t = Mat4::from_rotation_translation(rot, centre)
            * Mat4::from_translation(Vec3::new(0.0, -thickness / 2.0, 0.0));
        self.cylinder_at(mat, t, radius, radius, thickness, 24);
    }

    /// A rod from `a` to `b`.
    pub fn rod(&mut self, mat: usize, a: Vec3, b: Vec3, radius: f32) {
        let d = b - a;
        let rot = Quat::from_rotation_arc(Vec3::Y, d.normalize());
        self.cylinder_at(
            mat,
            Mat4::from_rotation_translation(rot, a),
            radius,
            radius,
            d.length(),
            10,
        );
    }

    /// A UV sphere.
    pub fn sphere(&mut self, mat: usize, centre: Vec3, radius: f32) {
        let (rings, segments) = (10u32, 16u32);
        let mut positions = Vec::new();
        let mut normals = Vec::new();
        let mut indices = Vec::new();
        for r in 0..=rings {
            let phi = r as f32 / rings as f32 * std::f32::consts::PI;
            for s in 0..=segments {
                let theta = s as f32 / segments as f32 * std::f32::consts::TAU;
                let n = Vec3::new(phi.sin() * theta.cos(), phi.cos(), phi.sin() * theta.sin());
                positions.push(n * radius);
                normals.push(n);
            }
        }
        let w = segments + 1;
        for r in 0..rings {
            for s in 0..segments {
                let a = r * w + s;
                indices.extend([a, a + 1, a + w, a + 1, a + w + 1, a + w]);
            }
        }
        self.add(
            mat,
            Mat4::from_translation(centre),
            &positions,
            &normals,
            &indices,
        );
    }

    /// A gable roof over the rectangle `min`..`max` (x, z) at height `eave`, ridge along x.
    pub fn gable_roof(&mut self, mat: usize, min: Vec3, max: Vec3, ridge_height: f32) {
        let (x0, x1, z0, z1, y) = (min.x, max.x, min.z, max.z, min.y);
        let zm = (z0 + z1) / 2.0;
        let top = y + ridge_height;
        let south = [
            Vec3::new(x0, y, z0),
            Vec3::new(x1, y, z0),
            Vec3::new(x1, top, zm),
            Vec3::new(x0, top, zm),
        ];
        let north = [
            Vec3::new(x1, y, z1),
            Vec3::new(x0, y, z1),
            Vec3::new(x0, top, zm),
            Vec3::new(x1, top, zm),
        ];
        for quad in [south, north] {
            let n = (quad[1] - quad[0]).cross(quad[2] - quad[0]).normalize();
            // Roof faces point up: flip the winding where the corners came out clockwise.
            if n.y >= 0.0 {
                self.add(mat, Mat4::IDENTITY, &quad, &[n; 4], &[0, 1, 2, 0, 2, 3]);
            } else {
                self.add(mat, Mat4::IDENTITY, &quad, &[-n; 4], &[0, 2, 1, 0, 3, 2]);
            }
        }
        for (x, n) in [(x0, Vec3::NEG_X), (x1, Vec3::X)] {
            let tri = [
                Vec3::new(x, y, z0),
                Vec3::new(x, y, z1),
                Vec3::new(x, top, zm),
            ];
            let order: [u32; 3] = if n.x > 0.0 { [0, 2, 1] } else { [0, 1, 2] };
            self.add(mat, Mat4::IDENTITY, &tri, &[n; 3], &order);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn box_faces_point_outwards() {
        let mut b = ModelBuilder::default();
        let m = b.material(Material::color("grey", 0x808080));
        b.cuboid(m, Vec3::ZERO, Vec3::ONE);
        let model = b.finish();
        let part = &model.parts[0];
        assert_eq!(part.triangles(), 12);
        for tri in part.indices.chunks(3) {
            let [a, b, c] = [0, 1, 2].map(|k| Vec3::from(part.positions[tri[k] as usize]));
            let face = (b - a).cross(c - a);
            let centre = (a + b + c) / 3.0 - Vec3::splat(0.5);
            assert!(face.dot(centre) > 0.0, "a face points inwards");
        }
    }
}
