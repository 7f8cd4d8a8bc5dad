//! Rooms as data: `scenes/<name>.toml`.
//!
//! One file drives both sides. The server reads floors, walls, obstacles, spawns and capacity
//! to simulate; the client reads the same boxes plus their `material` to draw the room.
//! Coordinates: metres, y up, the room's floor origin at (0, 0, 0); boxes are axis-aligned.

use glam::{Vec2, Vec3};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// German and English text side by side (German is shown by default).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Text {
    pub de: String,
    pub en: String,
}

/// A walkable area: the top of the box at `height` is the floor there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Floor {
    /// XZ corner with the smaller coordinates.
    pub min: [f32; 2],
    pub max: [f32; 2],
    #[serde(default)]
    pub height: f32,
    #[serde(default = "default_floor_material")]
    pub material: String,
}

/// Something solid standing on the floor: a wall, a pillar, a table, a stage's front.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Solid {
    pub min: [f32; 2],
    pub max: [f32; 2],
    /// Height of the top above the floor origin; only for drawing, collision is 2D.
    pub height: f32,
    /// Bottom edge for drawing (lintels above doors); collision ignores solids with base > 1.8 m.
    #[serde(default)]
    pub base: f32,
    #[serde(default = "default_wall_material")]
    pub material: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Spawn {
    pub pos: [f32; 2],
    /// Facing, degrees clockwise from +Z seen from above.
    #[serde(default)]
    pub yaw_deg: f32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ZoneKind {
    Entrance,
    Exhibition,
    Lecture,
    Stage,
    Lounge,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Zone {
    pub id: String,
    pub kind: ZoneKind,
    pub name: Text,
    pub min: [f32; 2],
    pub max: [f32; 2],
}

impl Zone {
    pub fn contains(&self, p: glam::Vec2) -> bool {
        p.x >= self.min[0] && p.x <= self.max[0] && p.y >= self.min[1] && p.y <= self.max[1]
    }
}

/// A place for an exhibit: a pedestal in an exhibition zone. Pedestals block walking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExhibitSlot {
    /// Unique within the scene, e.g. `dg-1`.
    pub id: String,
    /// The zone it belongs to (exhibitors pick a zone, the server picks a free slot in it).
    pub zone: String,
    pub pos: [f32; 2],
    /// Which way the exhibit's front faces, degrees clockwise from +Z seen from above.
    #[serde(default)]
    pub yaw_deg: f32,
}

/// Half the edge of a pedestal's square footprint, metres.
pub const PEDESTAL_HALF: f32 = 0.3;
/// Height of a pedestal's top above the floor, metres.
pub const PEDESTAL_HEIGHT: f32 = 0.9;
/// Edge of the cube an exhibit's model is scaled to fit on its pedestal, metres.
pub const EXHIBIT_FIT: f32 = 0.9;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scene {
    /// Machine name, equal to the file stem; used in URLs (`/r/{name}`).
    pub name: String,
    pub title: Text,
    /// How many people the server lets into the room at once.
    pub capacity: u32,
    pub floors: Vec<Floor>,
    #[serde(default)]
    pub solids: Vec<Solid>,
    pub spawns: Vec<Spawn>,
    #[serde(default)]
    pub zones: Vec<Zone>,
    #[serde(default)]
    pub exhibit_slots: Vec<ExhibitSlot>,
}

fn default_floor_material() -> String {
    "wood".into()
}

fn default_wall_material() -> String {
    "plaster".into()
}

/// The shipped scenes, built in: a server copied anywhere still has rooms, and clients and
/// bots can predict movement without fetching the file. (file name, TOML text)
pub const BUILT_IN: &[(&str, &str)] = &[
    ("forum.toml", include_str!("../../scenes/forum.toml")),
    (
        "stadtlabor.toml",
        include_str!("../../scenes/stadtlabor.toml"),
    ),
];

/// The built-in scene called `name`, if there is one.
pub fn built_in(name: &str) -> Option<Scene> {
    BUILT_IN
        .iter()
        .map(|(_, text)| Scene::from_toml(text))
        .filter_map(Result::ok)
        .find(|s| s.name == name)
}

#[derive(Debug, Error)]
pub enum SceneError {
    #[error("scene file is not valid TOML for a scene: {0}")]
    Parse(#[from] toml::de::Error),
    #[error("scene `{scene}`: {problem}")]
    Invalid { scene: String, problem: String },
}

/// Room names appear in URLs and logs: lower-case ASCII letters, digits and `-`, 1–32 long.
pub fn is_valid_room_name(name: &str) -> bool {
    (1..=32).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

impl Scene {
    /// Whether the room has a stage zone (talks happen there).
    pub fn has_stage(&self) -> bool {
        self.zones.iter().any(|z| z.kind == ZoneKind::Stage)
    }

    /// Whether the point (x, z) stands on a stage zone.
    pub fn on_stage(&self, p: glam::Vec2) -> bool {
        self.zones
            .iter()
            .any(|z| z.kind == ZoneKind::Stage && z.contains(p))
    }

    pub fn from_toml(text: &str) -> Result<Scene, SceneError> {
        let scene: Scene = toml::from_str(text)?;
        scene.validate()?;
        Ok(scene)
    }

    fn invalid(&self, problem: impl Into<String>) -> SceneError {
        SceneError::Invalid {
            scene: self.name.clone(),
            problem: problem.into(),
        }
    }

    /// Checks what a hand-edited file gets wrong: empty rooms, boxes inside out, spawns in walls.
    pub fn validate(&self) -> Result<(), SceneError> {
        if !is_valid_room_name(&self.name) {
            return Err(self.invalid("name must be 1-32 of a-z, 0-9 and -"));
        }
        if self.capacity == 0 || self.capacity > 4000 {
            return Err(self.invalid("capacity must be between 1 and 4000"));
        }
        if self.floors.is_empty() {
            return Err(self.invalid("a scene needs at least one floor"));
        }
        if self.spawns.is_empty() {
            return Err(self.invalid("a scene needs at least one spawn point"));
        }
        let boxes = self
            .floors
            .iter()
            .map(|f| (f.min, f.max))
            .chain(self.solids.iter().map(|s| (s.min, s.max)))
            .chain(self.zones.iter().map(|z| (z.min, z.max)));
        for (min, max) in boxes {
            let finite = min
                .iter()
                .chain(max.iter())
                .all(|v| v.is_finite() && v.abs() < 10_000.0);
            if !finite || min[0] >= max[0] || min[1] >= max[1] {
                return Err(self.invalid(format!("box {min:?}..{max:?} is empty or not finite")));
            }
        }
        let world = CollisionWorld::from_scene(self);
        for spawn in &self.spawns {
            let p = Vec2::from(spawn.pos);
            if world.floor_height(p).is_none() || world.blocked(p) {
                return Err(self.invalid(format!("spawn {:?} is not on free floor", spawn.pos)));
            }
        }
        let mut ids: Vec<&str> = self.zones.iter().map(|z| z.id.as_str()).collect();
        ids.sort_unstable();
        if ids.windows(2).any(|w| w[0] == w[1]) {
            return Err(self.invalid("zone ids must be unique"));
        }
        let mut slots: Vec<&str> = self.exhibit_slots.iter().map(|s| s.id.as_str()).collect();
        slots.sort_unstable();
        if slots.windows(2).any(|w| w[0] == w[1]) {
            return Err(self.invalid("exhibit slot ids must be unique"));
        }
        for slot in &self.exhibit_slots {
            if !self.zones.iter().any(|z| z.id == slot.zone) {
                return Err(self.invalid(format!(
                    "exhibit slot {} names an unknown zone {}",
                    slot.id, slot.zone
                )));
            }
            if world.floor_height(Vec2::from(slot.pos)).is_none() {
                return Err(self.invalid(format!("exhibit slot {} is off the floor", slot.id)));
            }
        }
        Ok(())
    }

    /// The zone a point lies in (the first listed wins where zones overlap).
    pub fn zone_at(&self, p: Vec2) -> Option<&Zone> {
        self.zones.iter().find(|z| inside(p, z.min, z.max))
    }

    pub fn slot(&self, id: &str) -> Option<&ExhibitSlot> {
        self.exhibit_slots.iter().find(|s| s.id == id)
    }

    /// Zones exhibitors may choose: exhibition zones with at least one pedestal.
    pub fn exhibit_zones(&self) -> impl Iterator<Item = &Zone> {
        self.zones.iter().filter(|z| {
            z.kind == ZoneKind::Exhibition && self.exhibit_slots.iter().any(|s| s.zone == z.id)
        })
    }
}

fn inside(p: Vec2, min: [f32; 2], max: [f32; 2]) -> bool {
    p.x >= min[0] && p.x <= max[0] && p.y >= min[1] && p.y <= max[1]
}

/// Radius of an avatar's footprint.
pub const AVATAR_RADIUS: f32 = 0.3;
/// Solids whose lower edge is above this do not block walking (lintels, screens).
const HEAD_CLEARANCE: f32 = 1.8;

/// The parts of a scene that movement needs, in the form collision wants.
#[derive(Debug, Clone)]
pub struct CollisionWorld {
    floors: Vec<(Vec2, Vec2, f32)>,
    solids: Vec<(Vec2, Vec2)>,
}

impl CollisionWorld {
    pub fn from_scene(scene: &Scene) -> Self {
        Self {
            floors: scene
                .floors
                .iter()
                .map(|f| (Vec2::from(f.min), Vec2::from(f.max), f.height))
                .collect(),
            // Pedestals stand whether or not an exhibit is on them, so walking never depends
            // on what the exhibition shows today.
            solids: scene
                .solids
                .iter()
                .filter(|s| s.base < HEAD_CLEARANCE)
                .map(|s| (Vec2::from(s.min), Vec2::from(s.max)))
                .chain(scene.exhibit_slots.iter().map(|s| {
                    let c = Vec2::from(s.pos);
                    (
                        c - Vec2::splat(PEDESTAL_HALF),
                        c + Vec2::splat(PEDESTAL_HALF),
                    )
                }))
                .collect(),
        }
    }

    /// Height of the highest floor under `p`, or `None` off every floor.
    pub fn floor_height(&self, p: Vec2) -> Option<f32> {
        self.floors
            .iter()
            .filter(|(min, max, _)| inside(p, min.to_array(), max.to_array()))
            .map(|(_, _, h)| *h)
            .reduce(f32::max)
    }

    /// Whether an avatar centred at `p` would overlap a solid.
    pub fn blocked(&self, p: Vec2) -> bool {
        self.solids.iter().any(|(min, max)| {
            let closest = p.clamp(*min, *max);
            closest.distance_squared(p) < AVATAR_RADIUS * AVATAR_RADIUS
        })
    }

    /// Whether an avatar may stand at `p`: on a floor, clear of solids, and the whole footprint
    /// on walkable ground (so nobody hangs over the edge of the world).
    pub fn walkable(&self, p: Vec2) -> bool {
        let r = AVATAR_RADIUS * 0.7;
        [
            Vec2::ZERO,
            Vec2::new(r, r),
            Vec2::new(-r, r),
            Vec2::new(r, -r),
            Vec2::new(-r, -r),
        ]
        .iter()
        .all(|o| self.floor_height(p + *o).is_some())
            && !self.blocked(p)
    }

    /// A position's full 3D form: `p` on the floor beneath it.
    pub fn place(&self, p: Vec2) -> Vec3 {
        Vec3::new(p.x, self.floor_height(p).unwrap_or(0.0), p.y)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(name: &str) -> Scene {
        let path = format!("{}/../scenes/{name}.toml", env!("CARGO_MANIFEST_DIR"));
        Scene::from_toml(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    #[test]
    fn shipped_scenes_are_valid() {
        let lab = load("stadtlabor");
        assert_eq!(lab.name, "stadtlabor");
        let exhibitions = lab
            .zones
            .iter()
            .filter(|z| z.kind == ZoneKind::Exhibition)
            .count();
        assert_eq!(exhibitions, 4, "one zone per field of action");
        for zone in lab.zones.iter().filter(|z| z.kind == ZoneKind::Exhibition) {
            let slots = lab
                .exhibit_slots
                .iter()
                .filter(|s| s.zone == zone.id)
                .count();
            assert!(slots >= 4, "zone {} has {slots} exhibit slots", zone.id);
        }
        assert!(lab.zones.iter().any(|z| z.kind == ZoneKind::Stage));
        assert!(lab.zones.iter().any(|z| z.kind == ZoneKind::Entrance));
        let forum = load("forum");
        assert!(forum.capacity >= 1000);
    }

    #[test]
    fn rejects_broken_scenes() {
        let bad = r#"
            name = "Bad Name"
            capacity = 10
            title = { de = "x", en = "x" }
            floors = [{ min = [0, 0], max = [5, 5] }]
            spawns = [{ pos = [1, 1] }]
        "#;
        assert!(matches!(
            Scene::from_toml(bad),
            Err(SceneError::Invalid { .. })
        ));
        let spawn_in_wall = r#"
            name = "x"
            capacity = 10
            title = { de = "x", en = "x" }
            floors = [{ min = [0, 0], max = [5, 5] }]
            solids = [{ min = [0, 0], max = [2, 2], height = 3 }]
            spawns = [{ pos = [1, 1] }]
        "#;
        assert!(matches!(
            Scene::from_toml(spawn_in_wall),
            Err(SceneError::Invalid { .. })
        ));
        assert!(matches!(
            Scene::from_toml("name = 3"),
            Err(SceneError::Parse(_))
        ));
    }
}
