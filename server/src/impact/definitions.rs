//! What the impact counts store, in words: the one list the data dictionary of the exports
//! and the privacy page (`/datenschutz`) are both written from, so neither can say more or
//! less than the tables hold.

/// One column of an export.
pub struct Column {
    pub name: &'static str,
    pub de: &'static str,
    pub en: &'static str,
}

/// One stored table, exported as one CSV file.
pub struct Table {
    /// The export's name (`rooms` → `/api/impact/rooms.csv`).
    pub export: &'static str,
    pub row_de: &'static str,
    pub row_en: &'static str,
    pub columns: &'static [Column],
}

const fn col(name: &'static str, de: &'static str, en: &'static str) -> Column {
    Column { name, de, en }
}

/// The day a row counts for: every table has it.
const DAY: Column = col(
    "day",
    "Tag in der Zeitzone des Labs (Einstellung time_zone), JJJJ-MM-TT",
    "day in the lab's time zone (setting time_zone), YYYY-MM-DD",
);

pub const ROOM_DAYS: Table = Table {
    export: "rooms",
    row_de: "ein Tag in einem Raum",
    row_en: "one day in one room",
    columns: &[
        DAY,
        col(
            "room",
            "Raum; Klassenbesuche zusammen als „klassenbesuch“",
            "room; class visits together as \"klassenbesuch\"",
        ),
        col(
            "visitors",
            "verschiedene Geräte an diesem Tag (gezählt über einen Schlüssel, der nur im Arbeitsspeicher liegt und täglich wechselt)",
            "different devices that day (counted through a key that lives in memory only and changes daily)",
        ),
        col(
            "joins",
            "Eintritte in den Raum (ein Wiederverbinden zählt nicht)",
            "entries into the room (a reconnect does not count)",
        ),
        col(
            "joins_phone",
            "davon mit einem Handy-Browser",
            "of those from a phone browser",
        ),
        col(
            "joins_computer",
            "davon mit einem Computer-Browser",
            "of those from a computer browser",
        ),
        col(
            "joins_app",
            "davon mit der Desktop-App (oder einem Testprogramm)",
            "of those from the desktop app (or a test program)",
        ),
        col(
            "joins_udp",
            "davon über UDP (Desktop-App)",
            "of those over UDP (desktop app)",
        ),
        col(
            "joins_webtransport",
            "davon über WebTransport",
            "of those over WebTransport",
        ),
        col(
            "joins_websocket",
            "davon über WebSocket",
            "of those over WebSocket",
        ),
    ],
};

pub const EXHIBIT_DAYS: Table = Table {
    export: "exhibits",
    row_de: "ein Tag an einem Exponat",
    row_en: "one day at one exhibit",
    columns: &[
        DAY,
        col("exhibit", "Kennung des Exponats", "the exhibit's id"),
        col(
            "seconds_near",
            "Sekunden, die Menschen näher als 2,5 m am Exponat standen, über alle zusammengezählt",
            "seconds people stood closer than 2.5 m to the exhibit, summed over everyone",
        ),
        col(
            "downloads",
            "Downloads der Druckdatei (Original und reparierte Kopie)",
            "downloads of the print file (original and repaired copy)",
        ),
        col(
            "inspects",
            "wie oft die Ansicht des Exponats geöffnet wurde (je Besuch einmal)",
            "how often the exhibit's inspect view was opened (once per visit)",
        ),
        col(
            "ratings",
            "Bewertungen mit 1 bis 5 Sternen (je Besuch eine)",
            "ratings of 1 to 5 stars (one per visit)",
        ),
        col(
            "stars",
            "Summe der Sterne dieser Bewertungen (Mittel = stars / ratings)",
            "the sum of those ratings' stars (mean = stars / ratings)",
        ),
    ],
};

pub const TALKS: Table = Table {
    export: "talks",
    row_de: "ein Vortrag",
    row_en: "one talk",
    columns: &[
        DAY,
        col("room", "Raum", "room"),
        col(
            "title",
            "Titel aus dem Programm (leer: von Hand gestartet)",
            "title from the programme (empty: started by hand)",
        ),
        col(
            "started",
            "Beginn nach der Uhr des Labs, SS:MM",
            "start on the lab's clock, HH:MM",
        ),
        col("minutes", "Dauer in Minuten", "duration in minutes"),
        col(
            "peak_listeners",
            "die meisten Menschen gleichzeitig im Raum",
            "most people in the room at once",
        ),
        col(
            "mean_listeners",
            "Menschen im Raum im Mittel",
            "people in the room on average",
        ),
        col(
            "listener_minutes",
            "Minuten, die alle zusammen zuhörten",
            "minutes everyone listened, summed",
        ),
        col(
            "hands_raised",
            "verschiedene Menschen, die sich meldeten",
            "different people who raised a hand",
        ),
        col(
            "questions_asked",
            "geschriebene Fragen",
            "written questions",
        ),
        col(
            "curve",
            "Menschen im Raum je Minute (Komma-getrennt)",
            "people in the room per minute (comma-separated)",
        ),
        col(
            "on_site",
            "Menschen im Saal vor Ort, wie die Konsole sie zählte (höchste Meldung; 0: keine)",
            "people in the physical hall as the console counted them (highest report; 0: none)",
        ),
        col(
            "learned_yes",
            "Antworten „Ja“ auf „Hast du etwas Neues erfahren?“",
            "answers \"yes\" to \"Did you learn something new?\"",
        ),
        col(
            "learned_a_little",
            "Antworten „Ein bisschen“",
            "answers \"a little\"",
        ),
        col("learned_no", "Antworten „Nein“", "answers \"no\""),
    ],
};

pub const CLASS_VISITS: Table = Table {
    export: "visits",
    row_de: "ein Klassenbesuch (als Klasse, nie je Schülerin oder Schüler)",
    row_en: "one class visit (as a class, never per pupil)",
    columns: &[
        DAY,
        col(
            "scene",
            "Raum (Szene) des Besuchs",
            "the visit's room (scene)",
        ),
        col(
            "pupils",
            "die meisten Schülerinnen und Schüler gleichzeitig (ohne Lehrkraft und Team)",
            "most pupils at once (without the teacher and staff)",
        ),
        col("minutes", "Dauer in Minuten", "duration in minutes"),
        col(
            "exhibits",
            "verschiedene Exponate, an denen Schülerinnen und Schüler standen",
            "different exhibits pupils stood at",
        ),
    ],
};

pub const TABLES: &[&Table] = &[&ROOM_DAYS, &EXHIBIT_DAYS, &TALKS, &CLASS_VISITS];

/// What the server never stores for the counts, German and English.
pub const NEVER_STORED: &[(&str, &str)] = &[
    ("Namen", "names"),
    ("IP-Adressen", "IP addresses"),
    ("Sitzungs-Kennungen", "session ids"),
    ("Geräteschlüssel", "device keys"),
    ("Cookies zum Zählen", "cookies for counting"),
    ("Wege durch den Raum", "paths through the room"),
    (
        "wer welches Exponat angesehen hat",
        "who looked at which exhibit",
    ),
];

/// What cannot be counted, by design.
pub const CANNOT_COUNT: &[(&str, &str)] = &[
    (
        "wiederkehrende Besucherinnen und Besucher über mehrere Tage: der Zählschlüssel wechselt täglich, dasselbe Gerät zählt an zwei Tagen zweimal",
        "returning visitors across days: the counting key changes daily, the same device counts twice on two days",
    ),
    (
        "Menschen statt Geräte: zwei Menschen an einem Gerät zählen einmal, ein Mensch mit Handy und Laptop zweimal",
        "people rather than devices: two people at one device count once, one person with a phone and a laptop twice",
    ),
    (
        "Besucher nach einem Neustart des Servers am selben Tag: der Schlüssel liegt nur im Arbeitsspeicher, danach zählen sie neu",
        "visitors after a restart of the server on the same day: the key lives in memory only, afterwards they count anew",
    ),
];

/// Everything else the server keeps, by table (German, English): what a visitor should know.
pub const OTHER_STORED: &[(&str, &str, &str)] = &[
    (
        "feedback_comments",
        "Kommentare zu Bewertungen: Text, Tag, Sterne und Exponat, ohne Namen; nach der eingestellten Frist gelöscht",
        "comments that came with ratings: text, day, stars and exhibit, without a name; deleted after the configured period",
    ),
    (
        "talk_answers",
        "Antworten auf die Schlussfrage eines Vortrags: Text, Tag, Vortrag und Frage, ohne Namen; nach der eingestellten Frist gelöscht",
        "answers to a talk's closing question: text, day, talk and question, without a name; deleted after the configured period",
    ),
    (
        "bans",
        "bei einem Hausverbot: Name im Raum, ein Hash des Geräteschlüssels, das Netz, der Grund, wer es aussprach",
        "for a ban: the name in the room, a hash of the device key, the network, the reason, who banned",
    ),
    (
        "reports",
        "bei einer Meldung: wer wen meldete (Namen im Raum), der Grund und die letzten Chatzeilen des Raums",
        "for a report: who reported whom (names in the room), the reason and the room's last chat lines",
    ),
    (
        "audit_log",
        "Moderation und Klassenbesuch-Schalter: wer (Name, Rolle) was wann tat",
        "moderation and class-visit switches: who (name, role) did what and when",
    ),
    (
        "exhibits, printables",
        "eingereichte Exponate: Texte, Organisation, Dateien, Lizenz",
        "submitted exhibits: texts, organisation, files, licence",
    ),
    (
        "class_visits, talks, slide_decks",
        "geplante Klassenbesuche (Titel, Zeit, Code), Vorträge und Folien",
        "planned class visits (title, time, code), talks and slides",
    ),
    (
        "staff_users, staff_sessions, invites",
        "Konten und Anmeldungen des Lab-Teams, Einladungslinks",
        "accounts and sign-ins of the lab team, invite links",
    ),
];
