//! Join codes and resume codes: short, typed by children on phones, hard to guess.
//!
//! The alphabet has 30 symbols and no look-alikes: no 0/O, 1/I/L, and no U (read as V).
//! Eight symbols give 30^8 ≈ 6.56 × 10^11 codes. Codes come from the operating system's
//! random source, one symbol per byte with rejection sampling so each is equally likely.

use std::fmt;

/// The symbols codes are made of.
pub const ALPHABET: &[u8; 30] = b"23456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Symbols in a code.
pub const CODE_LEN: usize = 8;

/// `CODE_LEN` random symbols.
fn random_symbols() -> String {
    let mut out = String::with_capacity(CODE_LEN);
    while out.len() < CODE_LEN {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).expect("the operating system's random source works");
        // 240 = 8 × 30: bytes at or above it would favour the first symbols.
        for b in bytes.into_iter().filter(|b| *b < 240) {
            if out.len() < CODE_LEN {
                out.push(ALPHABET[usize::from(b % 30)] as char);
            }
        }
    }
    out
}

/// What a person typed, reduced to symbols: upper case, without spaces and dashes.
/// `None` when it cannot be a code (wrong length or a symbol not in the alphabet).
fn normalise(typed: &str) -> Option<String> {
    let s: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (s.len() == CODE_LEN && s.bytes().all(|b| ALPHABET.contains(&b))).then_some(s)
}

macro_rules! code_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            /// A new random code.
            pub fn generate() -> $name {
                $name(random_symbols())
            }

            /// Reads a typed code (any case, spaces and dashes ignored).
            pub fn parse(typed: &str) -> Option<$name> {
                normalise(typed).map($name)
            }

            /// The symbols, as stored and as in URLs.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The code as people read it: two groups of four (`ABCD-EFGH`).
            pub fn grouped(&self) -> String {
                format!("{}-{}", &self.0[..4], &self.0[4..])
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

code_type!(
    /// The code of an assignment, printed on the handout and in its QR code (`/visit/{code}`).
    JoinCode
);
code_type!(
    /// A student's own code to continue their visit on another device.
    ResumeCode
);

/// How many codes there are.
pub fn code_space() -> f64 {
    30f64.powi(CODE_LEN as i32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_use_only_unambiguous_symbols() {
        for look_alike in ["0", "O", "1", "I", "L", "U"] {
            assert!(
                !ALPHABET.contains(&look_alike.as_bytes()[0]),
                "{look_alike}"
            );
        }
        for _ in 0..200 {
            let c = JoinCode::generate();
            assert_eq!(c.as_str().len(), CODE_LEN);
            assert_eq!(JoinCode::parse(c.as_str()), Some(c));
        }
    }

    #[test]
    fn typed_codes_forgive_case_spaces_and_dashes_only() {
        assert_eq!(
            JoinCode::parse(" abcd-efgh ").map(|c| c.to_string()),
            Some("ABCDEFGH".into())
        );
        assert_eq!(JoinCode::parse("ABCDEFG"), None, "too short");
        assert_eq!(JoinCode::parse("ABCDEFG0"), None, "0 is not a symbol");
        assert_eq!(JoinCode::parse("ABCDEFGI"), None, "I is not a symbol");
        assert_eq!(
            ResumeCode::parse("23456789").unwrap().grouped(),
            "2345-6789"
        );
    }

    #[test]
    fn symbols_are_used_evenly() {
        let mut seen = [0u32; 30];
        for _ in 0..3000 {
            for b in JoinCode::generate().as_str().bytes() {
                seen[ALPHABET.iter().position(|a| *a == b).unwrap()] += 1;
            }
        }
        // 24,000 symbols: 800 expected each; a fair source stays well within ±25 %.
        assert!(seen.iter().all(|n| (600..1000).contains(n)), "{seen:?}");
    }
}
