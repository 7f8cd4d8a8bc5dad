//! Room chat.

use serde::{Deserialize, Serialize};

use crate::chat::ChatError;

/// client → server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChatCmd {
    Say { text: String },
}

/// server → client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChatMsg {
    Line {
        from: u16,
        name: String,
        text: String,
    },
    Refused {
        reason: ChatError,
    },
}
