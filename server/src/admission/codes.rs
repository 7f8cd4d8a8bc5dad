//! Access codes for class visits: short, read aloud and typed by children, so no look-alike
//! characters (no 0/O, 1/I/L, 2/Z, 5/S, 8/B) and a dash in the middle (`K7P-M4Q`).

use rand::Rng;

/// 6 characters from 24 symbols: ~191 million codes; guessing is rate-limited per address.
const ALPHABET: &[u8] = b"ACDEFGHJKMNPQRTUVWXY3467";
const LEN: usize = 6;

/// A fresh code as shown to people: `K7P-M4Q`.
pub fn new_code() -> String {
    let mut rng = rand::rng();
    let chars: String = (0..LEN)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect();
    display(&chars)
}

/// A normalised code shown with its dash.
pub fn display(code: &str) -> String {
    format!("{}-{}", &code[..LEN / 2], &code[LEN / 2..])
}

/// What people type, normalised for lookup: case, spaces and dashes do not matter. `None`
/// when it cannot be a code at all.
pub fn normalise(typed: &str) -> Option<String> {
    let mut out = String::with_capacity(LEN);
    for c in typed.chars() {
        if c == '-' || c == ' ' {
            continue;
        }
        let c = c.to_ascii_uppercase();
        if !c.is_ascii() || !ALPHABET.contains(&(c as u8)) {
            return None;
        }
        out.push(c);
        if out.len() > LEN {
            return None;
        }
    }
    (out.len() == LEN).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_have_no_look_alikes_and_survive_sloppy_typing() {
        for _ in 0..200 {
            let code = new_code();
            assert_eq!(code.len(), 7);
            assert_eq!(&code[3..4], "-");
            assert!(!code.contains(['0', 'O', '1', 'I', 'L', '2', 'Z', '5', 'S', '8', 'B']));
            let plain = normalise(&code).unwrap();
            assert_eq!(display(&plain), code);
            assert_eq!(
                normalise(&code.to_lowercase().replace('-', " ")),
                Some(plain)
            );
        }
        assert_eq!(normalise("K7P-M4"), None);
        assert_eq!(normalise("K7P-M4QQ"), None);
        assert_eq!(normalise("K7P-M4€"), None);
        assert_eq!(normalise(""), None);
    }
}
