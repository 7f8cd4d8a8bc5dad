//! The chat panel: the newest lines, and a line to type into (Enter opens and sends, Esc
//! cancels). The server checks every message again; its refusals show in the log.

use bevy::input::ButtonState;
use bevy::input::keyboard::{Key, KeyboardInput};
use bevy::prelude::*;
use fluent_bundle::FluentValue;
use stadtlab_shared::chat::{ChatError, MAX_CHAT_CHARS};
use stadtlab_shared::protocol::domain::exhibits::MAX_COMMENT_CHARS;
use stadtlab_shared::protocol::domain::stage::MAX_CLOSING_ANSWER_CHARS;
use stadtlab_shared::protocol::{ChatCmd, ClientMsg, ExhibitCmd, StageCmd};

use super::style::{self, font};
use crate::i18n::I18n;
use crate::net::Outbox;
use crate::roster::{ChatLine, ChatLog};
use crate::settings::Settings;

/// The line being typed, and what it is for.
#[derive(Resource, Debug, Default)]
pub struct ChatInput {
    pub open: bool,
    pub text: String,
    pub purpose: Writing,
}

/// What a typed line becomes: a chat message (or command), the free answer to a talk's
/// closing question, or a comment on an exhibit rated this visit. The one line to type into
/// serves all three, so keyboards, screen readers and the page's lines reach each the same way.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub enum Writing {
    #[default]
    Chat,
    ClosingAnswer,
    Comment {
        exhibit: String,
    },
}

impl Writing {
    /// The most characters the server takes for it.
    pub fn limit(&self) -> usize {
        match self {
            Writing::Chat => MAX_CHAT_CHARS,
            Writing::ClosingAnswer => MAX_CLOSING_ANSWER_CHARS,
            Writing::Comment { .. } => MAX_COMMENT_CHARS,
        }
    }

    pub fn prompt_key(&self) -> &'static str {
        match self {
            Writing::Chat => "chat-typing",
            Writing::ClosingAnswer => "closing-typing",
            Writing::Comment { .. } => "comment-typing",
        }
    }
}

impl ChatInput {
    /// Opens the line for `purpose` (a button asked to write).
    pub fn open_for(&mut self, purpose: Writing) {
        self.open = true;
        self.text.clear();
        self.purpose = purpose;
    }
}

const LINES_SHOWN: usize = 8;

#[derive(Component)]
pub struct ChatLogText;

/// The chat panel (laid out by `layout` for the screen it is on).
#[derive(Component)]
pub struct ChatPanel;

#[derive(Component)]
pub struct ChatInputText;

pub fn spawn(mut commands: Commands) {
    commands.spawn((
        ChatPanel,
        Node {
            left: Val::Px(10.0),
            bottom: Val::Px(10.0),
            max_width: Val::Percent(45.0),
            min_width: Val::Px(260.0),
            ..style::panel_node()
        },
        BackgroundColor(style::PANEL),
        Interaction::default(),
        children![
            (
                Text::new(""),
                font(style::BODY_PX),
                TextColor(style::TEXT),
                ChatLogText
            ),
            (
                Text::new(""),
                font(style::BODY_PX),
                TextColor(style::ACCENT),
                ChatInputText
            ),
        ],
    ));
}

/// Applies one key press to the line; returns a message to send when Enter completes it.
pub fn edit_line(input: &mut ChatInput, key: &Key, text: Option<&str>) -> Option<String> {
    match key {
        Key::Enter => {
            input.open = false;
            let line = std::mem::take(&mut input.text);
            let line = line.trim();
            (!line.is_empty()).then(|| line.to_owned())
        }
        Key::Escape => {
            input.open = false;
            input.text.clear();
            input.purpose = Writing::Chat;
            None
        }
        Key::Backspace => {
            input.text.pop();
            None
        }
        _ => {
            if let Some(t) = text {
                for c in t.chars().filter(|c| !c.is_control()) {
                    if input.text.chars().count() < input.purpose.limit() {
                        input.text.push(c);
                    }
                }
            }
            None
        }
    }
}

/// Where a finished line goes, by its purpose: the chat (or a command), the closing answer,
/// a comment. One place for keys typed into the canvas, the page's text field and the page's
/// lines.
#[derive(bevy::ecs::system::SystemParam)]
pub struct LineSender<'w> {
    talk: ResMut<'w, crate::stage::Talk>,
    outbox: ResMut<'w, Outbox>,
    people: Res<'w, crate::roster::People>,
    log: ResMut<'w, ChatLog>,
    i18n: Res<'w, I18n>,
    settings: Res<'w, Settings>,
}

impl LineSender<'_> {
    pub fn send(&mut self, purpose: Writing, text: String) {
        match purpose {
            Writing::Chat => self.chat_line(text),
            Writing::ClosingAnswer => {
                if let Some(c) = self.talk.closing.as_mut() {
                    c.answered = true;
                }
                self.outbox
                    .control(&ClientMsg::Stage(StageCmd::Answer { text }));
            }
            Writing::Comment { exhibit } => {
                self.outbox
                    .control(&ClientMsg::Exhibit(ExhibitCmd::Comment {
                        id: exhibit,
                        text,
                    }));
            }
        }
    }

    /// A chat line: a message, or a command (moderation and reports typed as commands are
    /// reachable by keyboard alone).
    fn chat_line(&mut self, text: String) {
        if text.starts_with('/') {
            match crate::moderation::parse_command(&text, self.people.by_id.values()) {
                Ok(msg) => self.outbox.control(&msg),
                Err(e) => self
                    .log
                    .push(ChatLine::Notice(crate::moderation::command_error_text(
                        &self.i18n,
                        &self.settings,
                        &e,
                    ))),
            }
        } else {
            self.outbox.control(&ClientMsg::Chat(ChatCmd::Say { text }));
        }
    }
}

pub fn type_text(
    mut events: MessageReader<KeyboardInput>,
    mut input: ResMut<ChatInput>,
    mut sender: LineSender,
) {
    for ev in events.read() {
        if ev.state != ButtonState::Pressed {
            continue;
        }
        if !input.open {
            if ev.logical_key == Key::Enter || ev.key_code == KeyCode::KeyT && !ev.repeat {
                input.open_for(Writing::Chat);
            }
            continue;
        }
        let purpose = input.purpose.clone();
        let line = edit_line(&mut input, &ev.logical_key, ev.text.as_deref());
        if !input.open {
            input.purpose = Writing::Chat;
        }
        if let Some(text) = line {
            sender.send(purpose, text);
        }
    }
}

/// Lines the page typed (the lab's console, accessibility tools), sent like typed chat lines.
pub fn page_lines(mut sender: LineSender) {
    for text in crate::platform::lines_from_page() {
        sender.send(Writing::Chat, text);
    }
}

fn line_text(i18n: &I18n, settings: &Settings, line: &ChatLine) -> String {
    let lang = settings.language;
    let name = |n: &str| [("name", FluentValue::from(n.to_owned()))];
    match line {
        ChatLine::Said { name, text } => format!("{name}: {text}"),
        ChatLine::Joined(n) => i18n.text(lang, "chat-joined", &name(n)),
        ChatLine::Notice(text) => text.clone(),
        ChatLine::Left(n) => i18n.text(lang, "chat-left", &name(n)),
        ChatLine::Refused(reason) => {
            let key = match reason {
                ChatError::Empty => "chat-refused-empty",
                ChatError::TooLong => "chat-refused-long",
                ChatError::ControlCharacters => "chat-refused-control",
                ChatError::RateLimited => "chat-refused-rate",
                ChatError::RoomBusy => "chat-refused-busy",
                ChatError::Muted => "chat-refused-muted",
                ChatError::PupilChatOff => "chat-refused-pupils",
            };
            i18n.text(lang, key, &[])
        }
    }
}

pub fn refresh(
    i18n: Res<I18n>,
    settings: Res<Settings>,
    log: Res<ChatLog>,
    input: Res<ChatInput>,
    compact: Res<super::layout::Compact>,
    mut log_text: Query<&mut Text, (With<ChatLogText>, Without<ChatInputText>)>,
    mut input_text: Query<&mut Text, (With<ChatInputText>, Without<ChatLogText>)>,
) {
    if log.is_changed() || settings.is_changed() || compact.is_changed() || input.is_changed() {
        // On a narrow screen the closed chat shows only the newest lines.
        let lines = if compact.0 && !input.open {
            super::layout::COMPACT_LINES
        } else {
            LINES_SHOWN
        };
        let shown: Vec<String> = log
            .lines
            .iter()
            .rev()
            .take(lines)
            .rev()
            .map(|l| line_text(&i18n, &settings, l))
            .collect();
        if let Ok(mut text) = log_text.single_mut() {
            text.0 = if shown.is_empty() {
                i18n.text(settings.language, "chat-title", &[])
            } else {
                shown.join("\n")
            };
        }
    }
    if input.is_changed() || settings.is_changed() {
        let lang = settings.language;
        if let Ok(mut text) = input_text.single_mut() {
            text.0 = if input.open {
                i18n.text(
                    lang,
                    input.purpose.prompt_key(),
                    &[("text", input.text.clone().into())],
                )
            } else {
                i18n.text(lang, "chat-hint", &[])
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_sends_trimmed_text_and_drops_control_characters() {
        let mut input = ChatInput {
            open: true,
            ..Default::default()
        };
        for t in ["H", "i", "\u{7}", " ", "!"] {
            edit_line(&mut input, &Key::Character(t.into()), Some(t));
        }
        edit_line(&mut input, &Key::Backspace, None);
        assert_eq!(input.text, "Hi ");
        assert_eq!(
            edit_line(&mut input, &Key::Enter, None).as_deref(),
            Some("Hi")
        );
        assert!(!input.open);
    }

    #[test]
    fn escape_cancels_and_empty_lines_are_not_sent() {
        let mut input = ChatInput {
            open: true,
            text: "x".into(),
            purpose: Writing::ClosingAnswer,
        };
        assert_eq!(edit_line(&mut input, &Key::Escape, None), None);
        assert!(input.text.is_empty() && !input.open);
        assert_eq!(input.purpose, Writing::Chat, "Esc ends the answer too");
        input.open = true;
        assert_eq!(edit_line(&mut input, &Key::Enter, None), None);
    }
}
