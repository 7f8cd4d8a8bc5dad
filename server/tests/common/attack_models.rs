//! Files built to hurt the ingest, as an attacker would make them (shared by the attack tests
//! and the ingest benchmark). Each is small to send and was expensive before the budgets.

use std::io::Write;

use base64::Engine;
use serde_json::json;

/// A GLB from its JSON and binary chunk (the server's own container writer).
pub fn raw_glb(json: &serde_json::Value, bin: &[u8]) -> Vec<u8> {
    stadtlab_server::exhibits::glb::assemble(&serde_json::to_vec(json).unwrap(), bin)
}

/// One triangle indexed into a POSITION accessor of a million vertices, drawn by 40 nodes:
/// 120 triangles, but 40 million vertices to read (12 MB file).
pub fn amplification() -> Vec<u8> {
    let vertices = 1_000_000usize;
    let mut bin = vec![0u8; vertices * 12];
    for (i, v) in [[0.0f32, 0.0, 0.0], [0.5, 0.0, 0.0], [0.0, 0.5, 0.0]]
        .iter()
        .enumerate()
    {
        for (k, c) in v.iter().enumerate() {
            bin[i * 12 + k * 4..i * 12 + k * 4 + 4].copy_from_slice(&c.to_le_bytes());
        }
    }
    let index_at = bin.len();
    for i in [0u16, 1, 2] {
        bin.extend_from_slice(&i.to_le_bytes());
    }
    let nodes: Vec<_> = (0..40)
        .map(|i| json!({"mesh": 0, "translation": [i as f32, 0, 0]}))
        .collect();
    let json = json!({
        "asset": {"version": "2.0"},
        "buffers": [{"byteLength": bin.len() + 2}],
        "bufferViews": [
            {"buffer": 0, "byteOffset": 0, "byteLength": index_at},
            {"buffer": 0, "byteOffset": index_at, "byteLength": 6}
        ],
        "accessors": [
            {"bufferView": 0, "componentType": 5126, "count": vertices, "type": "VEC3",
             "min": [0, 0, 0], "max": [0.5, 0.5, 0]},
            {"bufferView": 1, "componentType": 5123, "count": 3, "type": "SCALAR"}
        ],
        "meshes": [{"primitives": [{"attributes": {"POSITION": 0}, "indices": 1}]}],
        "nodes": nodes,
        "scenes": [{"nodes": (0..40).collect::<Vec<_>>()}],
        "scene": 0
    });
    raw_glb(&json, &bin)
}

/// A grey PNG of `w` × `h` pixels (zeros compress to almost nothing: a bomb when large).
pub fn png(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(png::ColorType::Grayscale);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::Fast);
    let mut writer = enc.write_header().unwrap();
    let mut stream = writer.stream_writer().unwrap();
    let row = vec![0x80u8; w as usize];
    for _ in 0..h {
        stream.write_all(&row).unwrap();
    }
    stream.finish().unwrap();
    drop(writer);
    out
}

/// A quad with `images` images that all point into one buffer given as a data: URI (5 MB of
/// base64 once, 200 copies before the fix).
pub fn shared_image(images: usize) -> Vec<u8> {
    let picture = png(2048, 2048);
    let mut data = picture.clone();
    data.resize(4 * 1024 * 1024, 0);
    let uri = format!(
        "data:application/octet-stream;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(&data)
    );
    let mut bin = Vec::new();
    for v in [[0.0f32, 0.0, 0.0], [0.5, 0.0, 0.0], [0.0, 0.5, 0.0]] {
        for c in v {
            bin.extend_from_slice(&c.to_le_bytes());
        }
    }
    // Buffer 0 is the GLB's BIN chunk (the triangle), buffer 1 the data: URI (the picture).
    let json = json!({
        "asset": {"version": "2.0"},
        "buffers": [{"byteLength": bin.len()}, {"byteLength": data.len(), "uri": uri}],
        "bufferViews": [
            {"buffer": 1, "byteOffset": 0, "byteLength": picture.len()},
            {"buffer": 0, "byteOffset": 0, "byteLength": bin.len()}
        ],
        "accessors": [{"bufferView": 1, "componentType": 5126, "count": 3, "type": "VEC3",
                       "min": [0, 0, 0], "max": [0.5, 0.5, 0]}],
        "images": (0..images).map(|_| json!({"bufferView": 0, "mimeType": "image/png"})).collect::<Vec<_>>(),
        "textures": (0..images).map(|i| json!({"source": i})).collect::<Vec<_>>(),
        "materials": [{"pbrMetallicRoughness": {"baseColorTexture": {"index": 0}}}],
        "meshes": [{"primitives": [{"attributes": {"POSITION": 0}, "material": 0}]}],
        "nodes": [{"mesh": 0}],
        "scenes": [{"nodes": [0]}]
    });
    raw_glb(&json, &bin)
}

/// 99,000 triangles between 1,000 points on a sphere: every triangle spans the picture, so
/// the thumbnail costs 99,000 × 65,536 pixel tests without a budget (586 KB file).
pub fn thumbnail_heavy() -> Vec<u8> {
    let points = 1000usize;
    let mut bin = Vec::new();
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for i in 0..points {
        let t = i as f32 / points as f32;
        let (theta, phi) = (t * 97.0, (1.0 - 2.0 * t).acos());
        let v = [
            0.4 * phi.sin() * theta.cos(),
            0.4 + 0.4 * phi.cos(),
            0.4 * phi.sin() * theta.sin(),
        ];
        for c in v {
            bin.extend_from_slice(&c.to_le_bytes());
        }
    }
    let index_at = bin.len();
    let triangles = 99_000usize;
    for _ in 0..triangles * 3 {
        bin.extend_from_slice(&((next() % points as u64) as u16).to_le_bytes());
    }
    let json = json!({
        "asset": {"version": "2.0"},
        "buffers": [{"byteLength": bin.len()}],
        "bufferViews": [
            {"buffer": 0, "byteOffset": 0, "byteLength": index_at},
            {"buffer": 0, "byteOffset": index_at, "byteLength": triangles * 6}
        ],
        "accessors": [
            {"bufferView": 0, "componentType": 5126, "count": points, "type": "VEC3",
             "min": [-0.4, 0, -0.4], "max": [0.4, 0.8, 0.4]},
            {"bufferView": 1, "componentType": 5123, "count": triangles * 3, "type": "SCALAR"}
        ],
        "meshes": [{"primitives": [{"attributes": {"POSITION": 0}, "indices": 1}]}],
        "nodes": [{"mesh": 0}],
        "scenes": [{"nodes": [0]}]
    });
    raw_glb(&json, &bin)
}

/// A small valid model followed by `padding` bytes nobody refers to (a large upload that is
/// accepted: the canonical GLB drops the padding).
pub fn padded(padding: usize) -> Vec<u8> {
    let mut bin = Vec::new();
    for v in [[0.0f32, 0.0, 0.0], [0.5, 0.0, 0.0], [0.0, 0.5, 0.0]] {
        for c in v {
            bin.extend_from_slice(&c.to_le_bytes());
        }
    }
    let geometry = bin.len();
    bin.resize(geometry + padding, 0x5a);
    let json = json!({
        "asset": {"version": "2.0"},
        "buffers": [{"byteLength": bin.len()}],
        "bufferViews": [{"buffer": 0, "byteOffset": 0, "byteLength": geometry}],
        "accessors": [{"bufferView": 0, "componentType": 5126, "count": 3, "type": "VEC3",
                       "min": [0, 0, 0], "max": [0.5, 0.5, 0]}],
        "meshes": [{"primitives": [{"attributes": {"POSITION": 0}}]}],
        "nodes": [{"mesh": 0}],
        "scenes": [{"nodes": [0]}]
    });
    raw_glb(&json, &bin)
}
