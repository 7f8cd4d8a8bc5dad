//! How much filament a print takes, estimated like a slicer's summary with stated defaults:
//! PLA, 1.75 mm filament, a 0.8 mm shell (two 0.4 mm perimeters, and as thick at top and
//! bottom) and 15 % infill inside.

use super::report::Filament;

const DENSITY_G_PER_CM3: f64 = 1.24;
const DIAMETER_MM: f64 = 1.75;
const SHELL_MM: f64 = 0.8;
const INFILL: f64 = 0.15;

pub fn estimate(volume_cm3: f64, surface_cm2: f64) -> Filament {
    let volume = volume_cm3.abs();
    let shell = (surface_cm2 * SHELL_MM / 10.0).min(volume);
    let used_cm3 = shell + INFILL * (volume - shell);
    let section_mm2 = std::f64::consts::PI * (DIAMETER_MM / 2.0).powi(2);
    Filament {
        grams: round(used_cm3 * DENSITY_G_PER_CM3, 1),
        metres: round(used_cm3 * 1000.0 / section_mm2 / 1000.0, 2),
        assumptions_de: "Geschätzt für PLA (1,24 g/cm³, 1,75 mm Filament), 0,8 mm Außenwände und 15 % Füllung; ohne Stützen".into(),
        assumptions_en: "Estimated for PLA (1.24 g/cm³, 1.75 mm filament), 0.8 mm walls and 15 % infill; without supports".into(),
    }
}

pub fn round(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f
}
