//! Class visits in the client: what the server says about the visit (the guide's switches,
//! "look here", the end drawing near), the guide's tools (a bar of buttons and keys), the
//! pupils' notices and their "follow again" button, and the guide's top-down overview.
//! The server decides everything; this only shows it and sends the guide's commands.

pub mod overview;
pub mod tools;

use bevy::prelude::*;
use stadtlab_shared::protocol::{ServerMsg, TourMsg, TourRefusal, TourState};

use crate::i18n::I18n;
use crate::net::ServerEvent;
use crate::roster::{ChatLine, ChatLog};
use crate::settings::Settings;

pub struct ClassVisitLogicPlugin;

impl Plugin for ClassVisitLogicPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<Visit>().add_systems(
            PreUpdate,
            (track, refusals).after(crate::net::NetSet::Receive),
        );
    }
}

pub struct ClassVisitViewPlugin;

impl Plugin for ClassVisitViewPlugin {
    fn build(&self, app: &mut App) {
        app.add_systems(Startup, (tools::spawn, tools::spawn_fade, overview::spawn))
            .add_systems(
                Update,
                (
                    tools::keys,
                    tools::clicks,
                    tools::refresh,
                    tools::look_here,
                    tools::fade,
                    overview::draw,
                )
                    .before(crate::controls::ControlsSet),
            );
    }
}

/// The visit as the server describes it.
#[derive(Resource, Debug, Default)]
pub struct Visit {
    /// The visit's title; `None` outside a class visit.
    pub title: Option<String>,
    pub state: TourState,
    /// The exhibit the guide asked everyone to look at (handled once by `tools::look_here`).
    pub look_here: Option<String>,
    pub look_here_pending: bool,
    /// Seconds left when the warning came, and when it came (app seconds).
    pub ends_soon: Option<(u32, f64)>,
    /// When I was last brought next to the guide (app seconds): the view fades in.
    pub gathered_at: Option<f64>,
    /// The guide's overview map is open.
    pub overview: bool,
}

fn track(mut events: MessageReader<ServerEvent>, mut visit: ResMut<Visit>, time: Res<Time<Real>>) {
    let now = time.elapsed_secs_f64();
    for ServerEvent(msg) in events.read() {
        match msg {
            ServerMsg::Welcome { visit: title, .. } => {
                *visit = Visit {
                    title: title.clone(),
                    ..Visit::default()
                };
            }
            ServerMsg::Tour(TourMsg::State(state)) => visit.state = state.clone(),
            ServerMsg::Tour(TourMsg::LookHere { exhibit }) => {
                visit.look_here = exhibit.clone();
                visit.look_here_pending = true;
            }
            ServerMsg::Tour(TourMsg::Gathered) => visit.gathered_at = Some(now),
            ServerMsg::Tour(TourMsg::EndsSoon { seconds }) => {
                visit.ends_soon = Some((*seconds, now));
            }
            _ => {}
        }
    }
}

/// A guide's command the server refused, said in the chat (the button just did nothing else).
fn refusals(
    mut events: MessageReader<ServerEvent>,
    i18n: Res<I18n>,
    settings: Res<Settings>,
    mut chat: ResMut<ChatLog>,
) {
    for ServerEvent(msg) in events.read() {
        if let ServerMsg::Tour(TourMsg::Refused { reason }) = msg {
            let key = match reason {
                TourRefusal::NotAVisit => "tour-refused-not-a-visit",
                TourRefusal::NotAllowed => "tour-refused-not-allowed",
                TourRefusal::NoSuchExhibit => "tour-refused-no-such-exhibit",
                TourRefusal::NotFollowing => "tour-refused-not-following",
            };
            chat.push(ChatLine::Notice(i18n.text(settings.language, key, &[])));
        }
    }
}
