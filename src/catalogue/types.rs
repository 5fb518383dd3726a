//! Checked values of the catalogue: identifiers and the closed vocabularies.
//! Strings become these types at the edge (import, HTTP); deeper code trusts them.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a value was refused, in words a person can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidValue(pub String);

/// A URL-safe identifier: lowercase ASCII letters, digits and single hyphens, 1–80 chars.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Slug(String);

impl Slug {
    /// Checks `s` and wraps it.
    pub fn parse(s: &str) -> Result<Slug, InvalidValue> {
        let ok = !s.is_empty()
            && s.len() <= 80
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !s.starts_with('-')
            && !s.ends_with('-')
            && !s.contains("--");
        if ok {
            Ok(Slug(s.to_owned()))
        } else {
            Err(InvalidValue(format!(
                "{:?} is not a valid slug: use 1–80 lowercase letters, digits and single hyphens",
                s.chars().take(90).collect::<String>()
            )))
        }
    }

    /// The slug as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Slug {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Slug::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An accession number (馆藏号): ASCII letters, digits, `-`, `.`, `/`; 1–40 characters,
/// starting with a letter or digit. Compared exactly.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Accession(String);

impl Accession {
    /// Checks `s` and wraps it.
    pub fn parse(s: &str) -> Result<Accession, InvalidValue> {
        let ok = !s.is_empty()
            && s.len() <= 40
            && s.as_bytes()[0].is_ascii_alphanumeric()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-./".contains(&b));
        if ok {
            Ok(Accession(s.to_owned()))
        } else {
            Err(InvalidValue(format!(
                "{:?} is not a valid accession number: use 1–40 letters, digits, '-', '.' or '/'",
                s.chars().take(50).collect::<String>()
            )))
        }
    }

    /// The accession number as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Accession {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Accession::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl fmt::Display for Accession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Declares a closed vocabulary stored and exchanged as its snake_case code.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($(#[$vmeta:meta])* $variant:ident = $code:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The stable code used in the database, URLs, the API and import files.
            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code,)+
                }
            }

            /// Parses a code, naming the valid ones when it is not one of them.
            pub fn parse(s: &str) -> Result<Self, InvalidValue> {
                match s {
                    $($code => Ok($name::$variant),)+
                    _ => Err(InvalidValue(format!(
                        concat!("unknown ", $what, " {:?}; expected one of: {}"),
                        s.chars().take(40).collect::<String>(),
                        Self::ALL.iter().map(|v| v.code()).collect::<Vec<_>>().join(", ")
                    ))),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

vocabulary! {
    /// The ten categories of China's national intangible cultural heritage lists.
    Category, "category" {
        /// 民间文学
        FolkLiterature = "folk_literature",
        /// 传统音乐
        TraditionalMusic = "traditional_music",
        /// 传统舞蹈
        TraditionalDance = "traditional_dance",
        /// 传统戏剧
        TraditionalDrama = "traditional_drama",
        /// 曲艺
        Quyi = "quyi",
        /// 传统体育、游艺与杂技
        SportsGamesAcrobatics = "sports_games_acrobatics",
        /// 传统美术
        TraditionalArt = "traditional_art",
        /// 传统技艺
        TraditionalCraft = "traditional_craft",
        /// 传统医药
        TraditionalMedicine = "traditional_medicine",
        /// 民俗
        FolkCustom = "folk_custom",
    }
}

vocabulary! {
    /// The level of government list an item is inscribed on, or a base is designated by.
    Level, "level" {
        /// 国家级
        National = "national",
        /// 自治区级
        Region = "region",
        /// 市级
        City = "city",
        /// 旗县级
        Banner = "banner",
    }
}

vocabulary! {
    /// Editorial state. Only `Published` records are visible to the public.
    Status, "status" {
        /// Being written.
        Draft = "draft",
        /// Waiting for review.
        InReview = "in_review",
        /// Public.
        Published = "published",
        /// Withdrawn from the public but kept.
        Archived = "archived",
    }
}

vocabulary! {
    /// Something an item's record still lacks: the curators' list of what to complete.
    Gap, "gap" {
        /// A title in Mongolian (public text is bilingual by law and custom).
        MongolianTitle = "mn_title",
        /// Any photo, recording or document.
        Media = "media",
    }
}

vocabulary! {
    /// What kind of place an education base is.
    BaseKind, "base kind" {
        /// 博物馆
        Museum = "museum",
        /// 学校展室
        SchoolHall = "school_hall",
        /// 文化站
        CulturalStation = "cultural_station",
        /// 非遗传承中心
        HeritageCentre = "heritage_centre",
        /// 其他
        Other = "other",
    }
}

vocabulary! {
    /// What a media file is, decided from its bytes.
    MediaKind, "media kind" {
        /// Photographs and scans.
        Image = "image",
        /// Recordings.
        Audio = "audio",
        /// Films.
        Video = "video",
        /// PDFs.
        Document = "document",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_accept_only_lowercase_words_joined_by_single_hyphens() {
        assert!(Slug::parse("andai-dance").is_ok());
        assert!(Slug::parse("a1").is_ok());
        for bad in [
            "",
            "Andai",
            "-a",
            "a-",
            "a--b",
            "a b",
            "安代",
            "../etc",
            &"a".repeat(81),
        ] {
            assert!(Slug::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn accession_numbers_allow_museum_punctuation_but_not_spaces() {
        assert!(Accession::parse("KZH-0001").is_ok());
        assert!(Accession::parse("2026.1/3").is_ok());
        for bad in ["", "-1", "A 1", "A;1", "号1", &"A".repeat(41)] {
            assert!(Accession::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn vocabularies_round_trip_and_name_valid_codes() {
        for c in Category::ALL {
            assert_eq!(Category::parse(c.code()), Ok(*c));
        }
        assert_eq!(Category::ALL.len(), 10);
        let err = Category::parse("dance").unwrap_err().to_string();
        assert!(err.contains("traditional_dance"), "{err}");
    }
}
