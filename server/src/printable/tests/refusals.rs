//! Bad input of every class, refused with its reason.

use super::*;

#[test]
fn broken_stl_files_are_refused_with_the_reason() {
    let good = stl(&cube20());
    // The facet count lies: the header promises more than the file holds.
    let mut cut = good.clone();
    cut.truncate(good.len() - 20);
    assert_eq!(refused(&cut, "cut.stl"), "stl_facet_count");
    // Text that starts like an STL and breaks off.
    let text = "solid x\n facet normal 0 0 1\n  outer loop\n   vertex 1 2\n";
    assert_eq!(refused(text.as_bytes(), "x.stl"), "corrupt_stl");
    let missing_end = ascii_stl(&cube20()).replace("endsolid test\n", "");
    assert_eq!(refused(missing_end.as_bytes(), "x.stl"), "corrupt_stl");
    // Not a number.
    let mut nan = good.clone();
    nan[84 + 12..84 + 16].copy_from_slice(&f32::NAN.to_le_bytes());
    assert_eq!(refused(&nan, "nan.stl"), "not_a_number");
    let mut inf = good.clone();
    inf[84 + 16..84 + 20].copy_from_slice(&f32::INFINITY.to_le_bytes());
    assert_eq!(refused(&inf, "inf.stl"), "not_a_number");
    // Empty, and no size.
    let mut empty = vec![0u8; 84];
    empty[..5].copy_from_slice(b"empty");
    assert_eq!(refused(&empty, "empty.stl"), "empty_model");
    let dot = cuboid(Vec3::ONE, Vec3::ONE);
    assert_eq!(refused(&stl(&dot), "dot.stl"), "zero_size");
    // More triangles than are checked (the count is refused before anything is read).
    let mut huge = vec![0u8; 84 + 50 * 1_000_001];
    huge[80..84].copy_from_slice(&1_000_001u32.to_le_bytes());
    assert_eq!(refused(&huge, "huge.stl"), "too_many_triangles");
    // A GLB called .stl.
    assert_eq!(
        refused(b"glTF\x02\0\0\0rest", "model.stl"),
        "format_mismatch"
    );
    // Something that is no model at all.
    assert_eq!(
        refused(b"%PDF-1.7 hello", "notes.pdf"),
        "not_printable_format"
    );
}

#[test]
fn obj_files_with_bad_indices_are_refused() {
    let square = "v 0 0 0\nv 10 0 0\nv 10 10 0\nv 0 10 0\nv 5 5 8\n";
    let pyramid = format!("{square}f 1 3 2\nf 1 4 3\nf 1 2 5\nf 2 3 5\nf 3 4 5\nf 4 1 5\n");
    let r = checked(pyramid.as_bytes(), "pyramid.obj").report;
    assert_eq!((r.format.as_str(), r.verdict.as_str()), ("obj", "ok"));
    assert!((r.volume_cm3 - 100.0 * 8.0 / 3.0 / 1000.0).abs() < 1e-3);
    // Negative (relative) indices count back from the last corner.
    let relative =
        format!("{square}f -5 -3 -4\nf -5 -2 -3\nf -5 -4 -1\nf -4 -3 -1\nf -3 -2 -1\nf -2 -5 -1\n");
    assert_eq!(
        checked(relative.as_bytes(), "rel.obj").report.volume_cm3,
        r.volume_cm3
    );
    assert_eq!(
        refused(format!("{square}f 0 1 2\n").as_bytes(), "zero.obj"),
        "corrupt_obj"
    );
    assert_eq!(
        refused(format!("{square}f 1 2 9\n").as_bytes(), "far.obj"),
        "corrupt_obj"
    );
    assert_eq!(
        refused(format!("{square}f -1 -2 -9\n").as_bytes(), "back.obj"),
        "corrupt_obj"
    );
    assert_eq!(
        refused(
            format!("{square}v nan 0 0\nf 1 2 6\n").as_bytes(),
            "nan.obj"
        ),
        "not_a_number"
    );
    assert_eq!(refused(square.as_bytes(), "points.obj"), "empty_model");
}

#[test]
fn broken_3mf_files_are_refused_with_the_reason() {
    let cube = cuboid(Vec3::ZERO, Vec3::splat(10.0));
    let object = format!(
        r#"<object id="1" type="model">{}</object>"#,
        mesh_xml(&cube)
    );
    // XML entity bomb.
    let bomb = format!(
        r#"<?xml version="1.0"?><!DOCTYPE model [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>{}"#,
        model_xml("millimeter", &object, r#"<item objectid="1"/>"#)
            .replace(r#"<?xml version="1.0" encoding="UTF-8"?>"#, "")
    );
    assert_eq!(refused(&three_mf(&bomb), "bomb.3mf"), "xml_entities");
    // Indices out of range.
    let bad = object.replace(r#"v3="1"/>"#, r#"v3="99"/>"#);
    let rule = refused(
        &three_mf(&model_xml("millimeter", &bad, r#"<item objectid="1"/>"#)),
        "bad.3mf",
    );
    assert!(
        rule == "index_out_of_range" || rule == "corrupt_3mf",
        "{rule}"
    );
    // A build item for an object that is not there; an empty build.
    assert_eq!(
        refused(
            &three_mf(&model_xml("millimeter", &object, r#"<item objectid="7"/>"#)),
            "x.3mf"
        ),
        "missing_object"
    );
    assert_eq!(
        refused(&three_mf(&model_xml("millimeter", &object, "")), "x.3mf"),
        "empty_model"
    );
    // A component in a file outside the package.
    let outside = format!(
        r#"{object}<object id="2" type="model"><components><component objectid="1" p:path="/../../etc/model.model" xmlns:p="http://schemas.microsoft.com/3dmanufacturing/production/2015/06"/></components></object>"#
    );
    assert_eq!(
        refused(
            &three_mf(&model_xml(
                "millimeter",
                &outside,
                r#"<item objectid="2"/>"#
            )),
            "x.3mf"
        ),
        "outside_reference"
    );
    // Not a zip at all, though called .3mf.
    assert_eq!(refused(&stl(&cube), "cube.3mf"), "format_mismatch");
    // NaN in a coordinate.
    let nan = object.replacen(r#"x="0""#, r#"x="NaN""#, 1);
    assert_eq!(
        refused(
            &three_mf(&model_xml("millimeter", &nan, r#"<item objectid="1"/>"#)),
            "nan.3mf"
        ),
        "not_a_number"
    );
}

#[test]
fn a_zip_bomb_is_refused() {
    let zeros = vec![0u8; 200 * 1024 * 1024 + 1];
    let bomb = zip(&[
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ("3D/3dmodel.model", &zeros),
    ]);
    assert!(bomb.len() < 1024 * 1024, "{} bytes", bomb.len());
    assert_eq!(refused(&bomb, "bomb.3mf"), "zip_too_large_unpacked");
}
