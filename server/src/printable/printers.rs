//! Does the model fit on a printer: upright as it is, turned on the bed, or laid on one of
//! its sides (the six axis-aligned ways, and for each a turn on the bed in 3° steps).

use glam::{DMat3, DVec3};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A printer's build volume, millimetres.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Printer {
    pub name: String,
    pub width_mm: f64,
    pub depth_mm: f64,
    pub height_mm: f64,
}

/// The printers every report lists (from the makers' own profiles: Bambu Studio's A1 mini,
/// Cura's Ender-3 definition, PrusaSlicer's MK4 bed shape); the lab adds its own in the
/// config.
pub fn common_printers() -> Vec<Printer> {
    let p = |name: &str, w, d, h| Printer {
        name: name.into(),
        width_mm: w,
        depth_mm: d,
        height_mm: h,
    };
    vec![
        p("Bambu Lab A1 mini", 180.0, 180.0, 180.0),
        p("Creality Ender-3", 220.0, 220.0, 250.0),
        p("Prusa MK4", 250.0, 210.0, 220.0),
    ]
}

/// How the model goes onto one printer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Fit {
    /// As the file stands.
    AsIs,
    /// Standing as it is, turned on the bed (diagonally).
    TurnedOnBed,
    /// Laid on a side.
    OnItsSide,
    /// Does not fit however it lies.
    TooLarge,
}

const STEP_DEGREES: usize = 3;

/// The model seen standing each of the three ways: its height and the convex outline of its
/// footprint (turning on the bed only moves the outline, so its corners are enough).
pub struct Stances {
    stances: Vec<(f64, Vec<DVec3>)>,
}

impl Stances {
    pub fn of(points: &[DVec3]) -> Stances {
        let ups = [
            DMat3::IDENTITY,
            // x up, y up (laid on a side): the other two ways are mirror images for the box.
            DMat3::from_cols(DVec3::Y, DVec3::Z, DVec3::X),
            DMat3::from_cols(DVec3::Z, DVec3::X, DVec3::Y),
        ];
        let stances = ups
            .iter()
            .map(|axes| {
                let turned: Vec<DVec3> = points.iter().map(|p| axes.transpose() * *p).collect();
                let (lo, hi) = extent(&turned);
                (hi.z - lo.z, outline(&turned))
            })
            .collect();
        Stances { stances }
    }

    pub fn fit(&self, printer: &Printer) -> Fit {
        for (u, (height, outline)) in self.stances.iter().enumerate() {
            if *height > printer.height_mm {
                continue;
            }
            for step in 0..(90 / STEP_DEGREES) {
                let angle = ((step * STEP_DEGREES) as f64).to_radians();
                let (w, d) = footprint(outline, angle);
                let fits = (w <= printer.width_mm && d <= printer.depth_mm)
                    || (d <= printer.width_mm && w <= printer.depth_mm);
                if fits {
                    return match (u, step) {
                        (0, 0) => Fit::AsIs,
                        (0, _) => Fit::TurnedOnBed,
                        _ => Fit::OnItsSide,
                    };
                }
            }
        }
        Fit::TooLarge
    }
}

fn extent(points: &[DVec3]) -> (DVec3, DVec3) {
    points.iter().fold(
        (DVec3::splat(f64::MAX), DVec3::splat(f64::MIN)),
        |(lo, hi), p| (lo.min(*p), hi.max(*p)),
    )
}

/// The convex outline of the points seen from above (Andrew's monotone chain).
fn outline(points: &[DVec3]) -> Vec<DVec3> {
    let mut p: Vec<DVec3> = points.iter().map(|p| DVec3::new(p.x, p.y, 0.0)).collect();
    p.sort_unstable_by(|a, b| a.x.total_cmp(&b.x).then(a.y.total_cmp(&b.y)));
    p.dedup();
    if p.len() < 3 {
        return p;
    }
    let turn = |o: DVec3, a: DVec3, b: DVec3| (a - o).truncate().perp_dot((b - o).truncate());
    let mut hull: Vec<DVec3> = Vec::with_capacity(2 * p.len());
    for pass in 0..2 {
        let start = hull.len();
        let pts: Box<dyn Iterator<Item = &DVec3>> = if pass == 0 {
            Box::new(p.iter())
        } else {
            Box::new(p.iter().rev())
        };
        for &q in pts {
            while hull.len() >= start + 2
                && turn(hull[hull.len() - 2], hull[hull.len() - 1], q) <= 0.0
            {
                hull.pop();
            }
            hull.push(q);
        }
        hull.pop();
    }
    hull
}

fn footprint(points: &[DVec3], angle: f64) -> (f64, f64) {
    let (s, c) = angle.sin_cos();
    let (mut lo, mut hi) = ((f64::MAX, f64::MAX), (f64::MIN, f64::MIN));
    for p in points {
        let x = c * p.x - s * p.y;
        let y = s * p.x + c * p.y;
        lo = (lo.0.min(x), lo.1.min(y));
        hi = (hi.0.max(x), hi.1.max(y));
    }
    (hi.0 - lo.0, hi.1 - lo.1)
}
