//! Who may send what, and when: the role a connection holds and the phase it is in decide
//! whether a message is legal (the Veloren `verify` idea). The server checks every message
//! with [`super::ClientMsg::verify`]; clients use [`Role`] to show badges and tools.

use serde::{Deserialize, Serialize};

/// Ordered: each role may do what the ones before it may.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Everyone by default.
    #[default]
    Visitor,
    /// Leads one class visit (entered through the visit's guide link).
    Guide,
    /// The lab team (a staff account's session).
    Staff,
}

impl Role {
    /// The badge on name tags and in the people list; none for visitors.
    /// The same word in German and English.
    pub fn badge(self) -> Option<&'static str> {
        match self {
            Role::Visitor => None,
            Role::Guide => Some("Guide"),
            Role::Staff => Some("Team"),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Visitor => "visitor",
            Role::Guide => "guide",
            Role::Staff => "staff",
        }
    }

    /// Byte in the connect token's user data (the token carries the role).
    pub fn to_byte(self) -> u8 {
        self as u8
    }

    pub fn from_byte(b: u8) -> Option<Role> {
        [Role::Visitor, Role::Guide, Role::Staff]
            .get(b as usize)
            .copied()
    }
}

/// Where a connection is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Connected, before `Hello`.
    Handshake,
    /// In the room.
    InRoom,
}

/// Why a message was refused by [`super::ClientMsg::verify`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Illegal {
    /// Legal, but not now (chat before the handshake, a second `Hello`).
    OutOfPhase,
    /// The sender's role does not allow it (a visitor sending a ban). Counts as misbehaviour.
    NotAllowed,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::{ChatCmd, ClientMsg, ModerationCmd, TourCmd};

    #[test]
    fn messages_are_checked_by_phase_and_role() {
        let chat = ClientMsg::Chat(ChatCmd::Say {
            text: "Hallo".into(),
        });
        let ban = ClientMsg::Moderation(ModerationCmd::Ban {
            target: 3,
            reason: String::new(),
        });
        let mute = ClientMsg::Moderation(ModerationCmd::MuteChat {
            target: 3,
            muted: true,
        });
        let report = ClientMsg::Moderation(ModerationCmd::Report {
            target: 3,
            reason: "spam".into(),
        });
        let follow = ClientMsg::Tour(TourCmd::Follow { on: true });
        let again = ClientMsg::Tour(TourCmd::FollowAgain);
        let hello = ClientMsg::Hello {
            protocol: 3,
            software: String::new(),
        };
        use Phase::*;
        use Role::*;
        assert_eq!(chat.verify(Handshake, Staff), Err(Illegal::OutOfPhase));
        assert_eq!(hello.verify(InRoom, Visitor), Err(Illegal::OutOfPhase));
        assert_eq!(hello.verify(Handshake, Visitor), Ok(()));
        assert_eq!(chat.verify(InRoom, Visitor), Ok(()));
        assert_eq!(ban.verify(InRoom, Visitor), Err(Illegal::NotAllowed));
        assert_eq!(ban.verify(InRoom, Guide), Err(Illegal::NotAllowed));
        assert_eq!(ban.verify(InRoom, Staff), Ok(()));
        assert_eq!(mute.verify(InRoom, Visitor), Err(Illegal::NotAllowed));
        assert_eq!(mute.verify(InRoom, Guide), Ok(()));
        assert_eq!(report.verify(InRoom, Visitor), Ok(()));
        assert_eq!(follow.verify(InRoom, Visitor), Err(Illegal::NotAllowed));
        assert_eq!(follow.verify(InRoom, Guide), Ok(()));
        assert_eq!(again.verify(InRoom, Visitor), Ok(()));
        assert_eq!(ban.verify(Handshake, Staff), Err(Illegal::OutOfPhase));
    }

    #[test]
    fn roles_travel_as_one_byte() {
        for role in [Role::Visitor, Role::Guide, Role::Staff] {
            assert_eq!(Role::from_byte(role.to_byte()), Some(role));
        }
        assert_eq!(Role::from_byte(9), None);
    }
}
