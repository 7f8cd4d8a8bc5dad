//! Axis-aligned boxes with world-space texture coordinates, merged into one mesh per
//! material: the room costs one draw call per material, however many walls it has.

use bevy::asset::RenderAssetUsages;
use bevy::mesh::{Indices, Mesh, PrimitiveTopology};
use bevy::prelude::*;

/// Vertices, normals, UVs and indices of many boxes.
#[derive(Default)]
pub struct BoxBatch {
    positions: Vec<[f32; 3]>,
    normals: Vec<[f32; 3]>,
    uvs: Vec<[f32; 2]>,
    indices: Vec<u32>,
}

impl BoxBatch {
    pub fn is_empty(&self) -> bool {
        self.indices.is_empty()
    }

    pub fn triangles(&self) -> usize {
        self.indices.len() / 3
    }

    /// One quad; `u`/`v` are the world axes its texture runs along, in metres per tile.
    fn quad(&mut self, corners: [Vec3; 4], normal: Vec3, tile: f32, top: f32) {
        let base = self.positions.len() as u32;
        let (ua, va) = if normal.y.abs() > 0.5 {
            (Vec3::X, Vec3::Z)
        } else if normal.x.abs() > 0.5 {
            (Vec3::Z, Vec3::Y)
        } else {
            (Vec3::X, Vec3::Y)
        };
        for c in corners {
            self.positions.push(c.to_array());
            self.normals.push(normal.to_array());
            let v = if va == Vec3::Y { top - c.y } else { c.dot(va) };
            self.uvs.push([c.dot(ua) / tile, v / tile]);
        }
        self.indices
            .extend([base, base + 1, base + 2, base, base + 2, base + 3]);
    }

    /// A box from `min` to `max`; textures repeat every `tile` metres, walls line up at `top`.
    pub fn add_box(&mut self, min: Vec3, max: Vec3, tile: f32, top: f32) {
        let (a, b) = (min, max);
        let p = |x: f32, y: f32, z: f32| Vec3::new(x, y, z);
        // Counter-clockwise seen from outside.
        self.quad(
            [
                p(a.x, b.y, a.z),
                p(a.x, b.y, b.z),
                p(b.x, b.y, b.z),
                p(b.x, b.y, a.z),
            ],
            Vec3::Y,
            tile,
            top,
        );
        self.quad(
            [
                p(a.x, a.y, a.z),
                p(b.x, a.y, a.z),
                p(b.x, a.y, b.z),
                p(a.x, a.y, b.z),
            ],
            Vec3::NEG_Y,
            tile,
            top,
        );
        self.quad(
            [
                p(a.x, a.y, b.z),
                p(b.x, a.y, b.z),
                p(b.x, b.y, b.z),
                p(a.x, b.y, b.z),
            ],
            Vec3::Z,
            tile,
            top,
        );
        self.quad(
            [
                p(b.x, a.y, a.z),
                p(a.x, a.y, a.z),
                p(a.x, b.y, a.z),
                p(b.x, b.y, a.z),
            ],
            Vec3::NEG_Z,
            tile,
            top,
        );
        self.quad(
            [
                p(b.x, a.y, b.z),
                p(b.x, a.y, a.z),
                p(b.x, b.y, a.z),
                p(b.x, b.y, b.z),
            ],
            Vec3::X,
            tile,
            top,
        );
        self.quad(
            [
                p(a.x, a.y, a.z),
                p(a.x, a.y, b.z),
                p(a.x, b.y, b.z),
                p(a.x, b.y, a.z),
            ],
            Vec3::NEG_X,
            tile,
            top,
        );
    }

    /// A horizontal quad facing up (`up`) or down, for floors and the ceiling.
    pub fn add_plane(&mut self, min: Vec2, max: Vec2, y: f32, up: bool, tile: f32) {
        let p = |x: f32, z: f32| Vec3::new(x, y, z);
        if up {
            self.quad(
                [
                    p(min.x, min.y),
                    p(min.x, max.y),
                    p(max.x, max.y),
                    p(max.x, min.y),
                ],
                Vec3::Y,
                tile,
                0.0,
            );
        } else {
            self.quad(
                [
                    p(min.x, min.y),
                    p(max.x, min.y),
                    p(max.x, max.y),
                    p(min.x, max.y),
                ],
                Vec3::NEG_Y,
                tile,
                0.0,
            );
        }
    }

    pub fn into_mesh(self) -> Mesh {
        Mesh::new(
            PrimitiveTopology::TriangleList,
            RenderAssetUsages::RENDER_WORLD,
        )
        .with_inserted_attribute(Mesh::ATTRIBUTE_POSITION, self.positions)
        .with_inserted_attribute(Mesh::ATTRIBUTE_NORMAL, self.normals)
        .with_inserted_attribute(Mesh::ATTRIBUTE_UV_0, self.uvs)
        .with_inserted_indices(Indices::U32(self.indices))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_box_is_twelve_triangles_with_outward_normals() {
        let mut b = BoxBatch::default();
        b.add_box(Vec3::ZERO, Vec3::ONE, 1.0, 1.0);
        assert_eq!(b.triangles(), 12);
        // Each triangle's winding agrees with its normal.
        for tri in b.indices.chunks(3) {
            let [p0, p1, p2] = [0, 1, 2].map(|i| Vec3::from(b.positions[tri[i] as usize]));
            let n = Vec3::from(b.normals[tri[0] as usize]);
            assert!((p1 - p0).cross(p2 - p0).dot(n) > 0.0);
        }
    }
}
