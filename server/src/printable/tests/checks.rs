//! The checks on fixtures with known answers.

use super::*;

#[test]
fn a_closed_cube_is_ready_to_print() {
    let c = checked(&stl(&cube20()), "cube.stl");
    let r = &c.report;
    assert_eq!(r.format, "stl-binary");
    assert!(r.unit_assumed);
    assert_eq!(r.size_mm, [20.0, 20.0, 20.0]);
    assert!((r.volume_cm3 - 8.0).abs() < 1e-6, "{}", r.volume_cm3);
    assert!((r.surface_cm2 - 24.0).abs() < 1e-6);
    assert_eq!(r.triangles, 12);
    assert_eq!((r.open_edges, r.holes, r.non_manifold_edges), (0, 0, 0));
    assert_eq!((r.flipped_faces, r.inside_out), (0, false));
    assert_eq!(r.parts, 1);
    assert_eq!(r.self_intersections, 0);
    assert!(r.self_intersections_complete);
    assert_eq!(r.overhang.as_is_cm2, 0.0, "the bottom lies on the bed");
    assert!(r.overhang_triangles.is_empty(), "nothing to highlight");
    let [lo, hi] = r.bounds_mm;
    assert_eq!([0, 1, 2].map(|k| hi[k] - lo[k]), r.size_mm);
    assert_eq!(r.walls.thinnest_mm, Some(20.0));
    assert_eq!(r.walls.thin_percent, 0.0);
    assert!(r.printers.iter().all(|p| p.fit == Fit::AsIs));
    assert_eq!((r.verdict.as_str(), r.difficulty.as_str()), ("ok", "easy"));
    assert!(c.repaired_stl.is_none());
    // 8 cm³ of PLA with a 0.8 mm shell over 24 cm²: 1.92 cm³ shell + 15 % of the rest.
    assert!((r.filament.grams - 3.5).abs() < 0.1, "{}", r.filament.grams);
    assert!(finding(r, "size").de.contains("20,0 × 20,0 × 20,0 mm"));
    assert!(finding(r, "size").en.contains("millimetres"));
    assert_eq!(r.checker, report::CHECKER);
}

#[test]
fn a_cube_missing_a_face_has_one_hole() {
    let mut cube = cube20();
    cube.triangles.truncate(10);
    cube.colours[0].count = 10;
    let r = checked(&stl(&cube), "open.stl").report;
    assert_eq!((r.open_edges, r.holes), (4, 1));
    assert_eq!(r.verdict, "problems");
    assert_eq!(r.difficulty, "hard");
    let holes = finding(&r, "holes");
    assert_eq!(holes.level, "problem");
    assert!(holes.de.starts_with("Das Modell hat 1 Loch in der Oberfläche (4 offene Kanten): ein Drucker weiß dann nicht, was innen und was außen ist."), "{}", holes.de);
    assert!(holes.en.contains("1 hole"));
    assert_eq!(r.open_edge_segments.len(), 4);
    assert_eq!(r.findings[0].code, "holes", "problems come first");
}

#[test]
fn two_cubes_sharing_an_edge_are_not_manifold() {
    let a = cuboid(Vec3::ZERO, Vec3::splat(10.0));
    let b = cuboid(Vec3::new(10.0, 10.0, 0.0), Vec3::new(20.0, 20.0, 10.0));
    let r = checked(&stl(&merged(&[(a, PLAIN), (b, PLAIN)])), "pair.stl").report;
    assert_eq!(r.non_manifold_edges, 1);
    assert_eq!(r.open_edges, 0);
    assert_eq!(r.parts, 1, "they touch along the edge");
    assert_eq!(r.verdict, "problems");
    assert!(finding(&r, "non_manifold").de.contains("1 Kante"));
}

#[test]
fn one_flipped_face_is_turned_in_the_repaired_copy() {
    let mut cube = cube20();
    cube.triangles[3].swap(1, 2);
    let c = checked(&stl(&cube), "flip.stl");
    assert_eq!(c.report.flipped_faces, 1);
    assert!(!c.report.inside_out);
    assert_eq!(c.report.verdict, "repaired");
    let flipped = finding(&c.report, "flipped_faces");
    assert!(
        flipped.de.starts_with("1 Fläche zeigt nach innen"),
        "{}",
        flipped.de
    );
    assert!(
        flipped.en.starts_with("1 face points inwards"),
        "{}",
        flipped.en
    );
    assert_eq!(c.report.repairs.len(), 1);
    assert!((c.report.volume_cm3 - 8.0).abs() < 1e-6);
    let again = checked(
        c.repaired_stl.as_deref().expect("a repaired copy"),
        "fixed.stl",
    );
    assert_eq!(again.report.verdict, "ok");
    assert_eq!(again.report.flipped_faces, 0);
}

#[test]
fn an_inside_out_cube_is_turned_round() {
    let mut cube = cube20();
    for t in &mut cube.triangles {
        t.swap(1, 2);
    }
    let c = checked(&stl(&cube), "inverted.stl");
    assert!(c.report.inside_out);
    assert_eq!(c.report.flipped_faces, 0);
    assert!(
        (c.report.volume_cm3 - 8.0).abs() < 1e-6,
        "volume from positions, after turning"
    );
    assert_eq!(c.report.verdict, "repaired");
}

#[test]
fn a_thin_plate_is_flagged() {
    let plate = cuboid(Vec3::ZERO, Vec3::new(40.0, 40.0, 0.5));
    let r = checked(&stl(&plate), "plate.stl").report;
    assert_eq!(r.walls.thinnest_mm, Some(0.5));
    assert!(r.walls.thin_percent > 90.0, "{}", r.walls.thin_percent);
    let f = finding(&r, "thin_walls");
    assert!(f.de.contains("dünner als 0,8 mm"), "{}", f.de);
    assert_eq!(r.difficulty, "hard");
}

/// A Γ: a post with an arm reaching out at the top; the arm's underside hangs in the air.
fn gamma() -> Mesh {
    let outline = [
        (0.0, 0.0),
        (10.0, 0.0),
        (10.0, 20.0),
        (30.0, 20.0),
        (30.0, 30.0),
        (0.0, 30.0),
    ];
    extrude(&outline, &[], 10.0)
}

#[test]
fn an_overhang_is_measured_and_a_better_way_up_suggested() {
    let r = checked(&stl(&gamma()), "gamma.stl").report;
    assert_eq!((r.open_edges, r.flipped_faces), (0, 0), "a clean fixture");
    assert!(
        (r.overhang.as_is_cm2 - 2.0).abs() < 1e-6,
        "{:?}",
        r.overhang
    );
    assert_eq!(r.overhang.best, "-z");
    assert_eq!(r.overhang.best_cm2, 0.0);
    // The view highlights the arm's underside: two triangles at 20 mm, from x = 10 to 30.
    assert_eq!(r.overhang_triangles.len(), 2, "{:?}", r.overhang_triangles);
    for p in r.overhang_triangles.iter().flatten() {
        assert!(p[2] == 20.0 && (10.0..=30.0).contains(&p[0]), "{p:?}");
    }
    let f = finding(&r, "overhang");
    assert_eq!(f.level, "hint");
    assert!(f.de.contains("auf den Kopf gestellt"), "{}", f.de);
}

#[test]
fn a_long_box_fits_the_mk4_but_not_the_a1_mini() {
    let long = cuboid(Vec3::ZERO, Vec3::new(200.0, 120.0, 60.0));
    let r = checked(&stl(&long), "long.stl").report;
    let fit = |name: &str| {
        r.printers
            .iter()
            .find(|p| p.printer.contains(name))
            .unwrap()
            .fit
    };
    assert_eq!(fit("A1 mini"), Fit::TooLarge);
    assert_eq!(fit("MK4"), Fit::AsIs);
    assert_eq!(fit("Ender-3"), Fit::AsIs);
    let f = finding(&r, "printers");
    assert!(f.de.contains("Zu groß für: Bambu Lab A1 mini"), "{}", f.de);
    // Standing diagonally it fits the A1 mini's 180 mm square only turned.
    let diagonal = cuboid(Vec3::ZERO, Vec3::new(190.0, 20.0, 10.0));
    let r = checked(&stl(&diagonal), "bar.stl").report;
    let a1 = r
        .printers
        .iter()
        .find(|p| p.printer.contains("A1"))
        .unwrap();
    assert_eq!(a1.fit, Fit::TurnedOnBed);
}

#[test]
fn cubes_cutting_through_each_other_are_found() {
    let a = cuboid(Vec3::ZERO, Vec3::splat(10.0));
    // Offset so that no edge meets a face exactly on its diagonal.
    let b = cuboid(Vec3::new(4.0, 3.0, 5.0), Vec3::new(14.0, 13.0, 15.0));
    let r = checked(&stl(&merged(&[(a, PLAIN), (b, PLAIN)])), "cut.stl").report;
    assert!(r.self_intersections > 0);
    assert_eq!(r.parts, 2);
    assert_eq!(r.verdict, "problems");
    // Two separate cubes apart from each other cut nothing.
    let c = translated(cuboid(Vec3::ZERO, Vec3::splat(10.0)), Vec3::X * 30.0);
    let r = checked(
        &stl(&merged(&[
            (cuboid(Vec3::ZERO, Vec3::splat(10.0)), PLAIN),
            (c, PLAIN),
        ])),
        "two.stl",
    )
    .report;
    assert_eq!((r.self_intersections, r.parts), (0, 2));
    assert_eq!(r.verdict, "ok");
    assert!(finding(&r, "parts").de.contains("2 getrennten Teilen"));
}

#[test]
fn a_large_model_is_simplified_for_the_view_only() {
    let ring = super::solid::ring(40.0, 30.0, 10.0, 10_000);
    assert_eq!(ring.triangles.len(), 80_000);
    let c = checked(&stl(&ring), "ring.stl");
    assert_eq!(
        c.report.triangles, 80_000,
        "the report counts every triangle"
    );
    assert_eq!(c.report.verdict, "ok", "{:?}", c.report.findings);
    let view = view::model(&c.mesh);
    assert!(
        view.triangles() <= limits::MAX_VIEW_TRIANGLES,
        "{}",
        view.triangles()
    );
    assert!(view.triangles() > limits::MAX_VIEW_TRIANGLES / 2);
}
