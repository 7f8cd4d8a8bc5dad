//! Textures painted by code: oak planks, half-timbering, cobbles, sandstone. Small (256²) and
//! tiled by world-space UVs, so the whole room stays far inside a phone's texture budget.

use bevy::asset::RenderAssetUsages;
use bevy::image::{Image, ImageAddressMode, ImageSampler, ImageSamplerDescriptor};
use bevy::render::render_resource::{Extent3d, TextureDimension, TextureFormat};

pub const SIZE: u32 = 256;

/// A cheap, stable hash noise in [0, 1).
fn noise(x: u32, y: u32, seed: u32) -> f32 {
    let mut h = x
        .wrapping_mul(374_761_393)
        .wrapping_add(y.wrapping_mul(668_265_263))
        .wrapping_add(seed.wrapping_mul(2_147_483_647));
    h = (h ^ (h >> 13)).wrapping_mul(1_274_126_177);
    (h ^ (h >> 16)) as f32 / u32::MAX as f32
}

type Rgb = [f32; 3];

fn paint(f: impl Fn(u32, u32) -> Rgb) -> Image {
    let mut data = Vec::with_capacity((SIZE * SIZE * 4) as usize);
    for y in 0..SIZE {
        for x in 0..SIZE {
            let c = f(x, y);
            data.extend(c.map(|v| (v.clamp(0.0, 1.0) * 255.0) as u8));
            data.push(255);
        }
    }
    let mut image = Image::new(
        Extent3d {
            width: SIZE,
            height: SIZE,
            depth_or_array_layers: 1,
        },
        TextureDimension::D2,
        data,
        TextureFormat::Rgba8UnormSrgb,
        RenderAssetUsages::RENDER_WORLD,
    );
    image.sampler = ImageSampler::Descriptor(ImageSamplerDescriptor {
        address_mode_u: ImageAddressMode::Repeat,
        address_mode_v: ImageAddressMode::Repeat,
        ..ImageSamplerDescriptor::linear()
    });
    image
}

fn shade(c: Rgb, k: f32) -> Rgb {
    c.map(|v| v * k)
}

/// Oak floor boards: 8 boards across the tile, staggered joints, grain streaks.
pub fn oak_planks() -> Image {
    let board = SIZE / 8;
    paint(|x, y| {
        let row = y / board;
        let offset = (noise(row, 0, 7) * SIZE as f32) as u32;
        let along = (x + offset) % SIZE;
        let joint = y.is_multiple_of(board) || along.is_multiple_of(SIZE / 2);
        let grain = 0.85 + 0.15 * noise(x / 12, y, row);
        let tone = 0.9 + 0.2 * noise(row, along / (SIZE / 2), 3);
        if joint {
            [0.25, 0.16, 0.09]
        } else {
            shade([0.62, 0.43, 0.26], grain * tone)
        }
    })
}

/// Half-timbering for one tile of 3.4 m: sill, rail and plate beams, posts, a diagonal brace;
/// white lime plaster between.
pub fn half_timber() -> Image {
    let s = SIZE as f32;
    paint(|x, y| {
        let (u, v) = (x as f32 / s, y as f32 / s);
        let beam = |c: f32, w: f32, t: f32| (t - c).abs() < w;
        let timber = beam(0.03, 0.035, v)
            || beam(0.97, 0.035, v)
            || beam(0.5, 0.025, v)
            || beam(0.03, 0.03, u)
            || beam(0.5, 0.03, u)
            // a brace across the lower half of the left field
            || (v > 0.5 && (u - (v - 0.5)).abs() < 0.03 && u < 0.5);
        let n = noise(x / 3, y / 3, 11);
        if timber {
            shade([0.23, 0.15, 0.1], 0.85 + 0.3 * n)
        } else {
            shade([0.95, 0.94, 0.9], 0.94 + 0.06 * n)
        }
    })
}

/// Grey-brown cobbles in staggered rows.
pub fn cobbles() -> Image {
    let cell = SIZE / 8;
    paint(|x, y| {
        let row = y / cell;
        let xs = x + if row % 2 == 1 { cell / 2 } else { 0 };
        let (cx, cy) = (xs % cell, y % cell);
        let edge = cx.min(cell - cx).min(cy).min(cell - cy);
        let stone = noise(xs / cell, row, 5);
        if edge < 2 {
            [0.2, 0.19, 0.17]
        } else {
            shade([0.55, 0.52, 0.48], 0.75 + 0.35 * stone)
        }
    })
}

/// Soest greensand-like stone: fine speckle.
pub fn sandstone() -> Image {
    paint(|x, y| {
        let n = 0.85 + 0.2 * noise(x, y, 17) + 0.05 * noise(x / 16, y / 16, 19);
        shade([0.58, 0.6, 0.48], n)
    })
}

/// Plain plaster for the ceiling and inner walls.
pub fn plaster() -> Image {
    paint(|x, y| shade([0.93, 0.92, 0.88], 0.95 + 0.05 * noise(x / 2, y / 2, 23)))
}
