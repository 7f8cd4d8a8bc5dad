//! The client's state as JSON, for tests and accessibility tools: `window.stadtlab.state()`
//! in the browser, `--state-file` on the desktop. Shape:
//! `{"room", "status", "me": {"id", "pos"}, "avatars": [{"id", "name", "pos"}], "fps", "frames",
//! "chat", "exhibits": [{"id", "title", "model_loaded"}], "inspecting"}`.

use bevy::prelude::*;
use serde::Serialize;
use stadtlab_shared::quantize::QuantPos;

use crate::avatars::AvatarStats;
use crate::class_visit::Visit;
use crate::exhibits::inspect::Inspecting;
use crate::exhibits::list::ShownExhibits;
use crate::exhibits::printable::Printable;
use crate::exhibits::stands::{Load, ModelLoads};
use crate::launch::Launch;
use crate::net::{LinkStatus, Snapshots};
use crate::player::MyMotion;
use crate::roster::{ChatLine, ChatLog, Me, People};

pub struct StateHookPlugin;

impl Plugin for StateHookPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<FrameRate>()
            .add_systems(Update, (measure_fps, publish).chain());
    }
}

/// Frames per second, averaged over the last second.
#[derive(Resource, Debug, Default)]
pub struct FrameRate {
    pub fps: f32,
    /// Frames drawn since start (the first-frame benchmark waits for one).
    pub total_frames: u64,
    frames: u32,
    window: f32,
}

#[derive(Serialize, Debug, PartialEq)]
pub struct AvatarView {
    pub id: u16,
    pub name: String,
    pub pos: [f32; 3],
    /// The SFU forwards their voice now (the speaking flag of the snapshots).
    pub speaking: bool,
}

#[derive(Serialize, Debug, PartialEq)]
pub struct MeView {
    pub id: Option<u16>,
    pub pos: Option<[f32; 3]>,
    /// Where I look (radians about the vertical; 0 faces +z): the page's voice places sounds
    /// relative to it.
    pub yaw: f32,
}

#[derive(Serialize, Debug, PartialEq)]
pub struct StateView {
    pub room: String,
    pub status: String,
    pub me: MeView,
    pub avatars: Vec<AvatarView>,
    pub fps: f32,
    pub frames: u64,
    /// Avatars drawn and the instanced batches they take (benchmark figures).
    pub avatars_drawn: usize,
    pub avatar_batches: usize,
    /// The newest chat lines as shown ("name: text"), and notices (moderation, the visit).
    pub chat: Vec<String>,
    /// Exhibits on show: id, title (German), whether its model is drawn.
    pub exhibits: Vec<ExhibitState>,
    /// The exhibit being inspected.
    pub inspecting: Option<String>,
    /// The inspected exhibit's "Zum Nachdrucken" summary (German), if it is printable.
    pub printable: Option<String>,
    /// Whether its print bed is shown (the model at true size).
    pub print_bed: bool,
    /// Whether its problem spots (overhangs, hole edges) are drawn on it.
    pub problem_spots: bool,
    /// My role (`visitor`, `guide`, `staff`).
    pub role: String,
    /// In a class visit: its title and the guide's switches.
    pub visit: Option<VisitView>,
    /// Which panels are open (`help`, `people`, `settings`, `chat` typing).
    pub panels: Vec<&'static str>,
    /// The buttons on screen, CSS pixels (tests tap them; tools find them).
    pub buttons: Vec<crate::ui::rects::ButtonRect>,
    /// The window's logical size the UI is laid out in (CSS pixels in the browser).
    pub screen: [f32; 2],
    /// The room's talk: running, the floor, who is on air, my hand's place, the floor offered.
    pub talk: TalkView,
    /// The programme board's lines (this room's talks of the next day), German.
    pub programme: Vec<String>,
    /// The last click or tap on the room: what it did (`walk`, `over-ui`, `no-floor`) and where.
    pub last_tap: Option<(&'static str, [f32; 2])>,
}

#[derive(Serialize, Debug, PartialEq, Default)]
pub struct TalkView {
    pub running: bool,
    pub floor: Option<u16>,
    pub on_air: Vec<u16>,
    pub my_hand: Option<u16>,
    pub offered: bool,
    /// Hosts: the raised hands in order (avatar ids).
    pub hands: Vec<u16>,
    /// Written questions: id and votes, answered or not.
    pub questions: Vec<(u32, u32, bool)>,
    pub on_screen: Option<u32>,
    /// The slides: deck id, page, pages; and the page the screen shows (its picture arrived).
    pub slides: Option<(String, u16, u16)>,
    pub screen_shows: Option<String>,
    /// The lab's console, if one is connected.
    pub console: Option<u16>,
    /// Hosts: the queue with names and waiting seconds (for the lab's console).
    pub queue: Vec<(u16, String, u32)>,
    /// The questions in full: id, text, asker, votes, answered.
    pub question_list: Vec<(u32, String, String, u32, bool)>,
    /// After a talk: its title and own question while the closing panel shows.
    pub closing: Option<(String, Option<String>)>,
}

#[derive(Serialize, Debug, PartialEq)]
pub struct VisitView {
    pub title: String,
    pub follow: bool,
    pub hold: bool,
    pub locked: bool,
    pub pupil_chat: bool,
    pub followers: Vec<u16>,
    pub overview: bool,
    pub look_here: Option<String>,
}

#[derive(Serialize, Debug, PartialEq)]
pub struct ExhibitState {
    pub id: String,
    pub title: String,
    pub model_loaded: bool,
}

fn measure_fps(time: Res<Time<Real>>, mut rate: ResMut<FrameRate>) {
    rate.frames += 1;
    rate.total_frames += 1;
    rate.window += time.delta_secs();
    if rate.window >= 1.0 {
        rate.fps = rate.frames as f32 / rate.window;
        rate.frames = 0;
        rate.window = 0.0;
    }
}

pub fn build_state(world: &World) -> StateView {
    let screen_shows = world
        .try_query::<&crate::stage_screen::StageScreen>()
        .and_then(|mut q| q.iter(world).next().and_then(|s| s.shown.clone()));
    let launch = world.resource::<Launch>();
    let me = world.resource::<Me>().0;
    let people = world.resource::<People>();
    let snapshots = world.resource::<Snapshots>();
    let round = |v: Vec3| [v.x, v.y, v.z].map(|c| (c * 100.0).round() / 100.0);
    let avatars = people
        .by_id
        .values()
        .filter(|p| Some(p.id) != me)
        .filter_map(|p| {
            let state = snapshots.decoder.state(p.id)?;
            Some(AvatarView {
                id: p.id,
                name: p.name.clone(),
                pos: round(QuantPos(state.pos).to_vec3()),
                speaking: state.flags & stadtlab_shared::protocol::AvatarState::FLAG_SPEAKING != 0,
            })
        })
        .collect();
    let chat = world
        .resource::<ChatLog>()
        .lines
        .iter()
        .rev()
        .take(10)
        .rev()
        .filter_map(|l| match l {
            ChatLine::Said { name, text } => Some(format!("{name}: {text}")),
            ChatLine::Notice(text) => Some(text.clone()),
            _ => None,
        })
        .collect();
    StateView {
        room: launch.room().to_owned(),
        status: match world.resource::<LinkStatus>() {
            LinkStatus::Offline => "offline".into(),
            LinkStatus::Connecting => "connecting".into(),
            LinkStatus::Connected => "connected".into(),
            LinkStatus::Closed(reason) => format!("closed: {reason}"),
            LinkStatus::Rejected(reason) => format!("closed: {}", reason.message()),
        },
        me: MeView {
            id: me,
            pos: world.resource::<MyMotion>().current.map(|m| round(m.pos)),
            yaw: world
                .get_resource::<crate::controls::Look>()
                .map_or(0.0, |l| (l.yaw * 1000.0).round() / 1000.0),
        },
        avatars,
        fps: (world.resource::<FrameRate>().fps * 10.0).round() / 10.0,
        frames: world.resource::<FrameRate>().total_frames,
        avatars_drawn: world.get_resource::<AvatarStats>().map_or(0, |s| s.avatars),
        avatar_batches: world.get_resource::<AvatarStats>().map_or(0, |s| s.batches),
        chat,
        exhibits: world
            .resource::<ShownExhibits>()
            .by_id
            .values()
            .map(|e| ExhibitState {
                id: e.id.clone(),
                title: e.title.de.clone(),
                model_loaded: world
                    .get_resource::<ModelLoads>()
                    .is_some_and(|l| l.by_id.get(&e.id) == Some(&Load::Loaded)),
            })
            .collect(),
        inspecting: world
            .get_resource::<Inspecting>()
            .and_then(|i| i.id.clone()),
        printable: world
            .get_resource::<Printable>()
            .and_then(|p| p.info.as_ref())
            .map(|info| crate::exhibits::printable::summary(info, true)),
        print_bed: world.get_resource::<Printable>().is_some_and(|p| p.bed),
        problem_spots: world
            .get_resource::<Printable>()
            .is_some_and(|p| p.problems),
        role: world.resource::<Me>().1.as_str().into(),
        panels: open_panels(world),
        buttons: world
            .get_resource::<crate::ui::rects::ButtonRects>()
            .map(|r| r.0.clone())
            .unwrap_or_default(),
        screen: world
            .get_resource::<crate::ui::rects::ButtonRects>()
            .map_or([0.0; 2], |r| r.1),
        visit: world.get_resource::<Visit>().and_then(|v| {
            Some(VisitView {
                title: v.title.clone()?,
                follow: v.state.follow,
                hold: v.state.hold,
                locked: v.state.locked,
                pupil_chat: v.state.pupil_chat,
                followers: v.state.followers.clone(),
                overview: v.overview,
                look_here: v.look_here.clone(),
            })
        }),
        last_tap: world
            .get_resource::<crate::controls::click_walk::LastTap>()
            .and_then(|t| t.0)
            .map(|(at, outcome)| (outcome.as_str(), [at.x.round(), at.y.round()])),
        programme: world
            .get_resource::<crate::programme_board::Board>()
            .map(|b| b.lines.clone())
            .unwrap_or_default(),
        talk: world
            .get_resource::<crate::stage::Talk>()
            .map(|t| TalkView {
                running: t.state.running,
                floor: t.state.floor,
                on_air: t.state.on_air.clone(),
                my_hand: t.my_place,
                offered: t.offered_by.is_some(),
                hands: t.hands.iter().map(|h| h.avatar).collect(),
                questions: t
                    .questions
                    .iter()
                    .map(|q| (q.id, q.votes, q.answered))
                    .collect(),
                on_screen: t.on_screen,
                slides: t.slides.as_ref().map(|s| (s.deck.clone(), s.page, s.pages)),
                screen_shows: screen_shows.clone(),
                console: t.state.console,
                queue: t
                    .hands
                    .iter()
                    .map(|h| (h.avatar, h.name.clone(), h.waiting_s))
                    .collect(),
                question_list: t
                    .questions
                    .iter()
                    .map(|q| (q.id, q.text.clone(), q.by.clone(), q.votes, q.answered))
                    .collect(),
                closing: t
                    .closing
                    .as_ref()
                    .filter(|c| c.shown())
                    .map(|c| (c.question.title.clone(), c.question.question.clone())),
            })
            .unwrap_or_default(),
    }
}

fn open_panels(world: &World) -> Vec<&'static str> {
    let mut open = Vec::new();
    if let Some(p) = world.get_resource::<crate::ui::OpenPanels>() {
        for (on, name) in [
            (p.help, "help"),
            (p.people, "people"),
            (p.settings, "settings"),
        ] {
            if on {
                open.push(name);
            }
        }
    }
    if world
        .get_resource::<crate::ui::chat::ChatInput>()
        .is_some_and(|c| c.open)
    {
        open.push("chat");
    }
    open
}

fn publish(world: &mut World, mut since: Local<f32>) {
    *since += world.resource::<Time<Real>>().delta_secs();
    if *since < 0.25 {
        return;
    }
    *since = 0.0;
    let json = serde_json::to_string(&build_state(world)).unwrap_or_default();
    #[cfg(target_arch = "wasm32")]
    crate::platform::publish_state(json);
    #[cfg(not(target_arch = "wasm32"))]
    if let Some(path) = world.resource::<Launch>().state_file.clone() {
        // Write then rename: a reader never sees half a file.
        let tmp = path.with_extension("tmp");
        if std::fs::write(&tmp, json).is_ok() {
            let _ = std::fs::rename(&tmp, &path);
        }
    }
}
