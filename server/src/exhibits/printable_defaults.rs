//! The lab's own printable exhibits in "Technik erlebbar machen": made by code here, checked
//! like any upload, each with its report and its file to take home (CC BY 4.0).

use std::f32::consts::PI;

use bytes::Bytes;
use stadtlab_shared::scene::Scene;

use super::catalog::{CatalogError, Exhibition};
use super::ingest;
use super::seeding::OwnTexts;
use crate::printable;
use crate::printable::lettering;
use crate::printable::licence::Licence;
use crate::printable::mesh::Mesh;
use crate::printable::solid::{Region, arc, extrude, extrude_with_relief};
use crate::storage::PrintableRow;

pub struct DefaultPrintable {
    pub id: &'static str,
    pub slot: &'static str,
    pub file_name: &'static str,
    pub title_de: &'static str,
    pub title_en: &'static str,
    pub text_de: &'static str,
    pub text_en: &'static str,
    pub mesh: fn() -> Mesh,
}

pub const DEFAULT_PRINTABLES: &[DefaultPrintable] = &[
    DefaultPrintable {
        id: "druck-osthofentor",
        slot: "te-6",
        file_name: "osthofentor.stl",
        title_de: "Das Osthofentor zum Nachdrucken",
        title_en: "The Osthofentor to print yourself",
        text_de: "Soests Stadttor aus dem 16. Jahrhundert, 4 cm breit, als Druckdatei. Der Prüfbericht zeigt, warum man es auf die Seite legt: dann hängt der Torbogen nicht in der Luft.",
        text_en: "Soest's 16th-century town gate, 4 cm wide, as a print file. The report shows why it is printed lying on its side: then the arch does not hang in the air.",
        mesh: osthofentor,
    },
    DefaultPrintable {
        id: "druck-futterhaus-halter",
        slot: "te-7",
        file_name: "futterhaus-halter.stl",
        title_de: "Halter für das Vogel-Futterhaus",
        title_en: "Bracket for the bird feeder",
        text_de: "Mit diesem Halter hängen Familien ein Futterhaus für die Vogelzählung an die Wand: zwei Schraubenlöcher, ein Loch für den Draht. Gedruckt in 20 Minuten.",
        text_en: "With this bracket families hang a bird feeder for the bird count on the wall: two screw holes, a hole for the wire. Prints in 20 minutes.",
        mesh: feeder_bracket,
    },
    DefaultPrintable {
        id: "druck-schluesselanhaenger",
        slot: "te-8",
        file_name: "stadtlabor-anhaenger.stl",
        title_de: "Schlüsselanhänger des stadtLABOR",
        title_en: "The stadtLABOR keyring",
        text_de: "Der Anhänger in der Form des Schilds am Eingang, mit dem Namen des Labors in Pixelschrift: der erste Druck vieler Besucherinnen und Besucher, flach auf dem Rücken liegend und ohne Stützen.",
        text_en: "The tag in the shape of the sign at the entrance, with the lab's name in pixel letters: the first print of many visitors, lying flat on its back, without supports.",
        mesh: keyring,
    },
];

/// A town gate seen from the front: walls, a pointed roof, a round-arched passage.
fn osthofentor() -> Mesh {
    let mut outline = vec![(0.0, 0.0), (13.0, 0.0)];
    outline.extend(arc((20.0, 12.0), 7.0, PI, 0.0, 16));
    outline.extend([
        (27.0, 0.0),
        (40.0, 0.0),
        (40.0, 30.0),
        (20.0, 55.0),
        (0.0, 30.0),
    ]);
    extrude(&outline, &[], 25.0)
}

/// A wall plate with a round top, two screw holes and a hole for the feeder's wire.
fn feeder_bracket() -> Mesh {
    let mut plate = vec![(0.0, 0.0), (60.0, 0.0), (60.0, 24.0)];
    plate.extend(arc((30.0, 24.0), 30.0, 0.0, PI, 24).into_iter().skip(1));
    let circle = |centre, radius, steps: usize| {
        arc(centre, radius, 0.0, 2.0 * PI, steps as u32)[..steps].to_vec()
    };
    let holes = vec![
        circle((12.0, 12.0), 2.5, 16),
        circle((48.0, 12.0), 2.5, 16),
        circle((30.0, 36.0), 5.0, 24),
    ];
    extrude(&plate, &holes, 4.0)
}

/// The keyring's tag: 56 × 24 mm with rounded corners and a hole for the ring.
fn keyring_tag() -> Region {
    let mut outline = Vec::new();
    for (centre, from) in [
        ((52.0, 4.0), -PI / 2.0),
        ((52.0, 20.0), 0.0),
        ((4.0, 20.0), PI / 2.0),
        ((4.0, 4.0), PI),
    ] {
        outline.extend(arc(centre, 4.0, from, from + PI / 2.0, 6));
    }
    let hole = arc((8.0, 12.0), 3.0, 0.0, 2.0 * PI, 20)[..20].to_vec();
    Region {
        outline,
        holes: vec![hole],
    }
}

/// The tag 3 mm thick with the lab's name raised 1 mm on its front in two lines ("stadt" /
/// "LABOR"; font pixels of 1.2 mm, three nozzle widths).
fn keyring() -> Mesh {
    let pixel = 1.2;
    let mut name = lettering::text("stadt", pixel, 15.0, 21.6);
    name.extend(lettering::text("LABOR", pixel, 15.0, 21.6 - 9.0 * pixel));
    extrude_with_relief(&keyring_tag(), 3.0, &name, 1.0)
}

/// Adds the printable defaults to the default room; returns how many.
pub async fn seed(
    exhibition: &Exhibition,
    scene: &Scene,
    first_at: i64,
) -> Result<usize, CatalogError> {
    let mut added = 0;
    for (i, d) in DEFAULT_PRINTABLES.iter().enumerate() {
        let Some(slot) = scene.slot(d.slot) else {
            continue;
        };
        let printers = exhibition.printers.clone();
        let made = tokio::task::spawn_blocking(move || {
            let d = &DEFAULT_PRINTABLES[i];
            let stl = printable::write_stl(&(d.mesh)());
            let (made, print) = ingest::ingest_file(&stl, d.file_name, &printers)
                .unwrap_or_else(|r| panic!("a generated printable is broken: {:?}", r.problems));
            (stl, made, print.expect("an STL is printable"))
        })
        .await
        .map_err(|e| CatalogError::Conflict(format!("generating {}: {e}", d.id)))?;
        let (stl, made, print) = made;
        let file_blob = exhibition.blobs.put(Bytes::from(stl), "stl").await?;
        let texts = OwnTexts {
            id: d.id,
            title: [d.title_de, d.title_en],
            text: [d.text_de, d.text_en],
            organisation: "Stadt Soest – stadtLABOR",
        };
        let row = exhibition
            .own_exhibit_row(&scene.name, slot, texts, made, first_at + i as i64)
            .await?;
        let printable = PrintableRow {
            exhibit_id: d.id.into(),
            file_blob,
            file_name: d.file_name.into(),
            format: print.report.format.clone(),
            repaired_blob: None,
            licence: Licence::CcBy.code().into(),
            report: serde_json::to_value(&print.report).unwrap_or_default(),
        };
        exhibition
            .storage
            .insert_printable_exhibit(&row, &printable)
            .await?;
        added += 1;
    }
    Ok(added)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::printable::printers::common_printers;

    fn report(mesh: Mesh) -> crate::printable::report::PrintReport {
        let stl = printable::write_stl(&mesh);
        printable::check(&stl, printable::formats::Kind::Stl, &common_printers())
            .expect("a generated printable reads")
            .report
    }

    #[test]
    fn the_lab_s_own_printables_are_closed_single_pieces() {
        for d in DEFAULT_PRINTABLES {
            let r = report((d.mesh)());
            assert_eq!(
                (r.parts, r.open_edges, r.non_manifold_edges, r.flipped_faces),
                (1, 0, 0, 0),
                "{}",
                d.id
            );
            assert_eq!(r.self_intersections, 0, "{}", d.id);
            assert!(!r.inside_out, "{}", d.id);
        }
    }

    #[test]
    fn the_keyring_carries_the_lab_s_name_and_prints_lying_on_its_back() {
        let r = report(keyring());
        // The tag (56 × 24 mm, 3 mm) plus 1 mm of lettering in front.
        assert_eq!(r.size_mm, [56.0, 4.0, 24.0]);
        let tag = r.volume_cm3;
        let tag_only = keyring_tag();
        let plain = report(extrude(&tag_only.outline, &tag_only.holes, 3.0)).volume_cm3;
        // "stadt" and "LABOR" are 171 font pixels of 1.2 × 1.2 mm, 1 mm high.
        let pixels = 171.0 * 1.2 * 1.2 * 1.0 / 1000.0;
        assert!((tag - plain - pixels).abs() < 0.002, "{tag} - {plain}");
        assert_eq!(r.overhang.best, "-y", "letters up");
        assert_eq!(r.overhang.best_cm2, 0.0);
    }
}
