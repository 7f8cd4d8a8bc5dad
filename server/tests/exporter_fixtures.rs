//! GLBs in the forms exporters write that need decoding: meshopt-compressed geometry
//! (`EXT_meshopt_compression`, gltfpack and Sketchfab) and a WebP texture with a texture
//! transform (`EXT_texture_webp`, `KHR_texture_transform`, gltf-transform). Made by our code:
//! the files in `fixtures/exporters/` are this generator's output (the client's tests open
//! the server's canonical GLB of each with the client's reader); the test fails when they
//! drift, and `STADTLAB_WRITE_FIXTURES=1` writes them anew.

mod common;

use std::path::PathBuf;

use common::attack_models::raw_glb;
use serde_json::json;
use stadtlab_server::exhibits::ingest;

const QUAD: [[f32; 3]; 4] = [
    [0.0, 0.0, 0.0],
    [0.6, 0.0, 0.0],
    [0.6, 0.6, 0.0],
    [0.0, 0.6, 0.0],
];
const QUAD_INDICES: [u32; 6] = [0, 1, 2, 0, 2, 3];

fn meshopt_glb() -> Vec<u8> {
    let vertices = meshopt::encode_vertex_buffer(&QUAD).unwrap();
    let indices = meshopt::encode_index_buffer(&QUAD_INDICES, QUAD.len()).unwrap();
    let mut bin = vertices.clone();
    while !bin.len().is_multiple_of(4) {
        bin.push(0);
    }
    let index_at = bin.len();
    bin.extend_from_slice(&indices);
    let ext = |offset: usize, length: usize, stride: usize, count: usize, mode: &str| {
        json!({"EXT_meshopt_compression": {"buffer": 0, "byteOffset": offset,
            "byteLength": length, "byteStride": stride, "count": count, "mode": mode}})
    };
    let doc = json!({
        "asset": {"version": "2.0", "generator": "stadtlab fixture (gltfpack-like)"},
        "extensionsUsed": ["EXT_meshopt_compression"],
        "extensionsRequired": ["EXT_meshopt_compression"],
        "buffers": [
            {"byteLength": bin.len()},
            {"byteLength": 72, "extensions": {"EXT_meshopt_compression": {"fallback": true}}}
        ],
        "bufferViews": [
            {"buffer": 1, "byteOffset": 0, "byteLength": 48, "byteStride": 12,
             "extensions": ext(0, vertices.len(), 12, 4, "ATTRIBUTES")},
            {"buffer": 1, "byteOffset": 48, "byteLength": 24,
             "extensions": ext(index_at, indices.len(), 4, 6, "TRIANGLES")}
        ],
        "accessors": [
            {"bufferView": 0, "componentType": 5126, "count": 4, "type": "VEC3",
             "min": [0, 0, 0], "max": [0.6, 0.6, 0]},
            {"bufferView": 1, "componentType": 5125, "count": 6, "type": "SCALAR"}
        ],
        "meshes": [{"primitives": [{"attributes": {"POSITION": 0}, "indices": 1}]}],
        "nodes": [{"mesh": 0}],
        "scenes": [{"nodes": [0]}]
    });
    raw_glb(&doc, &bin)
}

fn webp_glb() -> Vec<u8> {
    let (w, h) = (8u32, 8u32);
    let pixels: Vec<u8> = (0..w * h)
        .flat_map(|i| [(i * 4) as u8, 120, 255 - (i * 4) as u8])
        .collect();
    let mut webp = Vec::new();
    image_webp::WebPEncoder::new(&mut webp)
        .encode(&pixels, w, h, image_webp::ColorType::Rgb8)
        .unwrap();
    let mut bin = Vec::new();
    for v in QUAD {
        bin.extend(v.iter().flat_map(|c| c.to_le_bytes()));
    }
    for uv in [[0.0f32, 1.0], [1.0, 1.0], [1.0, 0.0], [0.0, 0.0]] {
        bin.extend(uv.iter().flat_map(|c| c.to_le_bytes()));
    }
    for i in QUAD_INDICES {
        bin.extend_from_slice(&(i as u16).to_le_bytes());
    }
    let image_at = bin.len();
    bin.extend_from_slice(&webp);
    let doc = json!({
        "asset": {"version": "2.0", "generator": "stadtlab fixture (gltf-transform-like)"},
        "extensionsUsed": ["EXT_texture_webp", "KHR_texture_transform"],
        "extensionsRequired": ["EXT_texture_webp"],
        "buffers": [{"byteLength": bin.len()}],
        "bufferViews": [
            {"buffer": 0, "byteOffset": 0, "byteLength": 48},
            {"buffer": 0, "byteOffset": 48, "byteLength": 32},
            {"buffer": 0, "byteOffset": 80, "byteLength": 12},
            {"buffer": 0, "byteOffset": image_at, "byteLength": webp.len()}
        ],
        "accessors": [
            {"bufferView": 0, "componentType": 5126, "count": 4, "type": "VEC3",
             "min": [0, 0, 0], "max": [0.6, 0.6, 0]},
            {"bufferView": 1, "componentType": 5126, "count": 4, "type": "VEC2"},
            {"bufferView": 2, "componentType": 5123, "count": 6, "type": "SCALAR"}
        ],
        "images": [{"bufferView": 3, "mimeType": "image/webp"}],
        "textures": [{"extensions": {"EXT_texture_webp": {"source": 0}}}],
        "materials": [{"pbrMetallicRoughness": {"baseColorTexture": {"index": 0,
            "extensions": {"KHR_texture_transform": {"scale": [2.0, 2.0]}}}}}],
        "meshes": [{"primitives": [{"attributes": {"POSITION": 0, "TEXCOORD_0": 1},
                                     "indices": 2, "material": 0}]}],
        "nodes": [{"mesh": 0}],
        "scenes": [{"nodes": [0]}]
    });
    raw_glb(&doc, &bin)
}

fn fixture(name: &str, made: &[u8]) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/exporters")
        .join(name);
    if std::env::var_os("STADTLAB_WRITE_FIXTURES").is_some() {
        std::fs::write(&path, made).unwrap();
    }
    let stored = std::fs::read(&path).unwrap_or_default();
    assert!(
        stored == made,
        "{} differs from its generator (STADTLAB_WRITE_FIXTURES=1 writes it)",
        path.display()
    );
}

#[test]
fn meshopt_compressed_geometry_is_decoded() {
    let glb = meshopt_glb();
    fixture("meshopt-quad.glb", &glb);
    let made = ingest::ingest(&glb).unwrap_or_else(|r| panic!("{:?}", r.problems));
    assert_eq!(made.report.triangles, 2);
}

#[test]
fn a_webp_texture_with_a_transform_becomes_png_with_moved_uvs() {
    let glb = webp_glb();
    fixture("webp-transform-quad.glb", &glb);
    let made = ingest::ingest(&glb).unwrap_or_else(|r| panic!("{:?}", r.problems));
    let notes = made.report.notes.join(" | ");
    assert!(notes.contains("WebP"), "{notes}");
    assert!(notes.contains("KHR_texture_transform"), "{notes}");
    let out = gltf::Gltf::from_slice(&made.glb).unwrap();
    let image = out.images().next().expect("the texture");
    let gltf::image::Source::View { mime_type, .. } = image.source() else {
        panic!("embedded")
    };
    assert_eq!(mime_type, "image/png");
    // The scale of 2 reached the UVs: some coordinate is 2.
    let blob = out.blob.as_deref().unwrap();
    let prim = out.meshes().next().unwrap().primitives().next().unwrap();
    let reader = prim.reader(|_| Some(blob));
    let max_u = reader
        .read_tex_coords(0)
        .unwrap()
        .into_f32()
        .map(|uv| uv[0])
        .fold(0.0f32, f32::max);
    assert!((max_u - 2.0).abs() < 1e-5, "{max_u}");
}
