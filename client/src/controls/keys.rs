//! The keyboard layout: WASD and ↑/↓ walk, Shift runs, ←/→ turn (E stays free for "use").
//! Physical key codes, so AZERTY and QWERTZ keyboards walk with the same hand position.

use bevy::prelude::KeyCode;

#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct KeyAxes {
    pub forward: f32,
    pub right: f32,
    /// -1 turns left, +1 turns right.
    pub turn: f32,
    pub run: bool,
}

pub fn axes(pressed: impl Fn(KeyCode) -> bool) -> KeyAxes {
    let any = |codes: &[KeyCode]| codes.iter().any(|&k| pressed(k));
    let axis =
        |plus: &[KeyCode], minus: &[KeyCode]| any(plus) as i32 as f32 - any(minus) as i32 as f32;
    KeyAxes {
        forward: axis(
            &[KeyCode::KeyW, KeyCode::ArrowUp],
            &[KeyCode::KeyS, KeyCode::ArrowDown],
        ),
        right: axis(&[KeyCode::KeyD], &[KeyCode::KeyA]),
        turn: axis(&[KeyCode::ArrowRight], &[KeyCode::ArrowLeft]),
        run: any(&[KeyCode::ShiftLeft, KeyCode::ShiftRight]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(keys: &[KeyCode]) -> KeyAxes {
        axes(|k| keys.contains(&k))
    }

    #[test]
    fn wasd_and_arrows_map_to_axes() {
        assert_eq!(with(&[KeyCode::KeyW]).forward, 1.0);
        assert_eq!(with(&[KeyCode::ArrowDown]).forward, -1.0);
        assert_eq!(with(&[KeyCode::KeyA]).right, -1.0);
        assert_eq!(with(&[KeyCode::ArrowLeft]).turn, -1.0);
        assert!(with(&[KeyCode::ShiftLeft, KeyCode::KeyW]).run);
    }

    #[test]
    fn opposite_keys_cancel() {
        let a = with(&[KeyCode::KeyW, KeyCode::KeyS, KeyCode::KeyA, KeyCode::KeyD]);
        assert_eq!((a.forward, a.right), (0.0, 0.0));
    }
}
