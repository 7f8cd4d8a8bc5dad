//! Time near exhibits, from the positions the server has anyway: four times a second every
//! person in a room adds the time since to the exhibit nearest to them, if it is within
//! reach. Only the sums leave the room; nobody's path is kept.

use std::collections::BTreeMap;

use glam::Vec2;
use stadtlab_shared::exhibit::ShownExhibits;

/// Closer than this (metres, on the floor) counts as standing at an exhibit: about two
/// steps, where its label is readable.
pub const NEAR_M: f32 = 2.5;

/// The exhibit nearest to `at` within [`NEAR_M`].
pub fn nearest(exhibits: &ShownExhibits, at: Vec2) -> Option<&str> {
    exhibits
        .by_id
        .values()
        .map(|e| (e, Vec2::new(e.pos[0], e.pos[2]).distance(at)))
        .filter(|(_, d)| *d < NEAR_M)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(e, _)| e.id.as_str())
}

/// Adds `seconds` for each person's nearest exhibit.
pub fn add_seconds(
    totals: &mut BTreeMap<String, f64>,
    exhibits: &ShownExhibits,
    people: impl Iterator<Item = Vec2>,
    seconds: f64,
) {
    for at in people {
        if let Some(id) = nearest(exhibits, at) {
            *totals.entry(id.to_owned()).or_default() += seconds;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use stadtlab_shared::exhibit::ExhibitView;
    use stadtlab_shared::scene::Text;

    fn shown(at: &[(&str, f32, f32)]) -> ShownExhibits {
        let mut s = ShownExhibits::default();
        for (id, x, z) in at {
            s.by_id.insert(
                (*id).into(),
                ExhibitView {
                    id: (*id).into(),
                    slot: String::new(),
                    pos: [*x, 0.0, *z],
                    yaw_deg: 0.0,
                    title: Text {
                        de: String::new(),
                        en: String::new(),
                    },
                    text: Text {
                        de: String::new(),
                        en: String::new(),
                    },
                    organisation: String::new(),
                    link: None,
                    model: None,
                    images: Vec::new(),
                },
            );
        }
        s
    }

    #[test]
    fn a_second_goes_to_the_nearest_exhibit_within_reach() {
        let s = shown(&[("a", 0.0, 0.0), ("b", 3.0, 0.0)]);
        let mut totals = BTreeMap::new();
        let people = [
            Vec2::new(1.0, 0.0),
            Vec2::new(2.2, 0.0),
            Vec2::new(10.0, 0.0),
        ];
        add_seconds(&mut totals, &s, people.into_iter(), 1.0);
        assert_eq!(totals.get("a"), Some(&1.0));
        assert_eq!(totals.get("b"), Some(&1.0));
        assert_eq!(totals.len(), 2, "the one far away counts nowhere");
    }
}
