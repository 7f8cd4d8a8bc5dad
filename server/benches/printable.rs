//! Benchmark: the printability check of a 1,000,000-triangle STL (a closed, wavy slab made
//! here, 50 MB), with time and peak heap memory per step: parsing, all checks, the view model
//! (simplified to the lab's budget), and the whole upload path. Targets: under 3 s and under
//! 4 × the file size (release build).
//!
//! Run: `cargo bench -p stadtlab-server --bench printable` (prints one `bench-printable:` line).

use std::time::Instant;

use glam::Vec3;
use stadtlab_server::exhibits::ingest;
use stadtlab_server::printable::{self, formats, mesh::Mesh, printers::common_printers};

#[path = "common/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::{Counting, peak_since, start_peak};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// A closed slab, 200 × 200 mm, its top a wavy grid of `cells`² quads; bottom and sides flat.
/// 2 × cells² triangles on top, as many again below and a few on the sides.
fn slab(cells: u32) -> Mesh {
    let n = cells + 1;
    let mut positions = Vec::new();
    for level in 0..2 {
        for y in 0..n {
            for x in 0..n {
                let (u, v) = (x as f32 / cells as f32, y as f32 / cells as f32);
                let z = if level == 1 {
                    10.0 + (u * 40.0).sin() * (v * 31.0).cos() * 2.0
                } else {
                    0.0
                };
                positions.push(Vec3::new(u * 200.0, v * 200.0, z));
            }
        }
    }
    let at = |level: u32, x: u32, y: u32| level * n * n + y * n + x;
    let mut triangles = Vec::new();
    for y in 0..cells {
        for x in 0..cells {
            let (a, b, c, d) = (
                at(1, x, y),
                at(1, x + 1, y),
                at(1, x + 1, y + 1),
                at(1, x, y + 1),
            );
            triangles.extend([[a, b, c], [a, c, d]]);
            let (a, b, c, d) = (
                at(0, x, y),
                at(0, x + 1, y),
                at(0, x + 1, y + 1),
                at(0, x, y + 1),
            );
            triangles.extend([[a, c, b], [a, d, c]]);
        }
    }
    // Walls along the four edges, joining bottom and top rings.
    let ring: Vec<(u32, u32)> = (0..cells)
        .map(|i| (i, 0))
        .chain((0..cells).map(|i| (cells, i)))
        .chain((0..cells).map(|i| (cells - i, cells)))
        .chain((0..cells).map(|i| (0, cells - i)))
        .collect();
    for k in 0..ring.len() {
        let (p, q) = (ring[k], ring[(k + 1) % ring.len()]);
        let (b0, b1) = (at(0, p.0, p.1), at(0, q.0, q.1));
        let (t0, t1) = (at(1, p.0, p.1), at(1, q.0, q.1));
        triangles.extend([[b0, b1, t1], [b0, t1, t0]]);
    }
    let mut mesh = Mesh::default();
    mesh.push_part(&positions, &triangles, printable::mesh::PLAIN);
    mesh
}

fn mb(bytes: usize) -> f64 {
    bytes as f64 / 1_000_000.0
}

fn main() {
    // 499² quads × 2 sides × 2 triangles + walls ≈ 1,000,000 triangles.
    let stl = printable::write_stl(&slab(499));
    let file = stl.len();
    let printers = common_printers();

    let before = start_peak();
    let started = Instant::now();
    let parsed = formats::read(&stl, formats::Kind::Stl).expect("the slab reads");
    let parse_s = started.elapsed().as_secs_f64();
    let parse_peak = peak_since(before) + file;
    let triangles = parsed.mesh.triangles.len();

    let before = start_peak();
    let started = Instant::now();
    let checked = printable::check_parsed(parsed, file as u64, &printers);
    let checks_s = started.elapsed().as_secs_f64();
    let checks_peak = peak_since(before) + file;
    assert_eq!(
        checked.report.verdict, "ok",
        "{:?}",
        checked.report.findings
    );

    let before = start_peak();
    let started = Instant::now();
    let view = printable::view::model(&checked.mesh);
    let view_s = started.elapsed().as_secs_f64();
    let view_peak = peak_since(before) + file;
    let view_triangles = view.triangles();
    drop((view, checked));

    let before = start_peak();
    let started = Instant::now();
    let (made, print) = ingest::ingest_file(&stl, "slab.stl", &printers).expect("accepted");
    let total_s = started.elapsed().as_secs_f64();
    let total_peak = peak_since(before) + file;
    assert!(print.is_some() && !made.glb.is_empty());

    println!(
        "bench-printable: file_mb={:.1} triangles={triangles} parse_s={parse_s:.2} checks_s={checks_s:.2} view_s={view_s:.2} view_triangles={view_triangles} total_s={total_s:.2} parse_peak_mb={:.0} checks_peak_mb={:.0} view_peak_mb={:.0} total_peak_mb={:.0} peak_x_file={:.2}",
        mb(file),
        mb(parse_peak),
        mb(checks_peak),
        mb(view_peak),
        mb(total_peak),
        total_peak as f64 / file as f64,
    );
}
