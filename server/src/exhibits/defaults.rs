//! The default exhibition: twelve exhibits about the stadtLABOR and Soest's projects in the
//! Digitale Modellregion, three per field of action, each with a model generated here.
//! Seeded on a server's first start (and whenever the exhibits table is empty).

use glam::{Mat4, Vec3};

use super::glb::{Material, Model};
use super::shapes::ModelBuilder;

pub struct DefaultExhibit {
    pub id: &'static str,
    pub slot: &'static str,
    pub title_de: &'static str,
    pub title_en: &'static str,
    pub text_de: &'static str,
    pub text_en: &'static str,
    pub organisation: &'static str,
    pub model: fn() -> Model<'static>,
}

const CITY: &str = "Stadt Soest – stadtLABOR";

pub const DEFAULT_EXHIBITS: &[DefaultExhibit] = &[
    DefaultExhibit {
        id: "mitdenken-soest",
        slot: "dg-1",
        title_de: "Mitdenken Soest – das Beteiligungsportal",
        title_en: "Mitdenken Soest – the participation portal",
        text_de: "Auf mitdenken.soest.de sagen Bürgerinnen und Bürger online ihre Meinung zu Plänen der Stadt und melden Schäden mit dem Mängelmelder. Die Erfahrung: Online-Beteiligung ergänzt Treffen vor Ort, sie ersetzt sie nicht. Und wer mitredet, braucht eine gute Moderation.",
        text_en: "On the portal citizens comment on the city's plans online and report damage with the defect reporter. The lesson: online participation complements meetings in person, it does not replace them. And a conversation needs good moderation.",
        organisation: CITY,
        model: participation_portal,
    },
    DefaultExhibit {
        id: "mitmach-workshop",
        slot: "dg-2",
        title_de: "Der Mitmach-Workshop",
        title_en: "The join-in workshop",
        text_de: "Im April 2021 haben Bürgerinnen und Bürger selbst entworfen, welche Veranstaltungen das stadtLABOR anbieten soll. Viele Formate der folgenden Jahre kamen von diesem Tisch.",
        text_en: "In April 2021 citizens designed the events they wanted the stadtLABOR to offer. Many formats of the following years came from this table.",
        organisation: CITY,
        model: workshop_table,
    },
    DefaultExhibit {
        id: "soest-app",
        slot: "dg-3",
        title_de: "SoestApp und Stadtsache",
        title_en: "SoestApp and Stadtsache",
        text_de: "Die SoestApp bringt Neuigkeiten und Beteiligung aufs Handy (Start 2023). In den Ferien haben Kinder mit der App „Stadtsache“ ihre Stadt erkundet, fotografiert und vermessen.",
        text_en: "The SoestApp brings news and participation to the phone (launched 2023). In the school holidays, children explored, photographed and measured their town with the app \"Stadtsache\".",
        organisation: CITY,
        model: phone,
    },
    DefaultExhibit {
        id: "fuenf-fuer-suedwestfalen",
        slot: "nw-1",
        title_de: "5 für Südwestfalen",
        title_en: "5 for South Westphalia",
        text_de: "Fünf Innovationslabore der Region arbeiten zusammen: FreiRAUM Arnsberg, Waldstadtlabor Iserlohn, Zukunfts.Werk.Stadt Menden und das stadtLABOR Soest. Im Juni 2021 trafen sich die Labore zum Netzwerktreffen; wissenschaftlich begleitet von der Universität für Verwaltungswissenschaften Speyer.",
        text_en: "The region's innovation labs work together: FreiRAUM Arnsberg, Waldstadtlabor Iserlohn, Zukunfts.Werk.Stadt Menden and the stadtLABOR Soest. The labs met in June 2021; the German University of Administrative Sciences Speyer accompanies them as research partner.",
        organisation: CITY,
        model: network,
    },
    DefaultExhibit {
        id: "stadtlabor-haus",
        slot: "nw-2",
        title_de: "Das stadtLABOR im Fachwerkhaus",
        title_en: "The stadtLABOR in a half-timbered house",
        text_de: "Am 7. Februar 2020 öffnete das stadtLABOR in einem denkmalgeschützten Fachwerkhaus der Altstadt: rund 70 m², ein „dritter Ort“, der sich nicht wie ein Rathaus anfühlen soll. Motto: mitnehmen, mitdenken, mitmachen.",
        text_en: "On 7 February 2020 the stadtLABOR opened in a listed half-timbered house in the old town: about 70 m², a \"third place\" that should not feel like a town hall. Motto: take along, think along, join in.",
        organisation: CITY,
        model: half_timbered_house,
    },
    DefaultExhibit {
        id: "dilas",
        slot: "nw-3",
        title_de: "DiLAS – Digitales Lern- und Arbeitszentrum",
        title_en: "DiLAS – digital learning and working centre",
        text_de: "Ab 2025 zieht das stadtLABOR ins DiLAS, gemeinsam mit der Volkshochschule und den Stadtwerken. Das Projekt erhielt im März 2021 den dritten Stern der REGIONALE 2025.",
        text_en: "From 2025 the stadtLABOR moves into the DiLAS, shared with the adult education centre and the municipal utilities. The project won the third star of REGIONALE 2025 in March 2021.",
        organisation: CITY,
        model: learning_centre,
    },
    DefaultExhibit {
        id: "3d-druck",
        slot: "te-1",
        title_de: "3D-Druck zum Ausprobieren",
        title_en: "3D printing to try out",
        text_de: "Kostenlose Einführungen ohne Vorkenntnisse: Wie wird aus einer Idee ein Modell und aus dem Modell ein Gegenstand? Der 3D-Drucker ist oft die Brücke zur Digitalisierung, weil man das Ergebnis in der Hand hält.",
        text_en: "Free introductions, no experience needed: how does an idea become a model, and a model a thing? The 3D printer often builds the bridge to digitalisation, because you hold the result in your hand.",
        organisation: CITY,
        model: printer,
    },
    DefaultExhibit {
        id: "vogelhaus",
        slot: "te-2",
        title_de: "Das smarte Vogelhaus",
        title_en: "The smart bird feeder",
        text_de: "Bürgerwissenschaft mit der Universität Münster (Juni 2023): Bürgerinnen und Bürger bauten Futterhäuschen mit Sensoren. Ihre Daten über die Vogelbesuche landen auf einer offenen Datenplattform.",
        text_en: "Citizen science with the University of Münster (June 2023): citizens built bird feeders with sensors. Their data on the birds' visits go to an open data platform.",
        organisation: "Stadt Soest und Universität Münster",
        model: bird_feeder,
    },
    DefaultExhibit {
        id: "roboter",
        slot: "te-3",
        title_de: "Roboter programmieren",
        title_en: "Programming robots",
        text_de: "Im Ferienprogramm und in offenen Werkstätten steuern Kinder und Erwachsene kleine Roboter, lernen Sensoren kennen und schreiben ihre ersten Programme.",
        text_en: "In the holiday programme and open workshops, children and adults steer small robots, get to know sensors and write their first programs.",
        organisation: CITY,
        model: robot,
    },
    DefaultExhibit {
        id: "digitale-lotsen",
        slot: "vi-1",
        title_de: "Digitale Lotsen",
        title_en: "Digital guides",
        text_de: "Ehrenamtliche Digitale Lotsen unter den Beschäftigten der Stadt helfen Kolleginnen und Kollegen bei neuen Werkzeugen: vom Videocall bis zur digitalen Akte.",
        text_en: "Volunteer digital guides among the city's staff help their colleagues with new tools: from video calls to the digital file.",
        organisation: CITY,
        model: lighthouse,
    },
    DefaultExhibit {
        id: "agiles-arbeiten",
        slot: "vi-2",
        title_de: "Agil arbeiten in der Verwaltung",
        title_en: "Agile work in the administration",
        text_de: "Schulungen zu Miro, Trello und Stackfield, Arbeiten mit Scrum und Umfragen zum Homeoffice: Das stadtLABOR unterstützt die Verwaltung dabei, neue Arbeitsweisen auszuprobieren.",
        text_en: "Training in Miro, Trello and Stackfield, working with Scrum, surveys on working from home: the stadtLABOR helps the administration try new ways of working.",
        organisation: CITY,
        model: task_board,
    },
    DefaultExhibit {
        id: "mobiles-stadtlabor",
        slot: "vi-3",
        title_de: "Das mobile stadtLABOR",
        title_en: "The mobile stadtLABOR",
        text_de: "Seit März 2023 fährt das Labor auf Rädern zu Märkten und Festen. Beschäftigte der Stadt können das Lastenrad mit Technik für ihre eigenen Termine ausleihen.",
        text_en: "Since March 2023 the lab on wheels travels to markets and fairs. City staff can borrow the cargo bike with its equipment for their own events.",
        organisation: CITY,
        model: cargo_bike,
    },
];

// Soest's colours: the town's green, sandstone, timber, and the lab's accent red.
const GREEN: u32 = 0x2e7d32;
const SANDSTONE: u32 = 0xc9b37e;
const TIMBER: u32 = 0x4e342e;
const PLASTER: u32 = 0xf4efe6;
const RED: u32 = 0xc62828;
const DARK: u32 = 0x263238;
const STEEL: u32 = 0x90a4ae;
const BLUE: u32 = 0x1565c0;
const YELLOW: u32 = 0xf9a825;

fn participation_portal() -> Model<'static> {
    let mut b = ModelBuilder::default();
    let case = b.material(Material::color("case", DARK));
    let screen = b.material(Material::color("screen", 0x90caf9).glowing());
    let bubble = b.material(Material::color("bubble", GREEN));
    let stand = Mat4::from_rotation_x(-0.35);
    b.cuboid_at(
        case,
        Mat4::from_translation(Vec3::new(0.0, 0.3, 0.0)) * stand,
        Vec3::new(0.6, 0.42, 0.03),
    );
    b.cuboid_at(
        screen,
        Mat4::from_translation(Vec3::new(0.0, 0.3, 0.0))
            * stand
            * Mat4::from_translation(Vec3::new(0.0, 0.0, 0.018)),
        Vec3::new(0.54, 0.36, 0.01),
    );
    b.cuboid(
        case,
        Vec3::new(-0.1, 0.0, -0.15),
        Vec3::new(0.1, 0.12, 0.05),
    );
    for (i, x) in [-0.25f32, 0.05, 0.3].into_iter().enumerate() {
        let y = 0.65 + i as f32 * 0.12;
        b.sphere(bubble, Vec3::new(x, y, 0.05), 0.09);
        b.cylinder_at(
            bubble,
            Mat4::from_translation(Vec3::new(x - 0.05, y - 0.12, 0.05)),
            0.03,
            0.0,
            0.06,
            8,
        );
    }
    b.finish()
}

fn workshop_table() -> Model<'static> {
    let mut b = ModelBuilder::default();
    let wood = b.material(Material::color("oak", SANDSTONE));
    let stool = b.material(Material::color("stool", GREEN));
    let note = b.material(Material::color("notes", YELLOW));
    b.cylinder(wood, Vec3::new(0.0, 0.36, 0.0), 0.4, 0.04);
    b.cylinder(wood, Vec3::ZERO, 0.05, 0.36);
    for k in 0..4 {
        let a = k as f32 * std::f32::consts::FRAC_PI_2 + 0.4;
        let p = Vec3::new(a.cos() * 0.55, 0.0, a.sin() * 0.55);
        b.cylinder(stool, p, 0.12, 0.24);
        let n = Vec3::new(a.cos() * 0.22, 0.4, a.sin() * 0.22);
        b.cuboid(
            note,
            n - Vec3::new(0.05, 0.0, 0.05),
            n + Vec3::new(0.05, 0.005, 0.05),
        );
    }
    b.finish()
}

fn phone() -> Model<'static> {
    let mut b = ModelBuilder::default();
    let case = b.material(Material::color("case", DARK));
    let screen = b.material(Material::color("screen", 0xa5d6a7).glowing());
    let button = b.material(Material::color("buttons", GREEN));
    b.cuboid(
        case,
        Vec3::new(-0.22, 0.0, -0.03),
        Vec3::new(0.22, 0.9, 0.03),
    );
    b.cuboid(
        screen,
        Vec3::new(-0.2, 0.05, 0.03),
        Vec3::new(0.2, 0.85, 0.035),
    );
    for row in 0..3 {
        for col in 0..3 {
            let c = Vec3::new(-0.12 + col as f32 * 0.12, 0.3 + row as f32 * 0.14, 0.035);
            b.cuboid(
                button,
                c - Vec3::new(0.04, 0.04, 0.0),
                c + Vec3::new(0.04, 0.04, 0.01),
            );
        }
    }
    b.finish()
}

fn network() -> Model<'static> {
    let mut b = ModelBuilder::default();
    let base = b.material(Material::color("plate", SANDSTONE));
    let pin = b.material(Material::color("labs", RED));
    let link = b.material(Material::color("links", DARK));
    b.cylinder(base, Vec3::ZERO, 0.45, 0.04);
    let labs: Vec<Vec3> = (0..5)
        .map(|k| {
            let a = k as f32 / 5.0 * std::f32::consts::TAU;
            Vec3::new(a.cos() * 0.32, 0.25 + 0.08 * (k % 2) as f32, a.sin() * 0.32)
        })
        .collect();
    for (i, p) in labs.iter().enumerate() {
        b.rod(link, Vec3::new(p.x, 0.04, p.z), *p, 0.012);
        b.sphere(pin, *p, 0.07);
        for q in &labs[i + 1..] {
            b.rod(link, *p, *q, 0.008);
        }
    }
    b.finish()
}

fn half_timbered_house() -> Model<'static> {
    let mut b = ModelBuilder::default();
    let plaster = b.material(Material::color("plaster", PLASTER));
    let timber = b.material(Material::color("timber", TIMBER));
    let roof = b.material(Material::color("roof tiles", 0x8d3b2f));
    let (w, d, h) = (0.7, 0.45, 0.45);
    b.cuboid(
        plaster,
        Vec3::new(-w / 2.0, 0.0, -d / 2.0),
        Vec3::new(w / 2.0, h, d / 2.0),
    );
    // Posts, rails and braces on the front: the timber frame that gives the house its name.
    let z = d / 2.0;
    for x in [-0.35f32, -0.12, 0.12, 0.35] {
        b.cuboid(
            timber,
            Vec3::new(x - 0.015, 0.0, z - 0.005),
            Vec3::new(x + 0.015, h, z + 0.01),
        );
    }
    for y in [0.0f32, 0.22, h - 0.02] {
        b.cuboid(
            timber,
            Vec3::new(-w / 2.0, y, z - 0.005),
            Vec3::new(w / 2.0, y + 0.025, z + 0.01),
        );
    }
    for (x0, x1) in [(-0.35f32, -0.12), (0.12, 0.35)] {
        b.rod(
            timber,
            Vec3::new(x0, 0.02, z + 0.005),
            Vec3::new(x1, 0.22, z + 0.005),
            0.012,
        );
    }
    b.cuboid(
        timber,
        Vec3::new(-0.06, 0.0, z),
        Vec3::new(0.06, 0.18, z + 0.012),
    );
    b.gable_roof(
        roof,
        Vec3::new(-w / 2.0 - 0.04, h, -d / 2.0 - 0.06),
        Vec3::new(w / 2.0 + 0.04, h, d / 2.0 + 0.06),
        0.3,
    );
    b.finish()
}

fn learning_centre() -> Model<'static> {
    let mut b = ModelBuilder::default();
    let concrete = b.material(Material::color("concrete", 0xd7ccc8));
    let glass = b.material(Material::color("glass", 0x80deea).metal());
    let green = b.material(Material::color("roof garden", GREEN));
    b.cuboid(
        concrete,
        Vec3::new(-0.45, 0.0, -0.3),
        Vec3::new(0.45, 0.3, 0.3),
    );
    b.cuboid(
        glass,
        Vec3::new(-0.4, 0.05, 0.3),
        Vec3::new(0.4, 0.25, 0.31),
    );
    b.cuboid(
        concrete,
        Vec3::new(-0.45, 0.3, -0.3),
        Vec3::new(0.1, 0.6, 0.2),
    );
    b.cuboid(
        glass,
        Vec3::new(-0.4, 0.35, 0.2),
        Vec3::new(0.05, 0.55, 0.21),
    );
    b.cuboid(green, Vec3::new(0.1, 0.3, -0.3), Vec3::new(0.45, 0.33, 0.3));
    for k in 0..3 {
        b.sphere(
            green,
            Vec3::new(0.2 + 0.1 * k as f32, 0.38, -0.1 + 0.12 * k as f32),
            0.05,
        );
    }
    b.finish()
}

fn printer() -> Model<'static> {
    let mut b = ModelBuilder::default();
    let frame = b.material(Material::color("frame", DARK));
    let bed = b.material(Material::color("bed", STEEL).metal());
    let filament = b.material(Material::color("filament", GREEN));
    let hot = b.material(Material::color("nozzle", 0xff7043).glowing());
    for x in [-0.3f32, 0.3] {
        for z in [-0.25f32, 0.25] {
            b.cuboid(
                frame,
                Vec3::new(x - 0.02, 0.0, z - 0.02),
                Vec3::new(x + 0.02, 0.7, z + 0.02),
            );
        }
    }
    b.cuboid(
        frame,
        Vec3::new(-0.32, 0.0, -0.27),
        Vec3::new(0.32, 0.06, 0.27),
    );
    b.cuboid(
        frame,
        Vec3::new(-0.32, 0.66, -0.27),
        Vec3::new(0.32, 0.7, 0.27),
    );
    b.cuboid(
        bed,
        Vec3::new(-0.25, 0.12, -0.2),
        Vec3::new(0.25, 0.14, 0.2),
    );
    b.rod(
        bed,
        Vec3::new(-0.3, 0.45, 0.0),
        Vec3::new(0.3, 0.45, 0.0),
        0.01,
    );
    b.cuboid(
        frame,
        Vec3::new(-0.06, 0.4, -0.04),
        Vec3::new(0.06, 0.5, 0.04),
    );
    b.cylinder_at(
        hot,
        Mat4::from_translation(Vec3::new(0.0, 0.34, 0.0)),
        0.0,
        0.02,
        0.06,
        12,
    );
    // The print in progress: a small vase, half done.
    b.cylinder_at(
        filament,
        Mat4::from_translation(Vec3::new(0.0, 0.14, 0.0)),
        0.07,
        0.09,
        0.16,
        20,
    );
    b.cylinder_at(
        filament,
        Mat4::from_translation(Vec3::new(0.0, 0.7, -0.15))
            * Mat4::from_rotation_x(std::f32::consts::FRAC_PI_2),
        0.1,
        0.1,
        0.05,
        24,
    );
    b.finish()
}

fn bird_feeder() -> Model<'static> {
    let mut b = ModelBuilder::default();
    let wood = b.material(Material::color("wood", 0xa1887f));
    let roof = b.material(Material::color("roof", TIMBER));
    let seeds = b.material(Material::color("seeds", YELLOW));
    let sensor = b.material(Material::color("sensor", DARK));
    let led = b.material(Material::color("led", 0x76ff03).glowing());
    b.cylinder(wood, Vec3::ZERO, 0.03, 0.5);
    b.cuboid(wood, Vec3::new(-0.2, 0.5, -0.2), Vec3::new(0.2, 0.53, 0.2));
    for (x, z) in [
        (-0.18f32, -0.18f32),
        (0.18, -0.18),
        (-0.18, 0.18),
        (0.18, 0.18),
    ] {
        b.cuboid(
            wood,
            Vec3::new(x - 0.015, 0.53, z - 0.015),
            Vec3::new(x + 0.015, 0.75, z + 0.015),
        );
    }
    b.cuboid(
        seeds,
        Vec3::new(-0.15, 0.53, -0.15),
        Vec3::new(0.15, 0.57, 0.15),
    );
    b.gable_roof(
        roof,
        Vec3::new(-0.26, 0.75, -0.26),
        Vec3::new(0.26, 0.75, 0.26),
        0.16,
    );
    // The citizen-science part: a sensor box with a camera eye under the roof.
    b.cuboid(
        sensor,
        Vec3::new(-0.06, 0.64, 0.14),
        Vec3::new(0.06, 0.72, 0.2),
    );
    b.sphere(led, Vec3::new(0.0, 0.68, 0.205), 0.018);
    b.finish()
}

fn robot() -> Model<'static> {
    let mut b = ModelBuilder::default();
    let body = b.material(Material::color("body", BLUE));
    let wheel = b.material(Material::color("wheels", DARK));
    let eye = b.material(Material::color("eyes", 0xffffff).glowing());
    let accent = b.material(Material::color("antenna", RED));
    b.cuboid(
        body,
        Vec3::new(-0.22, 0.1, -0.18),
        Vec3::new(0.22, 0.4, 0.18),
    );
    b.cuboid(
        body,
        Vec3::new(-0.14, 0.4, -0.12),
        Vec3::new(0.14, 0.62, 0.12),
    );
    for x in [-0.25f32, 0.25] {
        for z in [-0.12f32, 0.12] {
            b.disc(wheel, Vec3::new(x, 0.1, z), Vec3::X, 0.1, 0.05);
        }
    }
    for x in [-0.06f32, 0.06] {
        b.sphere(eye, Vec3::new(x, 0.53, 0.12), 0.035);
    }
    b.rod(
        accent,
        Vec3::new(0.0, 0.62, 0.0),
        Vec3::new(0.0, 0.78, 0.0),
        0.01,
    );
    b.sphere(accent, Vec3::new(0.0, 0.8, 0.0), 0.03);
    b.finish()
}

fn lighthouse() -> Model<'static> {
    let mut b = ModelBuilder::default();
    let white = b.material(Material::color("tower", PLASTER));
    let red = b.material(Material::color("stripes", RED));
    let light = b.material(Material::color("light", YELLOW).glowing());
    let rock = b.material(Material::color("rock", 0x78909c));
    b.cylinder_at(rock, Mat4::IDENTITY, 0.3, 0.22, 0.08, 12);
    for k in 0..4 {
        let y0 = 0.08 + k as f32 * 0.14;
        let r0 = 0.16 - k as f32 * 0.02;
        let m = if k % 2 == 0 { red } else { white };
        b.cylinder_at(
            m,
            Mat4::from_translation(Vec3::new(0.0, y0, 0.0)),
            r0,
            r0 - 0.02,
            0.14,
            20,
        );
    }
    b.cylinder(light, Vec3::new(0.0, 0.64, 0.0), 0.07, 0.1);
    b.cylinder_at(
        red,
        Mat4::from_translation(Vec3::new(0.0, 0.74, 0.0)),
        0.1,
        0.0,
        0.1,
        20,
    );
    b.finish()
}

fn task_board() -> Model<'static> {
    let mut b = ModelBuilder::default();
    let board = b.material(Material::color("board", 0xfafafa));
    let frame = b.material(Material::color("frame", STEEL).metal());
    let notes =
        [YELLOW, 0xef9a9a, 0xa5d6a7, 0x90caf9].map(|c| b.material(Material::color("note", c)));
    b.cuboid(
        frame,
        Vec3::new(-0.42, 0.0, -0.1),
        Vec3::new(-0.39, 0.85, -0.07),
    );
    b.cuboid(
        frame,
        Vec3::new(0.39, 0.0, -0.1),
        Vec3::new(0.42, 0.85, -0.07),
    );
    b.cuboid(
        board,
        Vec3::new(-0.4, 0.3, -0.08),
        Vec3::new(0.4, 0.85, -0.06),
    );
    // Three columns: to do, doing, done; fewer notes the further right.
    for (col, count) in [4usize, 2, 3].into_iter().enumerate() {
        for k in 0..count {
            let x = -0.27 + col as f32 * 0.27;
            let y = 0.75 - k as f32 * 0.11;
            let m = notes[(col + k) % notes.len()];
            b.cuboid(
                m,
                Vec3::new(x - 0.045, y - 0.045, -0.06),
                Vec3::new(x + 0.045, y + 0.045, -0.052),
            );
        }
    }
    for col in 1..3 {
        let x = -0.4 + col as f32 * 0.27;
        b.cuboid(
            frame,
            Vec3::new(x - 0.003, 0.32, -0.06),
            Vec3::new(x + 0.003, 0.83, -0.055),
        );
    }
    b.finish()
}

fn cargo_bike() -> Model<'static> {
    let mut b = ModelBuilder::default();
    let frame = b.material(Material::color("frame", GREEN));
    let tyre = b.material(Material::color("tyres", DARK));
    let boxm = b.material(Material::color("box", SANDSTONE));
    let logo = b.material(Material::color("logo", RED));
    let r = 0.16;
    let front = Vec3::new(0.0, r, 0.45);
    let back = Vec3::new(0.0, r, -0.4);
    for c in [front, back] {
        b.disc(tyre, c, Vec3::X, r, 0.04);
    }
    b.rod(frame, back, Vec3::new(0.0, 0.45, -0.15), 0.018);
    b.rod(frame, back, Vec3::new(0.0, r, 0.15), 0.018);
    b.rod(
        frame,
        Vec3::new(0.0, r, 0.15),
        Vec3::new(0.0, 0.45, -0.15),
        0.018,
    );
    b.rod(frame, Vec3::new(0.0, r, 0.15), front, 0.018);
    b.rod(
        frame,
        Vec3::new(0.0, 0.45, -0.15),
        Vec3::new(0.0, 0.55, -0.2),
        0.015,
    );
    b.cuboid(
        tyre,
        Vec3::new(-0.06, 0.55, -0.26),
        Vec3::new(0.06, 0.58, -0.14),
    );
    b.rod(
        frame,
        Vec3::new(0.0, r, 0.15),
        Vec3::new(0.0, 0.7, 0.12),
        0.015,
    );
    b.rod(
        frame,
        Vec3::new(-0.15, 0.7, 0.12),
        Vec3::new(0.15, 0.7, 0.12),
        0.012,
    );
    // The lab's box on the front: tablet, VR headset and 3D pen travel in here.
    b.cuboid(boxm, Vec3::new(-0.2, 0.3, 0.18), Vec3::new(0.2, 0.55, 0.42));
    b.cuboid(
        logo,
        Vec3::new(-0.1, 0.38, 0.42),
        Vec3::new(0.1, 0.48, 0.425),
    );
    b.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twelve_exhibits_three_per_field_with_models() {
        assert!(DEFAULT_EXHIBITS.len() >= 12);
        let scene = stadtlab_shared::scene::built_in("stadtlabor").unwrap();
        for e in DEFAULT_EXHIBITS {
            assert!(
                scene.slot(e.slot).is_some(),
                "{} stands on unknown slot {}",
                e.id,
                e.slot
            );
            assert!(!e.text_de.is_empty() && !e.text_en.is_empty());
            assert!(e.text_de.chars().count() <= stadtlab_shared::exhibit::MAX_TEXT_CHARS);
            let model = (e.model)();
            assert!(
                model.triangles() > 10 && model.triangles() < 20_000,
                "{}",
                e.id
            );
        }
        let mut slots: Vec<_> = DEFAULT_EXHIBITS.iter().map(|e| e.slot).collect();
        slots.sort_unstable();
        slots.dedup();
        assert_eq!(slots.len(), DEFAULT_EXHIBITS.len(), "one exhibit per slot");
    }
}
