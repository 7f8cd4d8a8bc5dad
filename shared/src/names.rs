//! Display names: what a visitor may call themselves in the lab.
//!
//! Rules (checked by the server at join; the landing page shows the same messages):
//! 2–24 characters after trimming, no control or invisible characters, no names that pose as
//! staff or the system, and a small blocklist of insults matched after folding case, accents,
//! digits-for-letters and separators.

use thiserror::Error;

pub const MIN_NAME_CHARS: usize = 2;
pub const MAX_NAME_CHARS: usize = 24;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum NameError {
    #[error("the name is empty")]
    Empty,
    #[error("the name is too short: at least {MIN_NAME_CHARS} characters")]
    TooShort,
    #[error("the name is too long: at most {MAX_NAME_CHARS} characters")]
    TooLong,
    #[error("the name contains control or invisible characters")]
    ControlCharacters,
    #[error("this name is reserved for the lab's staff or system")]
    Reserved,
    #[error("this name is not allowed here")]
    Blocked,
}

impl NameError {
    /// A stable machine-readable code for APIs and translations.
    pub fn code(&self) -> &'static str {
        match self {
            NameError::Empty => "name_empty",
            NameError::TooShort => "name_too_short",
            NameError::TooLong => "name_too_long",
            NameError::ControlCharacters => "name_control_characters",
            NameError::Reserved => "name_reserved",
            NameError::Blocked => "name_blocked",
        }
    }
}

/// Names that would let a visitor pose as the lab or its staff.
const RESERVED: &[&str] = &[
    "admin",
    "administrator",
    "moderator",
    "mod",
    "staff",
    "system",
    "server",
    "stadtlab",
    "stadtlabor",
    "team",
    "orga",
    "host",
];

/// A deliberately small list: the point is to catch the obvious, moderation handles the rest.
const BLOCKED_WORDS: &[&str] = &[
    "arschloch",
    "fotze",
    "hurensohn",
    "wichser",
    "schlampe",
    "nazi",
    "hitler",
    "heil",
    "fuck",
    "cunt",
    "nigger",
    "nigga",
    "faggot",
    "whore",
    "slut",
    "bitch",
    "retard",
    "kanake",
    "spast",
    "missgeburt",
];

fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{00AD}' | '\u{034F}' | '\u{180E}')
}

/// Folds a name to the letters a reader would see: lower case, no accents or separators,
/// common digit-for-letter swaps undone.
fn fold_for_matching(name: &str) -> String {
    name.chars()
        .flat_map(|c| c.to_lowercase())
        .filter_map(|c| match c {
            'ä' | 'á' | 'à' | 'â' | '4' | '@' => Some('a'),
            'ö' | 'ó' | 'ò' | 'ô' | '0' => Some('o'),
            'ü' | 'ú' | 'ù' | 'û' => Some('u'),
            'é' | 'è' | 'ê' | '3' => Some('e'),
            'í' | 'ì' | 'î' | '1' | '!' | '|' => Some('i'),
            '5' | '$' | 'ß' => Some('s'),
            '7' => Some('t'),
            c if c.is_alphanumeric() => Some(c),
            _ => None,
        })
        .collect()
}

/// Whether `name` is drawn like a reserved name with look-alike letters from other scripts
/// ("аdmin" with a Cyrillic а, "ＡＤＭＩＮ"): UTS #39 confusable skeletons, compared after
/// folding both sides the same way.
#[cfg(feature = "confusables")]
fn looks_reserved(name: &str) -> bool {
    use unicode_security::confusable_detection::skeleton;
    let fold = |s: &str| fold_for_matching(&skeleton(&s.to_lowercase()).collect::<String>());
    let candidate = fold(name);
    RESERVED.iter().any(|r| candidate == fold(r))
}

#[cfg(not(feature = "confusables"))]
fn looks_reserved(_name: &str) -> bool {
    false
}

/// Validates a display name and returns it normalised (trimmed, inner runs of spaces collapsed).
pub fn validate_display_name(raw: &str) -> Result<String, NameError> {
    if raw.chars().any(is_invisible) {
        return Err(NameError::ControlCharacters);
    }
    let normalised = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let chars = normalised.chars().count();
    if chars == 0 {
        return Err(NameError::Empty);
    }
    if chars < MIN_NAME_CHARS {
        return Err(NameError::TooShort);
    }
    if chars > MAX_NAME_CHARS {
        return Err(NameError::TooLong);
    }
    let folded = fold_for_matching(&normalised);
    if RESERVED.iter().any(|r| folded == *r) || looks_reserved(&normalised) {
        return Err(NameError::Reserved);
    }
    if BLOCKED_WORDS.iter().any(|w| folded.contains(w)) {
        return Err(NameError::Blocked);
    }
    Ok(normalised)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "confusables")]
    #[test]
    fn look_alike_letters_do_not_fake_a_reserved_name() {
        for fake in [
            "\u{430}dmin",
            "ＡＤＭＩＮ",
            "\u{405}taff",
            "Mоderator",
            "\u{1D5BA}dmin",
        ] {
            assert_eq!(
                validate_display_name(fake),
                Err(NameError::Reserved),
                "{fake}"
            );
        }
        assert!(validate_display_name("Admira").is_ok());
        assert!(validate_display_name("Стефан").is_ok());
    }

    #[test]
    fn accepts_ordinary_names() {
        assert_eq!(
            validate_display_name("  Anna   Schmidt ").unwrap(),
            "Anna Schmidt"
        );
        assert_eq!(validate_display_name("Jürgen").unwrap(), "Jürgen");
        assert_eq!(validate_display_name("Klasse 7b").unwrap(), "Klasse 7b");
        assert_eq!(validate_display_name("Ömer Çelik").unwrap(), "Ömer Çelik");
    }

    #[test]
    fn rejects_each_class_of_bad_name() {
        assert_eq!(validate_display_name("   "), Err(NameError::Empty));
        assert_eq!(validate_display_name("A"), Err(NameError::TooShort));
        assert_eq!(
            validate_display_name(&"x".repeat(25)),
            Err(NameError::TooLong)
        );
        assert_eq!(
            validate_display_name("An\u{0007}na"),
            Err(NameError::ControlCharacters)
        );
        assert_eq!(
            validate_display_name("An\u{200B}na"),
            Err(NameError::ControlCharacters)
        );
        assert_eq!(
            validate_display_name("An\u{202E}na"),
            Err(NameError::ControlCharacters)
        );
        assert_eq!(validate_display_name("Ad.Min"), Err(NameError::Reserved));
        assert_eq!(validate_display_name("STAFF"), Err(NameError::Reserved));
        assert_eq!(validate_display_name("W1chs3r 99"), Err(NameError::Blocked));
        assert_eq!(
            validate_display_name("h i t l e r"),
            Err(NameError::Blocked)
        );
    }
}
