//! Mongolian in the traditional script: text in the Menksoft private-use encoding is turned
//! into standard Unicode, then words are normalised so that spelling controls that only
//! choose a glyph (free variation selectors, the vowel separator) never stop a match.
//!
//! ## Menksoft coverage
//!
//! Menksoft fonts encode glyphs (a letter in one of its positional shapes), not letters,
//! in U+E234–U+E71D. [`from_menksoft`] maps every glyph whose letter we could check against
//! a published glyph inventory (the Menksoft-compatible glyph names of the open-source
//! mongol-library renderer by Suragch) to that letter:
//!
//! - the 35 letters U+1820–U+1842 in all their listed positional and variant shapes
//!   (U+E264–U+E34F; the code points of that block with no listed name — U+E26F,
//!   U+E278, U+E2BF, U+E2C0, U+E324, U+E328 — are not converted),
//! - the digits U+E244–U+E24D → U+1810–U+1819,
//! - punctuation U+E234–U+E243 and U+E24E–U+E261 → a word break.
//!
//! Not converted (left as they are, so they match only the same Menksoft text): the
//! ligature and Todo/Sibe/Manchu glyphs U+E350–U+E71D. A curator who finds such text
//! should re-enter it in Unicode; `MENKSOFT_COVERAGE` states the numbers.

use std::borrow::Cow;
use unicode_normalization::UnicodeNormalization;

/// How many code points of U+E234–U+E71D [`from_menksoft`] converts, out of how many.
pub const MENKSOFT_COVERAGE: (usize, usize) = (COVERED, 0xE71D - 0xE234 + 1);

const COVERED: usize = {
    let mut n = 0x0A + (0xE243 - 0xE234 + 1) + (0xE261 - 0xE24E + 1);
    let mut i = 0;
    while i < LETTERS.len() {
        n += (LETTERS[i].1 - LETTERS[i].0 + 1) as usize;
        i += 1;
    }
    n - UNNAMED.len()
};

/// Menksoft glyph ranges and the letter each range writes.
const LETTERS: &[(u32, u32, char)] = &[
    (0xE264, 0xE26E, '\u{1820}'), // a
    (0xE270, 0xE277, '\u{1821}'), // e
    (0xE279, 0xE282, '\u{1822}'), // i
    (0xE283, 0xE28A, '\u{1823}'), // o
    (0xE28B, 0xE292, '\u{1824}'), // u
    (0xE293, 0xE29F, '\u{1825}'), // oe
    (0xE2A0, 0xE2AC, '\u{1826}'), // ue
    (0xE2AD, 0xE2B0, '\u{1827}'), // ee
    (0xE2B1, 0xE2BA, '\u{1828}'), // na
    (0xE2BB, 0xE2BE, '\u{1829}'), // ang
    (0xE2C1, 0xE2C7, '\u{182A}'), // ba
    (0xE2C8, 0xE2CD, '\u{182B}'), // pa
    (0xE2CE, 0xE2E0, '\u{182C}'), // qa
    (0xE2E1, 0xE2F0, '\u{182D}'), // ga
    (0xE2F1, 0xE2F6, '\u{182E}'), // ma
    (0xE2F7, 0xE2FC, '\u{182F}'), // la
    (0xE2FD, 0xE302, '\u{1830}'), // sa
    (0xE303, 0xE307, '\u{1831}'), // sha
    (0xE308, 0xE30D, '\u{1832}'), // ta
    (0xE30E, 0xE314, '\u{1833}'), // da
    (0xE315, 0xE317, '\u{1834}'), // cha
    (0xE318, 0xE31D, '\u{1835}'), // ja
    (0xE31E, 0xE321, '\u{1836}'), // ya
    (0xE322, 0xE327, '\u{1837}'), // ra
    (0xE329, 0xE32C, '\u{1838}'), // wa
    (0xE32D, 0xE332, '\u{1839}'), // fa
    (0xE333, 0xE338, '\u{183A}'), // ka
    (0xE339, 0xE33E, '\u{183B}'), // kha
    (0xE33F, 0xE341, '\u{183C}'), // tsa
    (0xE342, 0xE344, '\u{183D}'), // za
    (0xE345, 0xE347, '\u{183E}'), // haa
    (0xE348, 0xE34A, '\u{183F}'), // zra
    (0xE34B, 0xE34D, '\u{1840}'), // lha
    (0xE34E, 0xE34E, '\u{1841}'), // zhi
    (0xE34F, 0xE34F, '\u{1842}'), // chi
];

/// Code points inside [`LETTERS`] ranges that the inventory does not name.
const UNNAMED: &[u32] = &[0xE324];

/// The Unicode letter (or separator) a Menksoft glyph writes; None when not covered.
fn menksoft_char(c: char) -> Option<char> {
    let u = c as u32;
    match u {
        0xE244..=0xE24D => char::from_u32(0x1810 + (u - 0xE244)),
        0xE234..=0xE243 | 0xE24E..=0xE261 => Some(' '),
        _ if UNNAMED.contains(&u) => None,
        _ => LETTERS
            .iter()
            .find(|(lo, hi, _)| (*lo..=*hi).contains(&u))
            .map(|(_, _, letter)| *letter),
    }
}

/// Text with every covered Menksoft glyph replaced by its Unicode letter.
pub fn from_menksoft(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| ('\u{E234}'..='\u{E71D}').contains(&c)) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| menksoft_char(c).unwrap_or(c))
            .collect(),
    )
}

/// True for letters of the Mongolian block and the Menksoft glyphs left unconverted.
pub fn is_mongolian(c: char) -> bool {
    matches!(c, '\u{1820}'..='\u{18AA}' | '\u{1810}'..='\u{1819}' | '\u{E262}'..='\u{E71D}')
        || is_ignorable(c)
}

/// Characters that only choose a glyph: free variation selectors U+180B–U+180D and U+180F,
/// the vowel separator U+180E, and the zero-width (non-)joiners.
pub fn is_ignorable(c: char) -> bool {
    matches!(c, '\u{180B}'..='\u{180F}' | '\u{200C}' | '\u{200D}')
}

/// One word in matching form: NFC, without the ignorable controls.
pub fn normalize_word(word: &str) -> String {
    word.nfc().filter(|c| !is_ignorable(*c)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variation_selectors_and_the_vowel_separator_do_not_matter() {
        // ᠬᠠᠷ᠎ᠠ written with MVS, and the same word with a free variation selector.
        assert_eq!(normalize_word("ᠬᠠᠷ\u{180E}ᠠ"), normalize_word("ᠬᠠᠷᠠ"));
        assert_eq!(normalize_word("ᠭ\u{180B}ᠠ"), "ᠭᠠ");
        assert_eq!(normalize_word("ᠮᠣᠷᠢᠨ\u{180F}"), "ᠮᠣᠷᠢᠨ");
    }

    #[test]
    fn menksoft_glyphs_become_unicode_letters() {
        // m (initial) o (medial) r (medial) i (medial) n (final): ᠮᠣᠷᠢᠨ "morin".
        let menksoft = "\u{E2F2}\u{E289}\u{E327}\u{E27E}\u{E2B5}";
        assert_eq!(from_menksoft(menksoft), "ᠮᠣᠷᠢᠨ");
        // Digits and punctuation.
        assert_eq!(from_menksoft("\u{E245}\u{E244}\u{E238}"), "᠑᠐ ");
        // Plain text is borrowed, not copied.
        assert!(matches!(from_menksoft("abc"), Cow::Borrowed(_)));
        // Uncovered ligatures stay as they are.
        assert_eq!(from_menksoft("\u{E400}"), "\u{E400}");
    }

    #[test]
    fn coverage_is_stated() {
        let (covered, total) = MENKSOFT_COVERAGE;
        assert_eq!(total, 1258);
        assert!(covered > 250 && covered < total, "{covered}");
    }
}
