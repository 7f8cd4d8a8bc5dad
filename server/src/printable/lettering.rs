//! Raised lettering for the lab's own printables: a blocky pixel font of our own (5 × 7,
//! strokes one pixel wide) whose letters are traced into outlines with holes, ready for
//! [`super::solid::extrude_with_relief`]. Every letter is one piece joined along pixel sides,
//! never only at a corner: a corner contact would pinch the surface (not manifold).

use super::solid::Region;

/// Columns and rows of a letter.
pub const GLYPH_SIZE: (usize, usize) = (5, 7);

/// The letters the lab's printables use; `#` is raised. Lower-case letters sit on the same
/// baseline and use the lower rows, ascenders reach the top.
const GLYPHS: &[(char, [&str; 7])] = &[
    (
        's',
        [
            ".....", ".....", "#####", "#....", "#####", "....#", "#####",
        ],
    ),
    (
        't',
        [
            ".#...", ".#...", "####.", ".#...", ".#...", ".#...", ".###.",
        ],
    ),
    (
        'a',
        [
            ".....", ".....", "#####", "....#", "#####", "#...#", "#####",
        ],
    ),
    (
        'd',
        [
            "....#", "....#", "#####", "#...#", "#...#", "#...#", "#####",
        ],
    ),
    (
        'L',
        [
            "#....", "#....", "#....", "#....", "#....", "#....", "#####",
        ],
    ),
    (
        'A',
        [
            "#####", "#...#", "#...#", "#####", "#...#", "#...#", "#...#",
        ],
    ),
    (
        'B',
        [
            "####.", "#..#.", "#..#.", "#####", "#...#", "#...#", "#####",
        ],
    ),
    (
        'O',
        [
            "#####", "#...#", "#...#", "#...#", "#...#", "#...#", "#####",
        ],
    ),
    (
        'R',
        [
            "#####", "#...#", "#...#", "#####", "#..#.", "#..#.", "#..##",
        ],
    ),
];

fn glyph(c: char) -> Option<&'static [&'static str; 7]> {
    GLYPHS.iter().find(|(g, _)| *g == c).map(|(_, rows)| rows)
}

/// `text` as raised regions, `pixel` millimetres per font pixel, the top left of the first
/// letter at (`left`, `top`) in x–z (z up). One pixel column between letters. Characters
/// without a glyph are left out as spaces.
pub fn text(text: &str, pixel: f32, left: f32, top: f32) -> Vec<Region> {
    let (cols, _) = GLYPH_SIZE;
    text.chars()
        .enumerate()
        .filter_map(|(i, c)| {
            let rows = glyph(c)?;
            let x0 = left + (i * (cols + 1)) as f32 * pixel;
            Some(trace(rows).map(|(outline, holes)| {
                let to_mm = |ring: Vec<(i32, i32)>| -> Vec<(f32, f32)> {
                    ring.into_iter()
                        .map(|(x, v)| (x0 + x as f32 * pixel, top + v as f32 * pixel))
                        .collect()
                };
                Region {
                    outline: to_mm(outline),
                    holes: holes.into_iter().map(to_mm).collect(),
                }
            }))
        })
        .flatten()
        .collect()
}

/// Lattice corners: x to the right, v upwards (v = -row).
type Ring = Vec<(i32, i32)>;

/// The outline and holes of one letter: `None` when it is not exactly one piece.
fn trace(rows: &[&str; 7]) -> Option<(Ring, Vec<Ring>)> {
    let lit = |c: i32, r: i32| {
        r >= 0
            && c >= 0
            && rows
                .get(r as usize)
                .and_then(|row| row.as_bytes().get(c as usize))
                == Some(&b'#')
    };
    // Each lit pixel's sides that face an unlit one, running with the pixel on the left.
    let mut next = std::collections::HashMap::new();
    for r in 0..GLYPH_SIZE.1 as i32 {
        for c in 0..GLYPH_SIZE.0 as i32 {
            if !lit(c, r) {
                continue;
            }
            let (lo, hi) = (-r - 1, -r);
            for (neighbour, from, to) in [
                ((c, r + 1), (c, lo), (c + 1, lo)),
                ((c + 1, r), (c + 1, lo), (c + 1, hi)),
                ((c, r - 1), (c + 1, hi), (c, hi)),
                ((c - 1, r), (c, hi), (c, lo)),
            ] {
                if !lit(neighbour.0, neighbour.1) && next.insert(from, to).is_some() {
                    return None; // two pixels meeting at a corner only
                }
            }
        }
    }
    let mut rings: Vec<Ring> = Vec::new();
    while let Some(&start) = next.keys().min() {
        let mut ring = vec![start];
        let mut at = next.remove(&start)?;
        while at != start {
            ring.push(at);
            at = next.remove(&at)?;
        }
        rings.push(without_straight_corners(ring));
    }
    let area = |ring: &Ring| -> i64 {
        (0..ring.len())
            .map(|i| {
                let (a, b) = (ring[i], ring[(i + 1) % ring.len()]);
                a.0 as i64 * b.1 as i64 - b.0 as i64 * a.1 as i64
            })
            .sum()
    };
    let (mut outer, holes): (Vec<Ring>, Vec<Ring>) = rings.into_iter().partition(|r| area(r) > 0);
    (outer.len() == 1).then(|| (outer.remove(0), holes))
}

/// Drops corners that lie on a straight line between their neighbours.
fn without_straight_corners(ring: Ring) -> Ring {
    let n = ring.len();
    (0..n)
        .filter(|&i| {
            let (a, b, c) = (ring[(i + n - 1) % n], ring[i], ring[(i + 1) % n]);
            (b.0 - a.0) * (c.1 - b.1) != (b.1 - a.1) * (c.0 - b.0)
        })
        .map(|i| ring[i])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_letter_is_one_piece_joined_along_sides() {
        for (c, rows) in GLYPHS {
            assert!(
                rows.iter().all(|r| r.len() == GLYPH_SIZE.0),
                "{c}: rows of 5"
            );
            assert!(trace(rows).is_some(), "{c}: one piece, no corner contacts");
        }
    }

    #[test]
    fn letters_with_a_counter_have_a_hole() {
        let holes = |c| trace(glyph(c).unwrap()).unwrap().1.len();
        assert_eq!(holes('O'), 1);
        assert_eq!(holes('B'), 2);
        assert_eq!(holes('L'), 0);
        // An L is six corners once the straight ones are dropped.
        assert_eq!(trace(glyph('L').unwrap()).unwrap().0.len(), 6);
    }

    #[test]
    fn a_corner_contact_is_refused() {
        let rows = [
            "#....", ".#...", ".....", ".....", ".....", ".....", ".....",
        ];
        assert!(trace(&rows).is_none());
    }

    #[test]
    fn text_is_placed_in_millimetres() {
        let regions = text("LA", 2.0, 10.0, 30.0);
        assert_eq!(regions.len(), 2);
        let xs = |r: &Region| {
            r.outline
                .iter()
                .map(|p| p.0)
                .fold((f32::MAX, f32::MIN), |m, x| (m.0.min(x), m.1.max(x)))
        };
        assert_eq!(xs(&regions[0]), (10.0, 20.0));
        assert_eq!(xs(&regions[1]), (22.0, 32.0));
        let zs: Vec<f32> = regions[0].outline.iter().map(|p| p.1).collect();
        assert_eq!(zs.iter().cloned().fold(f32::MIN, f32::max), 30.0);
        assert_eq!(zs.iter().cloned().fold(f32::MAX, f32::min), 16.0);
    }
}
