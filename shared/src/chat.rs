//! Room chat text: limits and the validator the server applies to every message.

use thiserror::Error;

/// Characters a message may hold (a long sentence or two; longer belongs in a talk).
pub const MAX_CHAT_CHARS: usize = 300;
/// Bytes a message may hold on the wire (multi-byte scripts stay within the char limit).
pub const MAX_CHAT_BYTES: usize = 1200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error, serde::Serialize, serde::Deserialize)]
pub enum ChatError {
    #[error("the message is empty")]
    Empty,
    #[error("the message is too long: at most {MAX_CHAT_CHARS} characters")]
    TooLong,
    #[error("the message contains control characters")]
    ControlCharacters,
    #[error("you are sending messages too fast; wait a moment")]
    RateLimited,
    #[error("the room's chat is very busy; wait a moment")]
    RoomBusy,
    #[error("your chat was muted by the lab team or the guide")]
    Muted,
    #[error("the guide has switched the pupils' chat off")]
    PupilChatOff,
}

/// Validates a chat message and returns it trimmed. Newlines and tabs are allowed inside,
/// other control characters are not.
pub fn validate_chat_message(raw: &str) -> Result<String, ChatError> {
    if raw.len() > MAX_CHAT_BYTES {
        return Err(ChatError::TooLong);
    }
    if raw
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
        || raw
            .chars()
            .any(|c| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
    {
        return Err(ChatError::ControlCharacters);
    }
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(ChatError::Empty);
    }
    if trimmed.chars().count() > MAX_CHAT_CHARS {
        return Err(ChatError::TooLong);
    }
    Ok(trimmed.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chat_rules() {
        assert_eq!(
            validate_chat_message("  Hallo zusammen! ").unwrap(),
            "Hallo zusammen!"
        );
        assert_eq!(
            validate_chat_message("Zeile 1\nZeile 2").unwrap(),
            "Zeile 1\nZeile 2"
        );
        assert_eq!(validate_chat_message(" \n "), Err(ChatError::Empty));
        assert_eq!(
            validate_chat_message(&"a".repeat(301)),
            Err(ChatError::TooLong)
        );
        assert_eq!(
            validate_chat_message(&"ä".repeat(700)),
            Err(ChatError::TooLong)
        );
        assert_eq!(
            validate_chat_message("bell\u{7}"),
            Err(ChatError::ControlCharacters)
        );
        assert_eq!(
            validate_chat_message("rtl\u{202E}txt"),
            Err(ChatError::ControlCharacters)
        );
    }
}
