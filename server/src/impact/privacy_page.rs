//! `/datenschutz`: what the server stores, in German and English, written from
//! [`super::definitions`] (the same list the exports' data dictionary comes from).

use super::definitions::{CANNOT_COUNT, NEVER_STORED, OTHER_STORED, TABLES};

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn list(items: impl Iterator<Item = String>) -> String {
    let items: String = items.map(|i| format!("<li>{i}</li>")).collect();
    format!("<ul>{items}</ul>")
}

/// One language's half of the page.
fn section(german: bool, min_count: i64) -> String {
    let pick = |de: &str, en: &str| escape(if german { de } else { en });
    let mut html = String::new();
    html.push_str(&format!(
        "<section lang=\"{}\"><h2>{}</h2><p>{}</p>",
        if german { "de" } else { "en" },
        pick("Was das virtuelle stadtLABOR speichert", "What the virtual stadtLABOR stores"),
        pick(
            "Das Lab zählt, was es für seine Förderer zeigen muss, ohne je zu speichern, wer jemand war. Gezählt wird auf dem Server; es gibt keine Cookies und keine Analysewerkzeuge Dritter.",
            "The lab counts what it has to show its funders without ever storing who anyone was. Counting happens on the server; there are no cookies and no third-party analytics.",
        )
    ));
    html.push_str(&format!(
        "<h3>{}</h3>",
        pick("Zahlen, die gespeichert werden", "Figures that are stored")
    ));
    for table in TABLES {
        html.push_str(&format!(
            "<h4>{} <code>{}</code></h4>",
            pick("Eine Zeile je", "One row per"),
            pick(table.row_de, table.row_en)
        ));
        html.push_str(&list(
            table
                .columns
                .iter()
                .map(|c| format!("<code>{}</code>: {}", c.name, pick(c.de, c.en))),
        ));
    }
    html.push_str(&format!(
        "<p>{}</p>",
        escape(&if german {
            format!("In den Exporten für die Forschung bleiben Zahlen von 1 bis {} leer, damit niemand einzeln erkennbar ist.", min_count - 1)
        } else {
            format!("In the exports for researchers, counts from 1 to {} are left empty so that nobody can be singled out.", min_count - 1)
        })
    ));
    html.push_str(&format!(
        "<h3>{}</h3>",
        pick("Was nie gespeichert wird", "What is never stored")
    ));
    html.push_str(&list(NEVER_STORED.iter().map(|(de, en)| pick(de, en))));
    html.push_str(&format!(
        "<h3>{}</h3>",
        pick(
            "Was sich so nicht zählen lässt",
            "What cannot be counted this way"
        )
    ));
    html.push_str(&list(CANNOT_COUNT.iter().map(|(de, en)| pick(de, en))));
    html.push_str(&format!(
        "<h3>{}</h3>",
        pick("Was das Lab sonst speichert", "What else the lab stores")
    ));
    html.push_str(&list(OTHER_STORED.iter().map(|(table, de, en)| {
        format!("{} (<code>{}</code>)", pick(de, en), escape(table))
    })));
    html.push_str("</section>");
    html
}

pub fn html(min_count: i64) -> String {
    format!(
        "<!doctype html><html lang=\"de\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Datenschutz · stadtLABOR</title><link rel=\"stylesheet\" href=\"/style.css\"></head><body><main><h1>Datenschutz / Privacy</h1>{}{}</main></body></html>",
        section(true, min_count),
        section(false, min_count)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_names_every_stored_figure_in_both_languages() {
        let page = html(5);
        let (german, english) = page.split_once("<section lang=\"en\">").unwrap();
        for table in TABLES {
            for c in table.columns {
                let code = format!("<code>{}</code>", c.name);
                assert!(
                    german.contains(&code) && english.contains(&code),
                    "{}",
                    c.name
                );
            }
        }
        assert!(page.contains("IP-Adressen") && page.contains("IP addresses"));
        assert!(page.contains("von 1 bis 4 leer"));
    }
}
