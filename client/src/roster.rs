//! Who is in the room and what they said, kept from the server's control messages.

use std::collections::{BTreeMap, VecDeque};

use bevy::prelude::*;
use stadtlab_shared::chat::ChatError;
use stadtlab_shared::protocol::{ChatMsg, PresenceEntry, PresenceMsg, Role, ServerMsg};

use crate::net::ServerEvent;

pub struct RosterPlugin;

impl Plugin for RosterPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<People>()
            .init_resource::<ChatLog>()
            .init_resource::<Me>()
            .add_systems(PreUpdate, apply_control.after(crate::net::NetSet::Receive));
    }
}

/// My avatar id in this room, once welcomed, and my role there.
#[derive(Resource, Debug, Default, Clone, Copy)]
pub struct Me(pub Option<u16>, pub Role);

/// A name as tags and the people list show it: with the role's badge ("Anna · Team").
pub fn tagged_name(person: &PresenceEntry) -> String {
    match person.role.badge() {
        Some(badge) => format!("{} · {badge}", person.name),
        None => person.name.clone(),
    }
}

#[derive(Resource, Debug, Default)]
pub struct People {
    pub by_id: BTreeMap<u16, PresenceEntry>,
}

impl People {
    pub fn name(&self, id: u16) -> Option<&str> {
        self.by_id.get(&id).map(|p| p.name.as_str())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ChatLine {
    Said {
        name: String,
        text: String,
    },
    Joined(String),
    Left(String),
    /// The server refused my message.
    Refused(ChatError),
    /// A notice for me (moderation, a command I typed), already in my language.
    Notice(String),
}

/// The newest chat lines, oldest first.
#[derive(Resource, Debug, Default)]
pub struct ChatLog {
    pub lines: VecDeque<ChatLine>,
    /// Bumped on every new line (panels redraw on change).
    pub version: u64,
}

const CHAT_LINES_KEPT: usize = 50;

impl ChatLog {
    pub fn push(&mut self, line: ChatLine) {
        if self.lines.len() == CHAT_LINES_KEPT {
            self.lines.pop_front();
        }
        self.lines.push_back(line);
        self.version += 1;
    }
}

pub fn apply_control(
    mut events: MessageReader<ServerEvent>,
    mut me: ResMut<Me>,
    mut people: ResMut<People>,
    mut chat: ResMut<ChatLog>,
) {
    for ServerEvent(msg) in events.read() {
        match msg {
            ServerMsg::Welcome { you, role, .. } => {
                me.0 = Some(*you);
                me.1 = *role;
            }
            ServerMsg::Presence(p) => apply_presence(p, &me, &mut people, &mut chat),
            ServerMsg::Chat(ChatMsg::Line { name, text, .. }) => chat.push(ChatLine::Said {
                name: name.clone(),
                text: text.clone(),
            }),
            ServerMsg::Chat(ChatMsg::Refused { reason }) => chat.push(ChatLine::Refused(*reason)),
            // Handled by the net link, the exhibit list, the tour and moderation notices and
            // voice.
            ServerMsg::Rejected { .. }
            | ServerMsg::Exhibits(_)
            | ServerMsg::Moderation(_)
            | ServerMsg::Tour(_)
            | ServerMsg::Voice(_)
            | ServerMsg::Stage(_)
            | ServerMsg::Rating(_) => {}
        }
    }
}

fn apply_presence(msg: &PresenceMsg, me: &Me, people: &mut People, chat: &mut ChatLog) {
    match msg {
        PresenceMsg::Everyone { people: list } => {
            people.by_id = list.iter().map(|p| (p.id, p.clone())).collect();
        }
        PresenceMsg::Joined { person } => {
            if Some(person.id) != me.0 && !people.by_id.contains_key(&person.id) {
                chat.push(ChatLine::Joined(person.name.clone()));
            }
            people.by_id.insert(person.id, person.clone());
        }
        PresenceMsg::Left { id } => {
            if let Some(p) = people.by_id.remove(id) {
                chat.push(ChatLine::Left(p.name));
            }
        }
        PresenceMsg::Away { id } | PresenceMsg::Back { id } => {
            if let Some(p) = people.by_id.get_mut(id) {
                p.away = matches!(msg, PresenceMsg::Away { .. });
            }
        }
    }
}
