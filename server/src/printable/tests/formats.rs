//! Reading each format: units, transforms, colours, text and binary.

use super::*;

#[test]
fn text_stl_and_a_binary_header_saying_solid_are_both_read() {
    let r = checked(ascii_stl(&cube20()).as_bytes(), "cube.stl").report;
    assert_eq!((r.format.as_str(), r.verdict.as_str()), ("stl-ascii", "ok"));
    let mut binary = stl(&cube20());
    binary[..80].copy_from_slice(&[b' '; 80]);
    binary[..12].copy_from_slice(b"solid cube  ");
    let r = checked(&binary, "cube.stl").report;
    assert_eq!(r.format, "stl-binary");
    assert!((r.volume_cm3 - 8.0).abs() < 1e-6);
}

#[test]
fn obj_zips_keep_their_colours_and_stay_inside_the_upload() {
    let obj = "mtllib parts.mtl\nv 0 0 0\nv 10 0 0\nv 10 10 0\nv 0 10 0\nv 5 5 8\nusemtl red\nf 1 3 2\nf 1 4 3\nf 1 2 5\nf 2 3 5\nf 3 4 5\nf 4 1 5\n";
    let mtl = "newmtl red\nKd 0.8 0.1 0.1\n";
    let c = checked(
        &zip(&[
            ("model/pyramid.obj", obj.as_bytes()),
            ("model/parts.mtl", mtl.as_bytes()),
        ]),
        "pyramid.zip",
    );
    assert_eq!(c.mesh.colours[0].rgba, [0.8, 0.1, 0.1, 1.0]);
    let outside = obj.replace("mtllib parts.mtl", "mtllib ../../secret.mtl");
    assert_eq!(
        refused(&zip(&[("pyramid.obj", outside.as_bytes())]), "p.zip"),
        "outside_reference"
    );
    let texture = "newmtl red\nKd 1 0 0\nmap_Kd /etc/passwd\n";
    assert_eq!(
        refused(
            &zip(&[
                ("pyramid.obj", obj.as_bytes()),
                ("parts.mtl", texture.as_bytes())
            ]),
            "p.zip"
        ),
        "outside_reference"
    );
    let missing = checked(&zip(&[("pyramid.obj", obj.as_bytes())]), "p.zip");
    assert!(missing.report.notes.iter().any(|n| n.contains("parts.mtl")));
}

#[test]
fn a_3mf_in_inches_is_converted_to_millimetres() {
    let cube = cuboid(Vec3::ZERO, Vec3::ONE);
    let model = model_xml(
        "inch",
        &format!(
            r#"<object id="1" type="model">{}</object>"#,
            mesh_xml(&cube)
        ),
        r#"<item objectid="1"/>"#,
    );
    let c = checked(&three_mf(&model), "inch.3mf");
    let r = &c.report;
    assert_eq!(
        (r.format.as_str(), r.unit.as_str(), r.unit_assumed),
        ("3mf", "inch", false)
    );
    assert_eq!(r.size_mm, [25.4, 25.4, 25.4]);
    assert!((r.volume_cm3 - 16.387).abs() < 0.001, "{}", r.volume_cm3);
    assert!(r.notes.iter().any(|n| n.contains("inch")));
    assert_eq!(r.verdict, "ok");
}

#[test]
fn a_3mf_places_components_with_their_transforms_and_colours() {
    let cube = cuboid(Vec3::ZERO, Vec3::splat(10.0));
    let resources = format!(
        r##"<basematerials id="5"><base name="Rot" displaycolor="#FF0000"/><base name="Blau" displaycolor="#0000FFFF"/></basematerials><object id="1" type="model" pid="5" pindex="1">{}</object><object id="2" type="model"><components><component objectid="1"/><component objectid="1" transform="1 0 0 0 1 0 0 0 1 30 0 0"/></components></object>"##,
        mesh_xml(&cube)
    );
    let model = model_xml(
        "millimeter",
        &resources,
        r#"<item objectid="2" transform="1 0 0 0 1 0 0 0 1 0 0 5"/>"#,
    );
    let c = checked(&three_mf(&model), "pair.3mf");
    assert_eq!(c.report.size_mm, [40.0, 10.0, 10.0]);
    assert_eq!(c.report.parts, 2);
    assert_eq!(c.mesh.colours.len(), 1, "one blue run");
    assert_eq!(c.mesh.colours[0].rgba, [0.0, 0.0, 1.0, 1.0]);
    let (lo, _) = c.mesh.bounds().unwrap();
    assert_eq!(lo.z, 5.0, "the build item's transform applies");
    // A mirroring transform keeps the faces pointing out.
    let mirrored = model_xml(
        "millimeter",
        &resources,
        r#"<item objectid="2" transform="-1 0 0 0 1 0 0 0 1 0 0 0"/>"#,
    );
    let r = checked(&three_mf(&mirrored), "mirror.3mf").report;
    assert!(!r.inside_out && r.flipped_faces == 0 && r.volume_cm3 > 1.99);
}
