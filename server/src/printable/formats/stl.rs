//! STL, binary and text. A binary STL is recognised by its length matching the facet count
//! in its header (many exporters write "solid" into the binary header, so the first word
//! decides nothing); text STL is read with `stl_io`.

use std::io::Cursor;

use glam::Vec3;

use super::{Parsed, Welder, assumed_mm, check_counts, v3};
use crate::exhibits::ingest::report::Problem;
use crate::printable::mesh::{Mesh, PLAIN};

const HEADER: usize = 84;
const FACET: usize = 50;

/// The facet count, when the file is exactly as long as a binary STL with that many facets.
pub fn binary_facets(bytes: &[u8]) -> Option<usize> {
    let count = u32::from_le_bytes(bytes.get(80..84)?.try_into().ok()?) as u64;
    (HEADER as u64 + FACET as u64 * count == bytes.len() as u64).then_some(count as usize)
}

pub fn looks_ascii(bytes: &[u8]) -> bool {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(0);
    bytes[start..].starts_with(b"solid")
}

pub fn read(bytes: &[u8]) -> Result<Parsed, Problem> {
    let (mesh, format) = if let Some(facets) = binary_facets(bytes) {
        check_counts(facets, 0)?;
        (binary(bytes, facets)?, "stl-binary")
    } else if looks_ascii(bytes) {
        (ascii(bytes).map_err(|e| text_error(bytes, e))?, "stl-ascii")
    } else if bytes.len() >= HEADER {
        return Err(count_mismatch(bytes));
    } else {
        return Err(Problem::new(
            "corrupt_stl",
            format!("the file has {} bytes: too short for an STL", bytes.len()),
        ));
    };
    Ok(Parsed {
        format,
        mesh,
        units: assumed_mm(),
        notes: vec![
            "STL files carry no unit: the model was read in millimetres, as slicers do".into(),
        ],
    })
}

fn binary(bytes: &[u8], facets: usize) -> Result<Mesh, Problem> {
    let mut welder = Welder::with_capacity(facets / 2 + 3);
    let mut triangles = Vec::with_capacity(facets);
    for record in bytes[HEADER..].chunks_exact(FACET) {
        let f = |at: usize| f32::from_le_bytes(record[at..at + 4].try_into().expect("4 bytes"));
        // Bytes 0..12 are the stored normal: not trusted, the corners' order decides.
        let corner = |at: usize| v3([f(at), f(at + 4), f(at + 8)]);
        triangles.push([
            welder.id(corner(12)),
            welder.id(corner(24)),
            welder.id(corner(36)),
        ]);
    }
    Ok(soup_mesh(welder.positions, triangles))
}

fn ascii(bytes: &[u8]) -> std::io::Result<Mesh> {
    let mut cursor = Cursor::new(bytes);
    let reader = stl_io::create_stl_reader(&mut cursor)?;
    let mut welder = Welder::default();
    let mut triangles = Vec::new();
    for facet in reader {
        let facet = facet?;
        if triangles.len() == crate::printable::limits::MAX_TRIANGLES {
            return Err(std::io::Error::other(format!(
                "more than {} facets",
                crate::printable::limits::MAX_TRIANGLES
            )));
        }
        let [a, b, c] = facet.vertices.map(|v| welder.id(Vec3::from_array(v.0)));
        triangles.push([a, b, c]);
    }
    Ok(soup_mesh(welder.positions, triangles))
}

fn soup_mesh(positions: Vec<Vec3>, triangles: Vec<[u32; 3]>) -> Mesh {
    let mut mesh = Mesh {
        positions,
        triangles,
        colours: Vec::new(),
    };
    mesh.add_run(0, mesh.triangles.len(), PLAIN);
    mesh
}

fn text_error(bytes: &[u8], e: std::io::Error) -> Problem {
    if e.to_string().starts_with("more than") {
        return Problem::new(
            "too_many_triangles",
            format!(
                "the text STL has {e}; at most {} are checked: reduce the model before uploading",
                crate::printable::limits::MAX_TRIANGLES
            ),
        );
    }
    let also = if bytes.len() >= HEADER {
        format!(
            "; read as a binary STL its header promises {} facets, which do not fit its length",
            claimed_facets(bytes)
        )
    } else {
        String::new()
    };
    Problem::new(
        "corrupt_stl",
        format!(
            "the file begins like a text STL (\"solid\") but is not one: {e}{also}. Export it again from the modelling program"
        ),
    )
}

fn claimed_facets(bytes: &[u8]) -> u32 {
    u32::from_le_bytes(bytes[80..84].try_into().expect("4 bytes"))
}

fn count_mismatch(bytes: &[u8]) -> Problem {
    let claimed = claimed_facets(bytes) as u64;
    let room = (bytes.len() - HEADER) / FACET;
    Problem::new(
        "stl_facet_count",
        format!(
            "the binary STL's header promises {claimed} triangles ({} bytes), but the file has {} bytes (room for {room}): the file is cut off or broken. Upload it again, or export it again",
            HEADER as u64 + FACET as u64 * claimed,
            bytes.len()
        ),
    )
}
