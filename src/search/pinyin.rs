//! Pinyin for Chinese words: full syllables and initials, without tones, so `andaiwu` and
//! `adw` both find 安代舞.

use pinyin::ToPinyin;

/// The toneless pinyin of every character, joined (安代舞 → `andaiwu`); `ü` is written `v`
/// as on phone keyboards. None when a character has no reading.
pub fn full(word: &str) -> Option<String> {
    let mut out = String::new();
    for p in word.to_pinyin() {
        out.push_str(&p?.plain().replace('ü', "v"));
    }
    (!out.is_empty()).then_some(out)
}

/// The first letters of the syllables (安代舞 → `adw`).
pub fn initials(word: &str) -> Option<String> {
    let mut out = String::new();
    for p in word.to_pinyin() {
        out.push_str(p?.first_letter());
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_pinyin_and_initials_ignore_tones() {
        assert_eq!(full("安代舞").as_deref(), Some("andaiwu"));
        assert_eq!(initials("安代舞").as_deref(), Some("adw"));
        assert_eq!(full("乌力格尔").as_deref(), Some("wuligeer"));
        assert_eq!(initials("乌力格尔").as_deref(), Some("wlge"));
        assert_eq!(full("绿").as_deref(), Some("lv"));
        assert_eq!(full("abc"), None);
    }
}
