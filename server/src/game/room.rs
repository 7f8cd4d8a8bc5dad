//! One room: its scene, its avatars and the rules applied to them every tick.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

use glam::Vec2;
use stadtlab_shared::movement::{self, AvatarMotion};
use stadtlab_shared::protocol::{AvatarState, InputFrame, PresenceEntry, Role, limits};
use stadtlab_shared::quantize::{QuantPos, yaw_to_u16};
use stadtlab_shared::scene::{CollisionWorld, Scene};

use super::follow::{Follow, follow_frame};
use super::rate::TokenBucket;
use crate::admission::Seat;

/// Chat lines a room remembers for reports (staff see what led up to one).
pub const RECENT_CHAT_LINES: usize = 20;

/// Input frames buffered per avatar; more means the client runs ahead of the server clock.
const MAX_PENDING_INPUTS: usize = 8;
/// Frames an avatar may apply in one tick to catch up after jitter.
const MAX_INPUT_CREDIT: f32 = 3.0;

#[derive(Debug)]
pub struct Avatar {
    pub id: u16,
    pub session: String,
    pub name: String,
    pub color: u32,
    pub motion: AvatarMotion,
    pub state: AvatarState,
    /// The connection driving it; `None` while away (inside the reconnect grace period).
    pub client: Option<u64>,
    pub away_since: Option<Instant>,
    pub last_input_seq: u32,
    pub role: Role,
    /// Who muted this avatar's chat, while muted.
    pub chat_muted_by: Option<String>,
    /// For removals and bans: the device key's hash and the network the seat came from.
    pub device_hash: Option<String>,
    pub origin: Option<std::net::IpAddr>,
    /// Walking behind the guide (moved by the server, see `follow`).
    pub following: bool,
    /// This person's chat allowance (kept across reconnects).
    pub chat: TokenBucket,
    /// This host's address the person reached (the voice candidate).
    pub host: Option<std::net::IpAddr>,
    pub voice: crate::voice::AvatarVoice,
    /// Exhibits this visit has opened and rated (each counts once; kept across reconnects).
    pub looked_at: std::collections::HashSet<String>,
    /// By exhibit: the stars given, and whether a comment followed.
    pub rated: std::collections::HashMap<String, (u8, bool)>,
    pending: VecDeque<InputFrame>,
    input_credit: f32,
}

impl Avatar {
    pub fn presence(&self) -> PresenceEntry {
        PresenceEntry {
            id: self.id,
            name: self.name.clone(),
            color: self.color,
            away: self.client.is_none(),
            role: self.role,
        }
    }

    /// Queues frames newer than anything seen; returns how many were refused as excess.
    pub fn queue_inputs(&mut self, frames: &[InputFrame]) -> usize {
        let newest_queued = self
            .pending
            .back()
            .map(|f| f.seq)
            .unwrap_or(self.last_input_seq);
        // At most MAX_INPUT_FRAMES (checked on receipt): sort on the stack, no allocation.
        let mut buf = [InputFrame {
            seq: 0,
            forward: 0,
            right: 0,
            yaw: 0,
            run: false,
        }; limits::MAX_INPUT_FRAMES];
        let mut n = 0;
        for f in frames
            .iter()
            .filter(|f| f.seq > newest_queued)
            .take(buf.len())
        {
            buf[n] = *f;
            n += 1;
        }
        let fresh = &mut buf[..n];
        fresh.sort_unstable_by_key(|f| f.seq);
        let mut refused = 0;
        let mut last_seq = newest_queued;
        for &f in fresh.iter() {
            if f.seq == last_seq {
                continue; // The same frame twice in one message.
            }
            last_seq = f.seq;
            if self.pending.len() == MAX_PENDING_INPUTS {
                // The client claims more ticks of input than time has passed: a speed hack
                // or a runaway clock. Keep the newest intent, drop the oldest.
                self.pending.pop_front();
                refused += 1;
            }
            self.pending.push_back(f);
        }
        refused
    }
}

#[derive(Debug)]
pub struct Room {
    pub name: String,
    pub scene: Arc<Scene>,
    pub world: CollisionWorld,
    pub capacity: usize,
    /// Indexed by avatar id.
    pub avatars: Vec<Option<Avatar>>,
    free_ids: VecDeque<u16>,
    next_spawn: usize,
    pub chat: TokenBucket,
    /// Exhibits on show, kept by the same rule clients use.
    pub exhibits: stadtlab_shared::exhibit::ShownExhibits,
    /// The last chat lines (name, text), for reports.
    pub recent_chat: VecDeque<(String, String)>,
    /// Pupils' movement paused by the guide.
    pub hold: bool,
    /// The guide's path while the class follows.
    pub follow: Option<Follow>,
    /// Who speaks to everyone through the broadcast slot (the guide to the class).
    pub broadcast: Option<u16>,
}

impl Room {
    pub fn new(scene: Arc<Scene>) -> Room {
        let capacity = scene.capacity as usize;
        Room {
            name: scene.name.clone(),
            world: CollisionWorld::from_scene(&scene),
            scene,
            capacity,
            avatars: Vec::new(),
            free_ids: VecDeque::new(),
            next_spawn: 0,
            chat: TokenBucket::new(limits::ROOM_CHAT_PER_SECOND, limits::ROOM_CHAT_PER_SECOND),
            exhibits: Default::default(),
            recent_chat: VecDeque::new(),
            hold: false,
            follow: None,
            broadcast: None,
        }
    }

    /// Remembers a chat line for reports.
    pub fn note_chat(&mut self, name: &str, text: &str) {
        if self.recent_chat.len() == RECENT_CHAT_LINES {
            self.recent_chat.pop_front();
        }
        self.recent_chat
            .push_back((name.to_string(), text.to_string()));
    }

    pub fn occupied(&self) -> usize {
        self.avatars.iter().flatten().count()
    }

    pub fn avatar(&self, id: u16) -> Option<&Avatar> {
        self.avatars.get(id as usize).and_then(|a| a.as_ref())
    }

    pub fn avatar_mut(&mut self, id: u16) -> Option<&mut Avatar> {
        self.avatars.get_mut(id as usize).and_then(|a| a.as_mut())
    }

    pub fn find_session(&self, session: &str) -> Option<u16> {
        self.avatars
            .iter()
            .flatten()
            .find(|a| a.session == session)
            .map(|a| a.id)
    }

    /// Places a new avatar at the next spawn point. Ids are reused oldest-freed first, so a
    /// client is unlikely to confuse a newcomer with someone who just left.
    pub fn spawn(&mut self, seat: &Seat, client: u64) -> u16 {
        let id = match self.free_ids.pop_front() {
            Some(id) => id,
            None => {
                self.avatars.push(None);
                (self.avatars.len() - 1) as u16
            }
        };
        let spawn = &self.scene.spawns[self.next_spawn % self.scene.spawns.len()];
        self.next_spawn += 1;
        let yaw = spawn.yaw_deg.to_radians();
        let pos = self.world.place(Vec2::from(spawn.pos));
        let motion = AvatarMotion { pos, yaw };
        self.avatars[id as usize] = Some(Avatar {
            id,
            session: seat.session.clone(),
            name: seat.name.clone(),
            color: seat.color,
            motion,
            state: quantize(&motion, false),
            client: Some(client),
            away_since: None,
            last_input_seq: 0,
            pending: VecDeque::new(),
            input_credit: 1.0,
            role: seat.role,
            chat_muted_by: None,
            device_hash: seat.device_hash.clone(),
            origin: seat.origin,
            following: false,
            chat: TokenBucket::new(limits::CHAT_BURST, limits::CHAT_PER_SECOND),
            host: seat.host,
            voice: crate::voice::AvatarVoice::new(),
            looked_at: Default::default(),
            rated: Default::default(),
        });
        id
    }

    /// Brings every visitor (pupils; not staff or other guides) next to `guide`, on rings
    /// around it where the floor is free. Returns who was moved.
    pub fn gather(&mut self, guide: u16) -> Vec<u16> {
        let Some(center) = self
            .avatar(guide)
            .map(|a| Vec2::new(a.motion.pos.x, a.motion.pos.z))
        else {
            return Vec::new();
        };
        let world = &self.world;
        let mut spots = (0..).map(|k| ring_spot(center, k)).take(600);
        let mut moved = Vec::new();
        for avatar in self.avatars.iter_mut().flatten() {
            if avatar.role != Role::Visitor || avatar.client.is_none() {
                continue;
            }
            let spot = spots.find(|p| world.walkable(*p)).unwrap_or(center);
            avatar.motion.pos = world.place(spot);
            avatar.motion.yaw = (center - spot).x.atan2((center - spot).y);
            avatar.pending.clear();
            avatar.state = quantize(&avatar.motion, false);
            moved.push(avatar.id);
        }
        moved
    }

    pub fn remove(&mut self, id: u16) -> Option<Avatar> {
        let avatar = self.avatars.get_mut(id as usize)?.take()?;
        self.free_ids.push_back(id);
        Some(avatar)
    }

    /// Applies queued inputs: one frame per `dt` of real time on average (`ticks_elapsed` is
    /// the real time since the last tick in ticks, above 1 when the loop runs late), a little
    /// catch-up after jitter, never faster. Each frame moves by the shared movement rule.
    /// Pupils held still keep their place; followers are steered behind the guide by the same
    /// rule (walls stop them as they stop everyone), and step out when they walk themselves.
    /// Returns whether anyone stepped out of the group.
    pub fn simulate(&mut self, dt: f32, ticks_elapsed: f32) -> bool {
        let world = &self.world;
        let mut stepped_out = false;
        if let Some(follow) = &mut self.follow
            && let Some(guide) = self
                .avatars
                .get(follow.guide as usize)
                .and_then(|a| a.as_ref())
        {
            follow.record(guide.motion.pos);
        }
        let mut rank = 0;
        let total = self
            .avatars
            .iter()
            .flatten()
            .filter(|a| a.following)
            .count();
        for avatar in self.avatars.iter_mut().flatten() {
            if avatar.client.is_none() {
                continue;
            }
            avatar.input_credit = (avatar.input_credit + ticks_elapsed).min(MAX_INPUT_CREDIT);
            let held = self.hold && avatar.role == Role::Visitor;
            let mut running = avatar.state.flags & AvatarState::FLAG_RUNNING != 0;
            let mut walked = false;
            while avatar.input_credit >= 1.0 {
                let Some(frame) = avatar.pending.pop_front() else {
                    break;
                };
                avatar.input_credit -= 1.0;
                avatar.last_input_seq = frame.seq;
                let moves = frame.forward != 0 || frame.right != 0;
                walked |= moves;
                if held || (avatar.following && !moves) {
                    running = false;
                    continue;
                }
                avatar.motion = movement::step(avatar.motion, &frame, dt, world);
                running = frame.run && moves;
            }
            if avatar.following && walked && !held {
                avatar.following = false;
                stepped_out = true;
            }
            if avatar.following
                && !held
                && let Some(follow) = &self.follow
            {
                if let Some(frame) = follow_frame(follow, rank, total, avatar.motion.pos, world) {
                    avatar.motion = movement::step(avatar.motion, &frame, dt, world);
                    running = frame.run;
                }
                rank += 1;
            }
            avatar.state = quantize(&avatar.motion, running);
            if avatar.voice.talking {
                avatar.state.flags |= AvatarState::FLAG_SPEAKING;
            }
        }
        stepped_out
    }

    /// Avatars following the guide now.
    pub fn followers(&self) -> Vec<u16> {
        self.avatars
            .iter()
            .flatten()
            .filter(|a| a.following)
            .map(|a| a.id)
            .collect()
    }

    /// Avatars whose grace period is over.
    pub fn expired_away(&self, now: Instant, grace: Duration) -> Vec<u16> {
        self.avatars
            .iter()
            .flatten()
            .filter(|a| a.away_since.is_some_and(|t| now.duration_since(t) >= grace))
            .map(|a| a.id)
            .collect()
    }

    pub fn presence(&self) -> Vec<PresenceEntry> {
        self.avatars
            .iter()
            .flatten()
            .map(Avatar::presence)
            .collect()
    }
}

/// The `k`-th place on rings around `center`: 1.5 m out, then a ring every 0.9 m, places
/// about 0.9 m apart.
fn ring_spot(center: Vec2, k: usize) -> Vec2 {
    let (mut ring, mut index) = (0usize, k);
    loop {
        let radius = 1.5 + 0.9 * ring as f32;
        let count = (std::f32::consts::TAU * radius / 0.9) as usize;
        if index < count {
            let angle = std::f32::consts::TAU * index as f32 / count as f32;
            return center + Vec2::new(angle.cos(), angle.sin()) * radius;
        }
        index -= count;
        ring += 1;
    }
}

pub fn quantize(motion: &AvatarMotion, running: bool) -> AvatarState {
    AvatarState {
        pos: QuantPos::from_vec3(motion.pos).0,
        yaw: yaw_to_u16(motion.yaw),
        flags: if running {
            AvatarState::FLAG_RUNNING
        } else {
            0
        },
    }
}
