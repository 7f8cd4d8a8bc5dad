//! Talks in the client: the talk's state as the server tells it (who has the floor, who is on
//! air), my raised hand and its place, the question "you are next: speak / decline", and for
//! hosts the queue. Keys: R raises or lowers my hand (as in Jitsi), J and N answer when the
//! floor is offered. Hosts use chat commands (`moderation::parse_command`). Notices go to the
//! chat in the visitor's language.

use bevy::prelude::*;
use fluent_bundle::FluentValue;
use stadtlab_shared::protocol::domain::stage::{
    ClosingQuestion, Question, RaisedHand, Slides, TalkState,
};
use stadtlab_shared::protocol::{ClientMsg, ServerMsg, StageCmd, StageMsg, StageRefusal};

use crate::i18n::I18n;
use crate::net::{Outbox, ServerEvent};
use crate::roster::{ChatLine, ChatLog, Me, People};
use crate::settings::Settings;

pub struct StageLogicPlugin;

impl Plugin for StageLogicPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<Talk>()
            .add_systems(PreUpdate, messages.after(crate::net::NetSet::Receive));
    }
}

pub struct StageViewPlugin;

impl Plugin for StageViewPlugin {
    fn build(&self, app: &mut App) {
        // After the chat's typing: an R typed in the frame whose Enter opened the chat is text.
        app.add_systems(
            Update,
            keys.before(crate::controls::ControlsSet)
                .after(crate::ui::chat::type_text),
        );
    }
}

/// The room's talk as this client knows it.
#[derive(Resource, Debug, Default)]
pub struct Talk {
    pub state: TalkState,
    /// My place in the queue (1 = next) while my hand is up.
    pub my_place: Option<u16>,
    /// A host offered me the floor and waits for my answer.
    pub offered_by: Option<String>,
    /// Hosts: the raised hands in order.
    pub hands: Vec<RaisedHand>,
    /// The talk's written questions, in order of asking.
    pub questions: Vec<Question>,
    /// The question on the stage screen.
    pub on_screen: Option<u32>,
    /// The slides on the stage screen and their page.
    pub slides: Option<Slides>,
    /// After a talk: its closing question, while it can be answered.
    pub closing: Option<ClosingPrompt>,
}

/// The closing question as this visitor answers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosingPrompt {
    pub question: ClosingQuestion,
    /// "Did you learn something new?" was answered.
    pub learned: bool,
    /// The free answer was sent.
    pub answered: bool,
    /// Closed without (all) answers.
    pub dismissed: bool,
}

impl ClosingPrompt {
    /// Whether the panel shows: something is left to answer and it was not closed.
    pub fn shown(&self) -> bool {
        !self.dismissed && !(self.learned && (self.answered || self.question.question.is_none()))
    }
}

impl Talk {
    /// Whether the hall hears `avatar` now.
    pub fn on_air(&self, avatar: u16) -> bool {
        self.state.on_air.contains(&avatar)
    }
}

#[allow(clippy::too_many_arguments)]
fn messages(
    mut events: MessageReader<ServerEvent>,
    mut talk: ResMut<Talk>,
    me: Res<Me>,
    people: Res<People>,
    i18n: Res<I18n>,
    settings: Res<Settings>,
    mut chat: ResMut<ChatLog>,
) {
    let lang = settings.language;
    let name = |id: u16| {
        people
            .name(id)
            .map(str::to_owned)
            .unwrap_or_else(|| format!("#{id}"))
    };
    let say = |key: &str, args: &[(&str, FluentValue)]| i18n.text(lang, key, args);
    for ServerEvent(msg) in events.read() {
        let ServerMsg::Stage(msg) = msg else { continue };
        let text = match msg {
            StageMsg::Talk(state) => {
                let before = std::mem::replace(&mut talk.state, state.clone());
                if state.running != before.running {
                    Some(say(
                        if state.running {
                            "stage-talk-started"
                        } else {
                            "stage-talk-ended"
                        },
                        &[],
                    ))
                } else if state.floor != before.floor {
                    match state.floor {
                        Some(id) if Some(id) == me.0 => Some(say("stage-you-on-air", &[])),
                        Some(id) => Some(say("stage-floor", &[("name", name(id).into())])),
                        None => Some(say("stage-floor-back", &[])),
                    }
                } else {
                    None
                }
            }
            StageMsg::YourHand { place } => {
                let before = std::mem::replace(&mut talk.my_place, *place);
                match (before, place) {
                    (None, Some(p)) => Some(say("stage-hand-raised", &[("place", (*p).into())])),
                    (Some(_), None) => Some(say("stage-hand-lowered", &[])),
                    _ => None,
                }
            }
            StageMsg::FloorOffered { by } => {
                talk.offered_by = Some(by.clone());
                Some(say("stage-floor-offered", &[("by", by.clone().into())]))
            }
            StageMsg::FloorAnswered { avatar, accepted } => Some(say(
                if *accepted {
                    "stage-floor-accepted"
                } else {
                    "stage-floor-declined"
                },
                &[("name", name(*avatar).into())],
            )),
            StageMsg::Hands { queue } => {
                // Hosts: say who raised a hand (a new name at the end of the queue).
                let new: Vec<&RaisedHand> = queue
                    .iter()
                    .filter(|h| !talk.hands.iter().any(|o| o.avatar == h.avatar))
                    .collect();
                let text = new.last().map(|h| {
                    say(
                        "stage-host-hand",
                        &[
                            ("name", h.name.clone().into()),
                            ("count", queue.len().into()),
                        ],
                    )
                });
                talk.hands = queue.clone();
                text
            }
            StageMsg::Question(q) => {
                let known = talk.questions.iter_mut().find(|k| k.id == q.id);
                let text = match known {
                    // New: say it with the way to support it.
                    None => Some(say(
                        "stage-question-new",
                        &[
                            ("id", q.id.into()),
                            ("name", q.by.clone().into()),
                            ("text", q.text.clone().into()),
                        ],
                    )),
                    Some(_) => None,
                };
                match talk.questions.iter_mut().find(|k| k.id == q.id) {
                    Some(k) => *k = q.clone(),
                    None => talk.questions.push(q.clone()),
                }
                text
            }
            StageMsg::OnScreen { question } => {
                talk.on_screen = *question;
                question
                    .and_then(|id| talk.questions.iter().find(|q| q.id == id))
                    .map(|q| {
                        say(
                            "stage-on-screen",
                            &[
                                ("name", q.by.clone().into()),
                                ("text", q.text.clone().into()),
                            ],
                        )
                    })
            }
            StageMsg::Slides(slides) => {
                let before = std::mem::replace(&mut talk.slides, slides.clone());
                // Said when a deck goes up, not at every page.
                slides
                    .as_ref()
                    .filter(|s| before.as_ref().map(|b| &b.deck) != Some(&s.deck))
                    .map(|s| {
                        say(
                            "stage-slides",
                            &[("title", s.title.clone().into()), ("pages", s.pages.into())],
                        )
                    })
            }
            StageMsg::Closing(question) => {
                talk.closing = question.clone().map(|question| ClosingPrompt {
                    question,
                    learned: false,
                    answered: false,
                    dismissed: false,
                });
                question.as_ref().map(|_| say("stage-closing-asked", &[]))
            }
            StageMsg::AnswerTaken => Some(say("stage-answer-taken", &[])),
            StageMsg::UnmuteAsked { by } => {
                Some(say("stage-unmute-asked", &[("by", by.clone().into())]))
            }
            StageMsg::Refused { reason } => Some(say(
                match reason {
                    StageRefusal::NotAllowed => "stage-refused-not-allowed",
                    StageRefusal::NoStage => "stage-refused-no-stage",
                    StageRefusal::NoSuchPerson => "mod-refused-no-such-person",
                    StageRefusal::NotOffered => "stage-refused-not-offered",
                    StageRefusal::QueueFull => "stage-refused-queue-full",
                    StageRefusal::BadQuestion => "stage-refused-bad-question",
                    StageRefusal::TooManyQuestions => "stage-refused-too-many-questions",
                    StageRefusal::NoSuchQuestion => "stage-refused-no-such-question",
                    StageRefusal::NoSuchPage => "stage-refused-no-such-page",
                    StageRefusal::NotAsked => "stage-refused-not-asked",
                    StageRefusal::AlreadyAnswered => "stage-refused-already-answered",
                    StageRefusal::BadAnswer => "stage-refused-bad-answer",
                },
                &[],
            )),
        };
        if let Some(text) = text {
            chat.push(ChatLine::Notice(text));
        }
    }
}

fn keys(
    keys: Res<ButtonInput<KeyCode>>,
    input: Res<crate::ui::chat::ChatInput>,
    inspecting: Res<crate::exhibits::inspect::Inspecting>,
    mut talk: ResMut<Talk>,
    mut outbox: ResMut<Outbox>,
) {
    // Not while typing, and not in the inspect view (R turns the model there).
    if input.open || inspecting.id.is_some() {
        return;
    }
    if keys.just_pressed(KeyCode::KeyR) {
        let cmd = if talk.my_place.is_some() {
            StageCmd::LowerHand
        } else {
            StageCmd::RaiseHand
        };
        outbox.control(&ClientMsg::Stage(cmd));
    }
    if talk.offered_by.is_some() {
        let answer = if keys.just_pressed(KeyCode::KeyJ) || keys.just_pressed(KeyCode::KeyY) {
            Some(true)
        } else if keys.just_pressed(KeyCode::KeyN) {
            Some(false)
        } else {
            None
        };
        if let Some(accept) = answer {
            talk.offered_by = None;
            outbox.control(&ClientMsg::Stage(StageCmd::AnswerFloor { accept }));
        }
    }
}
