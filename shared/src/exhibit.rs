//! Exhibits as visitors see them, and the rules for what exhibitors may write about them.
//!
//! The server stores much more (status, report, blobs); clients get [`ExhibitView`]: where it
//! stands, what it says, and where to fetch its model. The limits here are checked by the server
//! on upload and by the upload page before it sends.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::protocol::ExhibitMsg;
use crate::scene::Text;

pub const MAX_TITLE_CHARS: usize = 120;
pub const MAX_TEXT_CHARS: usize = 2000;
pub const MAX_ORGANISATION_CHARS: usize = 120;
pub const MAX_LINK_CHARS: usize = 500;

/// An approved exhibit standing in a room.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExhibitView {
    /// Stable id (URL-safe), e.g. `vogelhaus` or `x7k2m9q4`.
    pub id: String,
    /// The scene's slot it stands on.
    pub slot: String,
    /// Centre of the pedestal on the floor, metres.
    pub pos: [f32; 3],
    /// Which way its front faces, degrees clockwise from +Z seen from above.
    pub yaw_deg: f32,
    pub title: Text,
    pub text: Text,
    pub organisation: String,
    pub link: Option<String>,
    /// Path of its GLB on the HTTP server (content-addressed: cacheable forever), if it has one.
    pub model: Option<String>,
    /// Paths of the pictures on its panel (PNG, at most 1024 px).
    pub images: Vec<String>,
}

/// The exhibits a room shows as a client knows them: the list after `Welcome`, then one message
/// per approval or hiding.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ShownExhibits {
    pub by_id: BTreeMap<String, ExhibitView>,
}

impl ShownExhibits {
    /// Applies an exhibit message.
    pub fn apply(&mut self, msg: &ExhibitMsg) {
        match msg {
            ExhibitMsg::All { exhibits } => {
                self.by_id = exhibits.iter().map(|e| (e.id.clone(), e.clone())).collect();
            }
            ExhibitMsg::Shown { exhibit } => {
                self.by_id.insert(exhibit.id.clone(), (**exhibit).clone());
            }
            ExhibitMsg::Gone { id } => {
                self.by_id.remove(id);
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ExhibitTextError {
    #[error("the {field} is empty")]
    Empty { field: &'static str },
    #[error("the {field} is too long: at most {max} characters")]
    TooLong { field: &'static str, max: usize },
    #[error("the {field} contains control characters")]
    ControlCharacters { field: &'static str },
    #[error("the link must start with https:// or http://")]
    LinkScheme,
}

impl ExhibitTextError {
    pub fn field(&self) -> &'static str {
        match self {
            Self::Empty { field } | Self::TooLong { field, .. } => field,
            Self::ControlCharacters { field } => field,
            Self::LinkScheme => "link",
        }
    }
}

/// Trims `value` and checks it against a field's rules; `multiline` allows line breaks.
pub fn clean_field(
    field: &'static str,
    value: &str,
    max: usize,
    required: bool,
    multiline: bool,
) -> Result<String, ExhibitTextError> {
    let value = value.trim().replace("\r\n", "\n");
    if value.is_empty() && required {
        return Err(ExhibitTextError::Empty { field });
    }
    if value.chars().count() > max {
        return Err(ExhibitTextError::TooLong { field, max });
    }
    let bad = |c: char| c.is_control() && !(multiline && (c == '\n' || c == '\t'));
    if value.chars().any(bad) {
        return Err(ExhibitTextError::ControlCharacters { field });
    }
    Ok(value)
}

/// An optional web link: empty means none; otherwise http(s) only (no `javascript:`).
pub fn clean_link(value: &str) -> Result<Option<String>, ExhibitTextError> {
    let value = clean_field("link", value, MAX_LINK_CHARS, false, false)?;
    if value.is_empty() {
        return Ok(None);
    }
    let lower = value.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) || value.contains(' ') {
        return Err(ExhibitTextError::LinkScheme);
    }
    Ok(Some(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_trimmed_and_limited() {
        assert_eq!(
            clean_field("title", "  Vogelhaus ", MAX_TITLE_CHARS, true, false).unwrap(),
            "Vogelhaus"
        );
        assert_eq!(
            clean_field("title", "   ", MAX_TITLE_CHARS, true, false),
            Err(ExhibitTextError::Empty { field: "title" })
        );
        let long = "ä".repeat(MAX_TITLE_CHARS + 1);
        assert!(matches!(
            clean_field("title", &long, MAX_TITLE_CHARS, true, false),
            Err(ExhibitTextError::TooLong { .. })
        ));
        assert!(clean_field("text", "a\nb", 10, true, true).is_ok());
        assert!(clean_field("title", "a\nb", 10, true, false).is_err());
        assert!(clean_field("text", "a\u{7}b", 10, true, true).is_err());
    }

    #[test]
    fn links_are_web_links_only() {
        assert_eq!(clean_link("").unwrap(), None);
        assert!(clean_link("https://www.soest.de").unwrap().is_some());
        assert_eq!(
            clean_link("javascript:alert(1)"),
            Err(ExhibitTextError::LinkScheme)
        );
    }
}
