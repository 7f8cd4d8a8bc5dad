//! The avatar, generated: a rounded body in the person's colour, a lighter head, a dark visor
//! that shows where they look. One mesh with vertex colours per colour and level of detail,
//! one shared material: every avatar of a colour is drawn in one instanced batch.

use bevy::mesh::{Mesh, MeshBuilder, Meshable};
use bevy::prelude::*;

/// Near avatars are drawn in detail, far ones coarse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Detail {
    Near,
    Far,
}

/// Beyond this distance an avatar switches to the coarse mesh.
pub const FAR_M: f32 = 14.0;

pub const EYE_HEIGHT_M: f32 = 1.45;
pub const HEAD_TOP_M: f32 = 1.62;

fn painted(mut mesh: Mesh, at: Vec3, color: Color) -> Mesh {
    mesh = mesh.translated_by(at);
    let n = mesh.count_vertices();
    let c = color.to_linear().to_f32_array();
    mesh.insert_attribute(Mesh::ATTRIBUTE_COLOR, vec![c; n]);
    mesh
}

/// The head is the body colour, mixed halfway with white: friendly, and no skin tone assumed.
pub fn head_color(body: Color) -> Color {
    let b = body.to_srgba();
    Color::srgb(0.5 + b.red * 0.5, 0.5 + b.green * 0.5, 0.5 + b.blue * 0.5)
}

pub fn avatar_mesh(rgb: u32, detail: Detail) -> Mesh {
    let body = Color::srgb_u8((rgb >> 16) as u8, (rgb >> 8) as u8, rgb as u8);
    let (lat, lon, sphere) = match detail {
        Detail::Near => (6, 16, (16, 10)),
        // Bevy's capsule needs at least 4 latitudes.
        Detail::Far => (4, 6, (6, 4)),
    };
    let mut mesh = painted(
        Capsule3d::new(0.25, 0.6)
            .mesh()
            .latitudes(lat)
            .longitudes(lon)
            .build(),
        Vec3::new(0.0, 0.6, 0.0),
        body,
    );
    let head = painted(
        Sphere::new(0.2).mesh().uv(sphere.0, sphere.1),
        Vec3::new(0.0, 1.42, 0.0),
        head_color(body),
    );
    let visor = painted(
        Cuboid::new(0.24, 0.07, 0.08).mesh().build(),
        Vec3::new(0.0, 1.45, 0.16),
        Color::srgb(0.08, 0.1, 0.18),
    );
    mesh.merge(&head).expect("same attributes");
    mesh.merge(&visor).expect("same attributes");
    mesh
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn far_avatars_are_much_cheaper() {
        let tris = |d| avatar_mesh(0x1e66f5, d).indices().unwrap().len() / 3;
        let (near, far) = (tris(Detail::Near), tris(Detail::Far));
        assert!(near <= 600, "near avatar {near} triangles");
        assert!(far * 3 <= near, "far {far} vs near {near}");
    }
}
