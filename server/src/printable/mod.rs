//! 3D-printable models (STL, 3MF, OBJ): read, checked for printability, repaired where that
//! invents nothing, and turned into a mesh the lab can show. The original file is never
//! changed; the repaired copy is offered beside it.
//!
//! 1. [`formats`]: sort by content, read into one [`mesh::Mesh`] in millimetres.
//! 2. [`topology`]: join equal corners; open, crowded and disagreeing edges; pieces.
//! 3. [`repair`]: turn faces to agree, turn an inside-out model, drop collapsed triangles.
//! 4. [`measure`], [`intersections`], [`walls`], [`printers`], [`filament`]: the figures.
//! 5. [`findings`]: a sentence per finding; [`report::PrintReport`] holds it all.

pub mod bvh;
pub mod filament;
pub mod findings;
pub mod formats;
pub mod intersections;
pub mod lettering;
pub mod licence;
pub mod limits;
pub mod measure;
pub mod mesh;
pub mod printers;
pub mod repair;
pub mod report;
pub mod solid;
pub mod topology;
pub mod view;
pub mod walls;

use crate::exhibits::ingest::report::Problem;
use filament::round;
use formats::Kind;
use mesh::Mesh;
use printers::Printer;
use report::{Overhang, PrintReport, PrinterFit, Walls};

/// A checked printable model.
pub struct Checked {
    pub report: PrintReport,
    /// The repaired copy as binary STL (millimetres), when a repair changed something.
    pub repaired_stl: Option<Vec<u8>>,
    /// The repaired mesh, for the view.
    pub mesh: Mesh,
}

/// Sorts an upload by content, refusing a file whose name claims another model format; an
/// unrecognised file called `.stl` or `.obj` is read as one, so that the reader can say
/// what is wrong with it.
pub fn sort(bytes: &[u8], file_name: &str) -> Result<Kind, Problem> {
    let kind = match formats::sniff(bytes) {
        Kind::Unknown => formats::claimed(file_name)
            .filter(|k| k.is_printable())
            .unwrap_or(Kind::Unknown),
        kind => kind,
    };
    if kind != Kind::Unknown {
        formats::check_claim(file_name, kind)?;
    }
    Ok(kind)
}

/// Reads and checks a printable file (`kind` from [`sort`]).
pub fn check(bytes: &[u8], kind: Kind, printers: &[Printer]) -> Result<Checked, Problem> {
    if bytes.len() > limits::MAX_FILE_BYTES {
        return Err(Problem::new(
            "file_too_large",
            format!(
                "the file has {} MB; at most {} MB are allowed",
                bytes.len() / 1_000_000,
                limits::MAX_FILE_BYTES / 1_000_000
            ),
        ));
    }
    let parsed = formats::read(bytes, kind)?;
    Ok(check_parsed(parsed, bytes.len() as u64, printers))
}

/// The checks on a mesh already read.
pub fn check_parsed(parsed: formats::Parsed, file_bytes: u64, printers: &[Printer]) -> Checked {
    let mut mesh = parsed.mesh;
    let welded = topology::weld(&mut mesh);
    let (lo, hi) = mesh.bounds().expect("a read mesh has triangles");
    let size = hi - lo;
    let triangles = mesh.triangles.len() as u64;
    let mut topo = topology::analyse(&mesh);
    let repairs = repair::repair(&mut mesh, &topo);
    let open_edge_segments = std::mem::take(&mut topo.open_segments)
        .into_iter()
        .map(|[a, b]| [a.to_array(), b.to_array()])
        .collect();
    // The neighbour tables are the largest part of the topology: free them before the BVH.
    topo.neighbours = Vec::new();
    topo.same_way = Vec::new();
    let bvh = bvh::Bvh::build(&mesh);
    let cuts = intersections::find(&mesh, &bvh);
    let walls = walls::estimate(&mesh, &bvh);
    drop(bvh);
    let volume_cm3 = measure::signed_volume(&mesh) / 1000.0;
    let surface_cm2 = measure::area(&mesh) / 100.0;
    let overhangs = measure::overhang_areas(&mesh);
    let overhang_triangles = measure::hanging_as_is(&mesh, limits::MAX_HIGHLIGHT_TRIANGLES)
        .into_iter()
        .map(|t| {
            mesh.corners(t)
                .map(|p| p.to_array().map(|v| round(v as f64, 2) as f32))
        })
        .collect();
    let (view_lo, view_hi) = mesh.bounds().unwrap_or((lo, hi));
    let best = (0..6)
        .min_by(|&a, &b| overhangs[a].total_cmp(&overhangs[b]))
        .expect("six orientations");
    let stances = printers::Stances::of(&measure::used_points(&mesh));
    let fits = printers
        .iter()
        .map(|p| PrinterFit {
            printer: p.name.clone(),
            volume_mm: [p.width_mm, p.depth_mm, p.height_mm],
            fit: stances.fit(p),
        })
        .collect::<Vec<_>>();
    drop(stances);
    let mut report = PrintReport {
        checker: report::CHECKER.into(),
        format: parsed.format.into(),
        unit: parsed.units.name,
        unit_assumed: parsed.units.assumed,
        file_bytes,
        size_mm: size.to_array().map(|v| round(v as f64, 2) as f32),
        volume_cm3: round(volume_cm3, 3),
        surface_cm2: round(surface_cm2, 2),
        triangles,
        parts: topo.parts as u32,
        welded_corners: welded as u64,
        open_edges: topo.open_edges as u64,
        holes: topo.holes as u32,
        non_manifold_edges: topo.non_manifold_edges as u64,
        flipped_faces: repairs.flipped as u64,
        inside_out: repairs.inverted,
        degenerate_triangles: (topo.collapsed.len() + topo.slivers) as u64,
        self_intersections: cuts.pairs,
        self_intersections_complete: cuts.complete,
        overhang: Overhang {
            as_is_cm2: round(overhangs[0] / 100.0, 2),
            best: measure::ORIENTATIONS[best].0.into(),
            best_cm2: round(overhangs[best] / 100.0, 2),
            best_percent: round(
                overhangs[best] / 100.0 / surface_cm2.max(f64::MIN_POSITIVE) * 100.0,
                1,
            ),
        },
        walls: Walls {
            thinnest_mm: walls.p5_mm.map(|v| round(v as f64, 2) as f32),
            thin_percent: round(walls.thin_share as f64 * 100.0, 1) as f32,
            samples: walls.samples as u32,
        },
        filament: filament::estimate(volume_cm3, surface_cm2),
        printers: fits,
        difficulty: String::new(),
        verdict: String::new(),
        findings: Vec::new(),
        repairs: findings::repairs(&repairs),
        open_edge_segments,
        overhang_triangles,
        bounds_mm: [view_lo.to_array(), view_hi.to_array()],
        notes: parsed.notes,
    };
    report.verdict = verdict(&report, repairs.changed_anything()).into();
    report.difficulty = difficulty(&report).into();
    report.findings = findings::findings(&report);
    let repaired_stl = repairs.changed_anything().then(|| write_stl(&mesh));
    Checked {
        report,
        repaired_stl,
        mesh,
    }
}

fn verdict(r: &PrintReport, repaired: bool) -> &'static str {
    let fits = r.printers.iter().any(|p| p.fit != printers::Fit::TooLarge);
    if r.holes > 0 || r.non_manifold_edges > 0 || r.self_intersections > 0 || !fits {
        "problems"
    } else if repaired {
        "repaired"
    } else {
        "ok"
    }
}

fn difficulty(r: &PrintReport) -> &'static str {
    if r.verdict == "problems" || r.walls.thin_percent >= 5.0 {
        "hard"
    } else if r.overhang.best_percent > 10.0 || r.walls.thin_percent >= 1.0 || r.parts > 1 {
        "medium"
    } else {
        "easy"
    }
}

/// Binary STL of a mesh (millimetres), with normals from the corners' order.
pub fn write_stl(mesh: &Mesh) -> Vec<u8> {
    let triangles = (0..mesh.triangles.len()).map(|t| {
        let [a, b, c] = mesh.corners(t);
        let n = (b - a).cross(c - a).normalize_or_zero();
        stl_io::Triangle {
            normal: stl_io::Normal::new(n.to_array()),
            vertices: [a, b, c].map(|p| stl_io::Vertex::new(p.to_array())),
        }
    });
    let mut out = Vec::with_capacity(84 + 50 * mesh.triangles.len());
    stl_io::write_stl(&mut out, triangles).expect("writing to memory cannot fail");
    out
}

#[cfg(test)]
mod tests;
