//! Fixtures with known answers for every check, and the bad inputs each format must refuse.

use super::mesh::{Mesh, PLAIN};
use super::printers::{Fit, common_printers};
use super::solid::{cuboid, extrude, merged, translated};
use super::*;
use glam::Vec3;
use std::io::Write;

mod checks;
mod formats;
mod refusals;

pub(super) fn stl(mesh: &Mesh) -> Vec<u8> {
    write_stl(mesh)
}

pub(super) fn checked(bytes: &[u8], name: &str) -> Checked {
    let kind = sort(bytes, name).expect("sorted");
    check(bytes, kind, &common_printers()).expect("checked")
}

pub(super) fn refused(bytes: &[u8], name: &str) -> String {
    let kind = match sort(bytes, name) {
        Ok(k) => k,
        Err(p) => return p.rule,
    };
    match check(bytes, kind, &common_printers()) {
        Ok(c) => panic!("{name} was accepted: {:?}", c.report.findings),
        Err(p) => p.rule,
    }
}

pub(super) fn cube20() -> Mesh {
    cuboid(Vec3::ZERO, Vec3::splat(20.0))
}

pub(super) fn finding<'a>(r: &'a report::PrintReport, code: &str) -> &'a report::Finding {
    r.findings
        .iter()
        .find(|f| f.code == code)
        .unwrap_or_else(|| panic!("no finding {code}: {:?}", r.findings))
}

pub(super) fn ascii_stl(mesh: &Mesh) -> String {
    let mut s = String::from("solid test\n");
    for t in 0..mesh.triangles.len() {
        s.push_str(" facet normal 0 0 0\n  outer loop\n");
        for p in mesh.corners(t) {
            s.push_str(&format!("   vertex {} {} {}\n", p.x, p.y, p.z));
        }
        s.push_str("  endloop\n endfacet\n");
    }
    s.push_str("endsolid test\n");
    s
}

pub(super) fn zip(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in files {
        out.start_file(*name, options).unwrap();
        out.write_all(data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

pub(super) const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="model" ContentType="application/vnd.ms-package.3dmanufacturing-3dmodel+xml"/></Types>"#;

pub(super) const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Target="/3D/3dmodel.model" Id="rel0" Type="http://schemas.microsoft.com/3dmanufacturing/2013/01/3dmodel"/></Relationships>"#;

pub(super) fn mesh_xml(mesh: &Mesh) -> String {
    let mut s = String::from("<mesh><vertices>");
    for p in &mesh.positions {
        s.push_str(&format!(
            "<vertex x=\"{}\" y=\"{}\" z=\"{}\"/>",
            p.x, p.y, p.z
        ));
    }
    s.push_str("</vertices><triangles>");
    for t in &mesh.triangles {
        s.push_str(&format!(
            "<triangle v1=\"{}\" v2=\"{}\" v3=\"{}\"/>",
            t[0], t[1], t[2]
        ));
    }
    s.push_str("</triangles></mesh>");
    s
}

pub(super) fn model_xml(unit: &str, resources: &str, build: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><model unit="{unit}" xml:lang="en-US" xmlns="http://schemas.microsoft.com/3dmanufacturing/core/2015/02"><resources>{resources}</resources><build>{build}</build></model>"#
    )
}

pub(super) fn three_mf(model: &str) -> Vec<u8> {
    zip(&[
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ("_rels/.rels", RELS.as_bytes()),
        ("3D/3dmodel.model", model.as_bytes()),
    ])
}
