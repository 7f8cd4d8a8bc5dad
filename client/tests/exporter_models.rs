//! Models in the forms exporters write (meshopt-compressed, WebP with a texture transform;
//! fixtures made by `server/tests/exporter_fixtures.rs`) open in the client: the server's
//! ingest turns each into its canonical GLB, and the client's reader draws that.

use std::path::PathBuf;

use stadtlab_client::exhibits::model;
use stadtlab_server::exhibits::ingest;

fn canonical(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../server/tests/fixtures/exporters")
        .join(name);
    let upload = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    ingest::ingest(&upload)
        .unwrap_or_else(|r| panic!("{name}: {:?}", r.problems))
        .glb
}

#[test]
fn a_meshopt_compressed_model_opens_in_the_client() {
    let parts = model::read(&canonical("meshopt-quad.glb")).unwrap();
    assert_eq!(parts.len(), 1);
    assert!(parts[0].texture.is_none());
}

#[test]
fn a_webp_textured_model_opens_with_its_texture() {
    let parts = model::read(&canonical("webp-transform-quad.glb")).unwrap();
    assert_eq!(parts.len(), 1);
    let texture = parts[0].texture.as_ref().expect("the converted texture");
    assert_eq!(texture.width(), 8);
}
