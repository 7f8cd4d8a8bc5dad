//! glTF as the specification and the common exporters write it is accepted: integers written
//! as `1.0`, accessors without a bufferView with a sparse overlay, quantised positions
//! (`KHR_mesh_quantization`, required), custom attributes, optional extensions; what cannot
//! be read is refused with the export setting to change.

mod common;

use common::attack_models::raw_glb;
use serde_json::json;
use stadtlab_server::exhibits::ingest;

/// A triangle with int16 positions (normalised), a float `1.0` as a count's type, a custom
/// attribute, a sparse accessor without a bufferView for the normals, and a light.
fn exporter_style() -> Vec<u8> {
    let mut bin = Vec::new();
    for v in [[0i16, 0, 0, 0], [32767, 0, 0, 0], [0, 32767, 0, 0]] {
        for c in v {
            bin.extend_from_slice(&c.to_le_bytes());
        }
    }
    let feature_at = bin.len();
    for f in [0f32, 1.0, 2.0] {
        bin.extend_from_slice(&f.to_le_bytes());
    }
    let sparse_at = bin.len();
    bin.extend_from_slice(&[0u8, 1, 2, 0]); // sparse indices (u8) + padding
    for _ in 0..3 {
        for c in [0f32, 0.0, 1.0] {
            bin.extend_from_slice(&c.to_le_bytes());
        }
    }
    let doc = json!({
        "asset": {"version": "2.0", "generator": "an exporter"},
        "extensionsUsed": ["KHR_mesh_quantization", "KHR_lights_punctual"],
        "extensionsRequired": ["KHR_mesh_quantization"],
        "buffers": [{"byteLength": bin.len()}],
        "bufferViews": [
            {"buffer": 0, "byteOffset": 0, "byteLength": 24, "byteStride": 8.0},
            {"buffer": 0, "byteOffset": feature_at, "byteLength": 12},
            {"buffer": 0, "byteOffset": sparse_at, "byteLength": 4},
            {"buffer": 0, "byteOffset": sparse_at + 4, "byteLength": 36}
        ],
        "accessors": [
            {"bufferView": 0, "componentType": 5122.0, "normalized": true, "count": 3, "type": "VEC3",
             "min": [0, 0, 0], "max": [1, 1, 0]},
            {"bufferView": 1, "componentType": 5126, "count": 3, "type": "SCALAR"},
            {"componentType": 5126, "count": 3, "type": "VEC3",
             "sparse": {"count": 3, "indices": {"bufferView": 2, "componentType": 5121},
                        "values": {"bufferView": 3}}}
        ],
        "meshes": [{"primitives": [{"attributes": {"POSITION": 0, "NORMAL": 2, "_FEATURE_ID_0": 1}}]}],
        "nodes": [{"mesh": 0, "scale": [0.5, 0.5, 0.5]}],
        "scenes": [{"nodes": [0]}],
        "scene": 0.0
    });
    raw_glb(&doc, &bin)
}

#[test]
fn an_exporters_file_with_quantised_positions_and_sparse_normals_is_accepted() {
    let made = ingest::ingest(&exporter_style()).unwrap_or_else(|r| panic!("{:?}", r.problems));
    assert_eq!(made.report.triangles, 1);
    let notes = made.report.notes.join(" | ");
    assert!(notes.contains("_FEATURE_ID_0"), "{notes}");
    assert!(notes.contains("KHR_lights_punctual"), "{notes}");
    // The client reads what the server wrote.
    let glb = gltf::Gltf::from_slice(&made.glb).unwrap();
    assert_eq!(glb.meshes().count(), 1);
}

#[test]
fn draco_and_basis_are_refused_with_the_setting_to_change() {
    for (ext, says) in [
        ("KHR_draco_mesh_compression", "Compression off"),
        ("KHR_texture_basisu", "PNG or JPEG"),
        ("VENDOR_magic", "VENDOR_magic"),
    ] {
        let doc = json!({
            "asset": {"version": "2.0"},
            "extensionsUsed": [ext],
            "extensionsRequired": [ext]
        });
        let report = ingest::ingest(&raw_glb(&doc, &[])).err().unwrap();
        assert_eq!(report.problems[0].rule, "unsupported_extension");
        assert!(
            report.problems[0].message.contains(says),
            "{}",
            report.problems[0].message
        );
    }
}

#[test]
fn a_stride_shorter_than_its_element_is_refused_not_a_panic() {
    let mut bin = vec![0u8; 36];
    bin[12..16].copy_from_slice(&1f32.to_le_bytes());
    let doc = json!({
        "asset": {"version": "2.0"},
        "buffers": [{"byteLength": 36}],
        "bufferViews": [{"buffer": 0, "byteLength": 36, "byteStride": 4}],
        "accessors": [{"bufferView": 0, "componentType": 5126, "count": 3, "type": "VEC3",
                       "min": [0, 0, 0], "max": [1, 1, 1]}],
        "meshes": [{"primitives": [{"attributes": {"POSITION": 0}}]}],
        "nodes": [{"mesh": 0}],
        "scenes": [{"nodes": [0]}]
    });
    let report = ingest::ingest(&raw_glb(&doc, &bin)).err().unwrap();
    let rules: Vec<&str> = report.problems.iter().map(|p| p.rule.as_str()).collect();
    assert!(
        rules.contains(&"byte_stride") || rules.contains(&"invalid_gltf"),
        "{:?}",
        report.problems
    );
}
