//! Who reads each interface string: visitors on the public pages, students on a class
//! visit, or only staff in the admin. Found at build time from where the sources use each
//! key (see `build.rs`), so that a translator can start with the strings visitors see.

use serde::Serialize;

/// Who reads an interface string, widest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    /// Anyone, on the public pages (and in the API, IIIF and error pages).
    Visitors,
    /// Students, on a class visit.
    Students,
    /// Curators, teachers and administrators, in the admin.
    Staff,
}

impl Audience {
    /// Every audience, widest first.
    pub const ALL: [Audience; 3] = [Audience::Visitors, Audience::Students, Audience::Staff];

    /// The code used in URLs (`?for=`) and exports.
    pub fn code(self) -> &'static str {
        match self {
            Audience::Visitors => "visitors",
            Audience::Students => "students",
            Audience::Staff => "staff",
        }
    }

    /// The audience with this code.
    pub fn from_code(code: &str) -> Option<Audience> {
        Audience::ALL.into_iter().find(|a| a.code() == code)
    }

    /// Who reads message `key` (visitors for a key the sources never name).
    pub fn of(key: &str) -> Audience {
        KEYS.binary_search_by(|(k, _)| (*k).cmp(key))
            .map_or(Audience::Visitors, |i| KEYS[i].1)
    }
}

/// Every message key of zh.ftl with its audience, sorted by key.
static KEYS: &[(&str, Audience)] = include!(concat!(env!("OUT_DIR"), "/key_audience.rs"));

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, Messages};

    #[test]
    fn every_key_has_an_audience_and_the_sources_decide_it() {
        assert_eq!(KEYS.len(), Messages::keys(Lang::Zh).len());
        assert!(KEYS.windows(2).all(|w| w[0].0 < w[1].0));
        // Public pages, class visits, the admin; and keys built at run time by prefix.
        assert_eq!(Audience::of("nav-home"), Audience::Visitors);
        assert_eq!(Audience::of("category-quyi"), Audience::Visitors);
        assert_eq!(Audience::of("visit-join"), Audience::Students);
        assert_eq!(Audience::of("essay-submit"), Audience::Students);
        assert_eq!(Audience::of("translations-save"), Audience::Staff);
        assert_eq!(Audience::of("notice-saved"), Audience::Staff);
        assert_eq!(Audience::of("class-error-required"), Audience::Staff);
        assert_eq!(Audience::of("no-such-key"), Audience::Visitors);
        for a in Audience::ALL {
            assert_eq!(Audience::from_code(a.code()), Some(a));
            assert!(KEYS.iter().any(|(_, b)| *b == a));
        }
    }
}
