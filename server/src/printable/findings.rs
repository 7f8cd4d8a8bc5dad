//! The report's sentences: one per finding, in German and English, for someone who has
//! never used a slicer. Numbers in German use the decimal comma.

use super::printers::Fit;
use super::report::{Finding, PrintReport};

fn de(x: f64, places: usize) -> String {
    format!("{x:.places$}").replace('.', ",")
}

fn en(x: f64, places: usize) -> String {
    format!("{x:.places$}")
}

/// "1 Loch" / "3 Löcher": the count with the right form.
fn n(count: u64, one: &str, many: &str) -> String {
    if count == 1 {
        format!("1 {one}")
    } else {
        format!("{count} {many}")
    }
}

fn lying(orientation: &str) -> (&'static str, &'static str) {
    match orientation {
        "+z" => ("so wie die Datei steht", "standing as the file does"),
        "-z" => ("auf den Kopf gestellt", "upside down"),
        _ => ("auf die Seite gelegt", "laid on its side"),
    }
}

/// Everything the figures say, problems first.
pub fn findings(r: &PrintReport) -> Vec<Finding> {
    let mut out = Vec::new();
    let [w, d, h] = r.size_mm.map(|v| v as f64);
    let mut size = Finding::new(
        "size",
        "good",
        format!(
            "Größe: {} × {} × {} mm, Volumen {} cm³.",
            de(w, 1),
            de(d, 1),
            de(h, 1),
            de(r.volume_cm3, 1)
        ),
        format!(
            "Size: {} × {} × {} mm, volume {} cm³.",
            en(w, 1),
            en(d, 1),
            en(h, 1),
            en(r.volume_cm3, 1)
        ),
    );
    if r.unit_assumed {
        size.level = "hint".into();
        size.de.push_str(" Die Datei sagt nicht, in welcher Einheit sie misst: wir haben Millimeter angenommen, wie die Slicer. Ist das Modell viel zu klein, war es wohl in Zoll oder Metern gezeichnet.");
        size.en.push_str(" The file does not say which unit it uses: we assumed millimetres, as slicers do. If the model looks far too small, it was drawn in inches or metres.");
    }
    if r.holes > 0 {
        out.push(Finding::new(
            "holes",
            "problem",
            format!(
                "Das Modell hat {} in der Oberfläche ({} offene Kanten): ein Drucker weiß dann nicht, was innen und was außen ist. Schließen Sie sie im Modellierprogramm; viele Slicer flicken kleine Löcher selbst.",
                n(r.holes as u64, "Loch", "Löcher"),
                r.open_edges
            ),
            format!(
                "The model has {} in its surface ({} open edges): a printer cannot tell inside from outside there. Close them in the modelling program; many slicers patch small holes themselves.",
                n(r.holes as u64, "hole", "holes"),
                r.open_edges
            ),
        ));
    }
    if r.non_manifold_edges > 0 {
        out.push(Finding::new(
            "non_manifold",
            "problem",
            format!(
                "An {} stoßen mehr als zwei Flächen zusammen. So eine Kante gibt es an keinem echten Gegenstand; der Slicer muss raten, was gemeint ist.",
                n(r.non_manifold_edges, "Kante", "Kanten")
            ),
            format!(
                "At {} more than two faces meet. No real object has such an edge; the slicer has to guess what was meant.",
                n(r.non_manifold_edges, "edge", "edges")
            ),
        ));
    }
    if r.self_intersections > 0 || !r.self_intersections_complete {
        let cut_de = if r.self_intersections_complete {
            ""
        } else {
            " Die Suche wurde aus Zeitgründen abgebrochen: es können mehr sein."
        };
        let cut_en = if r.self_intersections_complete {
            ""
        } else {
            " The search was stopped to save time: there may be more."
        };
        out.push(Finding::new(
            "self_intersections",
            if r.self_intersections > 0 { "problem" } else { "hint" },
            format!(
                "{} Flächen durchdringen andere Flächen des Modells: Teile stecken ineinander, statt verbunden zu sein. Vereinigen Sie sie im Modellierprogramm (Boolean „Vereinigung“).{cut_de}",
                r.self_intersections
            ),
            format!(
                "{} faces cut through other faces of the model: parts are stuck into each other instead of joined. Unite them in the modelling program (boolean union).{cut_en}",
                r.self_intersections
            ),
        ));
    }
    if r.inside_out {
        out.push(Finding::new(
            "inside_out",
            "warning",
            "Das ganze Modell ist umgestülpt: innen und außen sind vertauscht. Die reparierte Kopie dreht es richtig herum.",
            "The whole model is inside out: inside and outside are swapped. The repaired copy turns it the right way.",
        ));
    }
    if r.flipped_faces > 0 {
        out.push(Finding::new(
            "flipped_faces",
            "warning",
            format!(
                "{} nach innen statt nach außen. Die reparierte Kopie dreht sie richtig herum.",
                n(r.flipped_faces, "Fläche zeigt", "Flächen zeigen")
            ),
            format!(
                "{} inwards instead of outwards. The repaired copy turns them the right way.",
                n(r.flipped_faces, "face points", "faces point")
            ),
        ));
    }
    if r.degenerate_triangles > 0 {
        out.push(Finding::new(
            "degenerate",
            "hint",
            format!(
                "{} keine Fläche (die Ecken liegen auf einer Linie oder aufeinander). Das stört kaum; die reparierte Kopie lässt die weg, deren Ecken aufeinanderliegen.",
                n(r.degenerate_triangles, "Dreieck hat", "Dreiecke haben")
            ),
            format!(
                "{} no area (the corners lie on a line or on top of each other). This hardly matters; the repaired copy leaves out those whose corners coincide.",
                n(r.degenerate_triangles, "triangle has", "triangles have")
            ),
        ));
    }
    if r.parts > 1 {
        out.push(Finding::new(
            "parts",
            "hint",
            format!(
                "Das Modell besteht aus {} getrennten Teilen. Sie werden zusammen gedruckt, hängen aber nicht aneinander.",
                r.parts
            ),
            format!(
                "The model consists of {} separate pieces. They print together but are not joined.",
                r.parts
            ),
        ));
    }
    let o = &r.overhang;
    let (best_de, best_en) = lying(&o.best);
    if o.best_percent > 10.0 {
        out.push(Finding::new(
            "overhang",
            "warning",
            format!(
                "Auch in der besten Lage ({best_de}) hängen {} cm² der Oberfläche ({} %) steiler als 45° in der Luft: dafür braucht der Drucker Stützen, die man danach abbricht.",
                de(o.best_cm2, 1),
                de(o.best_percent, 0)
            ),
            format!(
                "Even in the best position ({best_en}) {} cm² of the surface ({} %) hang in the air at more than 45°: the printer needs supports there, which are broken off afterwards.",
                en(o.best_cm2, 1),
                en(o.best_percent, 0)
            ),
        ));
    } else if o.best != "+z" && o.as_is_cm2 > o.best_cm2 + 0.5 {
        out.push(Finding::new(
            "overhang",
            "hint",
            format!(
                "Legen Sie das Modell anders auf das Druckbett ({best_de}): dann hängen nur {} cm² in der Luft statt {} cm², und es braucht kaum Stützen.",
                de(o.best_cm2, 1),
                de(o.as_is_cm2, 1)
            ),
            format!(
                "Put the model on the bed differently ({best_en}): then only {} cm² hang in the air instead of {} cm², and it needs hardly any supports.",
                en(o.best_cm2, 1),
                en(o.as_is_cm2, 1)
            ),
        ));
    } else {
        out.push(Finding::new(
            "overhang",
            "good",
            "Kaum Überhänge: das Modell lässt sich ohne Stützen drucken.",
            "Hardly any overhangs: the model prints without supports.",
        ));
    }
    if r.walls.thin_percent >= 1.0 {
        let thinnest = r.walls.thinnest_mm.unwrap_or(0.0) as f64;
        out.push(Finding::new(
            "thin_walls",
            "warning",
            format!(
                "An etwa {} % der Oberfläche sind die Wände dünner als 0,8 mm (manche nur um {} mm): zu dünn für eine 0,4-mm-Düse. Solche Stellen fehlen im Druck oder brechen leicht.",
                de(r.walls.thin_percent as f64, 0),
                de(thinnest, 1)
            ),
            format!(
                "On about {} % of the surface the walls are thinner than 0.8 mm (some only about {} mm): too thin for a 0.4 mm nozzle. Such parts go missing in the print or break easily.",
                en(r.walls.thin_percent as f64, 0),
                en(thinnest, 1)
            ),
        ));
    }
    out.push(printers(r));
    out.push(Finding::new(
        "filament",
        "good",
        format!(
            "Material: etwa {} g Filament ({} m). {}.",
            de(r.filament.grams, 0),
            de(r.filament.metres, 1),
            r.filament.assumptions_de
        ),
        format!(
            "Material: about {} g of filament ({} m). {}.",
            en(r.filament.grams, 0),
            en(r.filament.metres, 1),
            r.filament.assumptions_en
        ),
    ));
    out.insert(0, size);
    out.sort_by_key(|f| match f.level.as_str() {
        "problem" => 0,
        "warning" => 1,
        "hint" => 2,
        _ => 3,
    });
    out
}

fn printers(r: &PrintReport) -> Finding {
    let fitting: Vec<(&str, Fit)> = r
        .printers
        .iter()
        .filter(|p| p.fit != Fit::TooLarge)
        .map(|p| (p.printer.as_str(), p.fit))
        .collect();
    if fitting.is_empty() {
        return Finding::new(
            "printers",
            "problem",
            "Das Modell ist für jeden der Drucker zu groß, wie man es auch legt. Verkleinern Sie es oder teilen Sie es in Stücke, die man danach zusammenklebt.",
            "The model is too large for every one of the printers, however it lies. Scale it down or split it into pieces to glue together afterwards.",
        );
    }
    let how = |fit: Fit| match fit {
        Fit::AsIs => ("", ""),
        Fit::TurnedOnBed => (" (schräg gedreht)", " (turned diagonally)"),
        Fit::OnItsSide => (" (auf die Seite gelegt)", " (laid on its side)"),
        Fit::TooLarge => ("", ""),
    };
    let list_de: Vec<String> = fitting
        .iter()
        .map(|(name, fit)| format!("{name}{}", how(*fit).0))
        .collect();
    let list_en: Vec<String> = fitting
        .iter()
        .map(|(name, fit)| format!("{name}{}", how(*fit).1))
        .collect();
    let too_small: Vec<&str> = r
        .printers
        .iter()
        .filter(|p| p.fit == Fit::TooLarge)
        .map(|p| p.printer.as_str())
        .collect();
    let (mut de_text, mut en_text) = (
        format!("Passt auf: {}.", list_de.join(", ")),
        format!("Fits on: {}.", list_en.join(", ")),
    );
    if !too_small.is_empty() {
        de_text.push_str(&format!(" Zu groß für: {}.", too_small.join(", ")));
        en_text.push_str(&format!(" Too large for: {}.", too_small.join(", ")));
    }
    Finding::new("printers", "good", de_text, en_text)
}

/// What the repaired copy changed, said for people.
pub fn repairs(r: &super::repair::Repairs) -> Vec<Finding> {
    let mut out = Vec::new();
    if r.flipped > 0 {
        out.push(Finding::new(
            "flipped",
            "good",
            format!(
                "{} richtig herum gedreht.",
                n(r.flipped as u64, "Fläche", "Flächen")
            ),
            format!(
                "{} turned the right way.",
                n(r.flipped as u64, "face", "faces")
            ),
        ));
    }
    if r.inverted {
        out.push(Finding::new(
            "inverted",
            "good",
            "Das umgestülpte Modell richtig herum gedreht.",
            "The inside-out model turned the right way.",
        ));
    }
    if r.dropped > 0 {
        out.push(Finding::new(
            "dropped",
            "good",
            format!(
                "{} ohne Fläche weggelassen.",
                n(r.dropped as u64, "Dreieck", "Dreiecke")
            ),
            format!(
                "{} without area left out.",
                n(r.dropped as u64, "triangle", "triangles")
            ),
        ));
    }
    out
}
