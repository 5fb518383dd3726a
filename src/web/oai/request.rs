//! An OAI-PMH 2.0 request: its arguments checked the way the protocol says (§3.1, §3.3,
//! §3.6), and resumption tokens, which carry the list's key so the next page costs what
//! the first did and never expires.

use crate::catalogue::model::ItemId;
use crate::catalogue::types::{Category, Slug};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, TimeDelta, Utc};

/// The only metadata format: unqualified Dublin Core.
pub const OAI_DC: &str = "oai_dc";

/// A protocol error: its code from §3.6 and a sentence for the harvester's operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OaiError {
    /// `badVerb`, `badArgument`, …
    pub code: &'static str,
    /// What was wrong.
    pub message: String,
}

impl OaiError {
    pub fn new(code: &'static str, message: impl Into<String>) -> OaiError {
        OaiError {
            code,
            message: message.into(),
        }
    }

    fn bad_argument(message: impl Into<String>) -> OaiError {
        OaiError::new("badArgument", message)
    }
}

/// A set: the items of one base, or of one heritage category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Set {
    /// `base:{slug}`.
    Base(Slug),
    /// `category:{code}`.
    Category(Category),
}

impl Set {
    /// Reads a `setSpec`.
    pub fn parse(spec: &str) -> Option<Set> {
        match spec.split_once(':')? {
            ("base", slug) => Slug::parse(slug).ok().map(Set::Base),
            ("category", code) => Category::parse(code).ok().map(Set::Category),
            _ => None,
        }
    }

    /// The `setSpec`.
    pub fn spec(&self) -> String {
        match self {
            Set::Base(slug) => format!("base:{slug}"),
            Set::Category(c) => format!("category:{}", c.code()),
        }
    }
}

/// A datestamp argument (`from`, `until`) and the granularity it was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Datestamp {
    /// The first moment it names.
    pub at: DateTime<Utc>,
    /// Written as a day (`YYYY-MM-DD`) rather than a second.
    pub day: bool,
}

impl Datestamp {
    fn parse(name: &str, s: &str) -> Result<Datestamp, OaiError> {
        let bad = || {
            OaiError::bad_argument(format!(
                "{name} must be YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ (UTC), not {:?}",
                s.chars().take(40).collect::<String>()
            ))
        };
        if s.len() == 10 {
            let day = NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| bad())?;
            Ok(Datestamp {
                at: day.and_hms_opt(0, 0, 0).ok_or_else(bad)?.and_utc(),
                day: true,
            })
        } else if s.len() == 20 && s.ends_with('Z') {
            let at = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%SZ").map_err(|_| bad())?;
            Ok(Datestamp {
                at: at.and_utc(),
                day: false,
            })
        } else {
            Err(bad())
        }
    }

    /// The first moment after the day or second it names (`until` is inclusive).
    fn end(self) -> DateTime<Utc> {
        let step = if self.day {
            TimeDelta::days(1)
        } else {
            TimeDelta::seconds(1)
        };
        self.at + step
    }

    fn token(self) -> String {
        if self.day {
            self.at.format("%Y-%m-%d").to_string()
        } else {
            self.at.to_rfc3339_opts(SecondsFormat::Secs, true)
        }
    }
}

/// What `ListIdentifiers` or `ListRecords` lists, and where this page starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListArgs {
    /// Changed on or after.
    pub from: Option<Datestamp>,
    /// Changed on or before (inclusive, at its granularity).
    pub until: Option<Datestamp>,
    /// Only this set.
    pub set: Option<Set>,
    /// Start after this change (time, item id); none on the first page.
    pub after: Option<(DateTime<Utc>, ItemId)>,
    /// How many records earlier pages held (the token's `cursor`).
    pub cursor: u64,
    /// The request carried a resumption token (so even an empty page is answered).
    pub resumed: bool,
}

impl ListArgs {
    /// The exclusive upper bound of the changes listed.
    pub fn before(&self) -> Option<DateTime<Utc>> {
        self.until.map(Datestamp::end)
    }

    /// The token for the page after the one ending at `last`.
    pub fn next_token(&self, last: (DateTime<Utc>, ItemId), shown: u64) -> String {
        let plain = [
            "1".to_owned(),
            self.from.map(Datestamp::token).unwrap_or_default(),
            self.until.map(Datestamp::token).unwrap_or_default(),
            self.set.as_ref().map(Set::spec).unwrap_or_default(),
            last.0.to_rfc3339_opts(SecondsFormat::AutoSi, true),
            last.1.to_string(),
            (self.cursor + shown).to_string(),
        ]
        .join("|");
        URL_SAFE_NO_PAD.encode(plain)
    }

    fn from_token(token: &str) -> Result<ListArgs, OaiError> {
        let bad = || {
            OaiError::new(
                "badResumptionToken",
                "this resumption token is not one this repository issued; start the list again",
            )
        };
        if token.len() > 300 {
            return Err(bad());
        }
        let bytes = URL_SAFE_NO_PAD.decode(token).map_err(|_| bad())?;
        let plain = String::from_utf8(bytes).map_err(|_| bad())?;
        let parts: Vec<&str> = plain.split('|').collect();
        let [version, from, until, set, at, id, cursor] = parts[..] else {
            return Err(bad());
        };
        if version != "1" {
            return Err(bad());
        }
        let date = |s: &str| match s {
            "" => Ok(None),
            s => Datestamp::parse("token", s).map(Some).map_err(|_| bad()),
        };
        Ok(ListArgs {
            from: date(from)?,
            until: date(until)?,
            set: match set {
                "" => None,
                s => Some(Set::parse(s).ok_or_else(bad)?),
            },
            after: Some((
                DateTime::parse_from_rfc3339(at)
                    .map_err(|_| bad())?
                    .with_timezone(&Utc),
                id.parse().map_err(|_| bad())?,
            )),
            cursor: cursor.parse().map_err(|_| bad())?,
            resumed: true,
        })
    }
}

/// A checked request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verb {
    /// Describe the repository.
    Identify,
    /// The metadata formats (of one record, if named).
    ListMetadataFormats(Option<String>),
    /// The sets.
    ListSets,
    /// One record: (identifier).
    GetRecord(String),
    /// Headers only.
    ListIdentifiers(ListArgs),
    /// Headers with metadata.
    ListRecords(ListArgs),
}

impl Verb {
    /// The verb's name, for the response's `request` element and its wrapper.
    pub fn name(&self) -> &'static str {
        match self {
            Verb::Identify => "Identify",
            Verb::ListMetadataFormats(_) => "ListMetadataFormats",
            Verb::ListSets => "ListSets",
            Verb::GetRecord(_) => "GetRecord",
            Verb::ListIdentifiers(_) => "ListIdentifiers",
            Verb::ListRecords(_) => "ListRecords",
        }
    }
}

/// Checks the arguments of a request (from its query string or form body).
pub fn parse(args: &[(String, String)]) -> Result<Verb, OaiError> {
    let get = |name: &str| -> Option<&str> {
        args.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    for (i, (k, _)) in args.iter().enumerate() {
        if args[..i].iter().any(|(other, _)| other == k) {
            let code = if k == "verb" {
                "badVerb"
            } else {
                "badArgument"
            };
            return Err(OaiError::new(code, format!("the argument {k} is repeated")));
        }
    }
    let verb =
        get("verb").ok_or_else(|| OaiError::new("badVerb", "the verb argument is missing"))?;
    let allowed: &[&str] = match verb {
        "Identify" => &[],
        "ListMetadataFormats" => &["identifier"],
        "ListSets" => &["resumptionToken"],
        "GetRecord" => &["identifier", "metadataPrefix"],
        "ListIdentifiers" | "ListRecords" => {
            &["metadataPrefix", "from", "until", "set", "resumptionToken"]
        }
        other => {
            return Err(OaiError::new(
                "badVerb",
                format!(
                    "{:?} is not an OAI-PMH verb",
                    other.chars().take(40).collect::<String>()
                ),
            ));
        }
    };
    if let Some((k, _)) = args
        .iter()
        .find(|(k, _)| k != "verb" && !allowed.contains(&k.as_str()))
    {
        return Err(OaiError::bad_argument(format!(
            "{verb} does not take the argument {:?}",
            k.chars().take(40).collect::<String>()
        )));
    }
    let prefix = |required: bool| -> Result<(), OaiError> {
        match get("metadataPrefix") {
            Some(OAI_DC) => Ok(()),
            Some(other) => Err(OaiError::new(
                "cannotDisseminateFormat",
                format!(
                    "the only metadata format is oai_dc, not {:?}",
                    other.chars().take(40).collect::<String>()
                ),
            )),
            None if required => Err(OaiError::bad_argument("metadataPrefix is required")),
            None => Ok(()),
        }
    };
    match verb {
        "Identify" => Ok(Verb::Identify),
        "ListMetadataFormats" => Ok(Verb::ListMetadataFormats(
            get("identifier").map(str::to_owned),
        )),
        "ListSets" => match get("resumptionToken") {
            // Every set fits on one page, so no token was ever issued.
            Some(_) => Err(OaiError::new(
                "badResumptionToken",
                "ListSets answers in one page; it issues no resumption tokens",
            )),
            None => Ok(Verb::ListSets),
        },
        "GetRecord" => {
            let identifier = get("identifier")
                .ok_or_else(|| OaiError::bad_argument("identifier is required"))?;
            prefix(true)?;
            Ok(Verb::GetRecord(identifier.to_owned()))
        }
        _ => {
            let list = if let Some(token) = get("resumptionToken") {
                if args.len() > 2 {
                    return Err(OaiError::bad_argument(
                        "resumptionToken is an exclusive argument: send it with the verb alone",
                    ));
                }
                ListArgs::from_token(token)?
            } else {
                prefix(true)?;
                let from = get("from")
                    .map(|s| Datestamp::parse("from", s))
                    .transpose()?;
                let until = get("until")
                    .map(|s| Datestamp::parse("until", s))
                    .transpose()?;
                if let (Some(f), Some(u)) = (from, until) {
                    if f.day != u.day {
                        return Err(OaiError::bad_argument(
                            "from and until must be written with the same granularity",
                        ));
                    }
                    if f.at > u.at {
                        return Err(OaiError::bad_argument("from is later than until"));
                    }
                }
                let set = get("set")
                    .map(|s| {
                        Set::parse(s).ok_or_else(|| {
                            OaiError::bad_argument(format!(
                                "{:?} is not a set here: sets are base:{{slug}} or category:{{code}} (see ListSets)",
                                s.chars().take(60).collect::<String>()
                            ))
                        })
                    })
                    .transpose()?;
                ListArgs {
                    from,
                    until,
                    set,
                    after: None,
                    cursor: 0,
                    resumed: false,
                }
            };
            Ok(if verb == "ListRecords" {
                Verb::ListRecords(list)
            } else {
                Verb::ListIdentifiers(list)
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn code(pairs: &[(&str, &str)]) -> &'static str {
        parse(&args(pairs)).unwrap_err().code
    }

    #[test]
    fn verbs_and_their_arguments_are_checked() {
        assert_eq!(parse(&args(&[("verb", "Identify")])), Ok(Verb::Identify));
        assert_eq!(code(&[]), "badVerb");
        assert_eq!(code(&[("verb", "Dance")]), "badVerb");
        assert_eq!(
            code(&[("verb", "Identify"), ("verb", "Identify")]),
            "badVerb"
        );
        assert_eq!(code(&[("verb", "Identify"), ("set", "x")]), "badArgument");
        assert_eq!(code(&[("verb", "ListRecords")]), "badArgument");
        assert_eq!(
            code(&[("verb", "ListRecords"), ("metadataPrefix", "marc21")]),
            "cannotDisseminateFormat"
        );
        assert_eq!(
            code(&[("verb", "GetRecord"), ("metadataPrefix", "oai_dc")]),
            "badArgument"
        );
        assert_eq!(
            code(&[
                ("verb", "ListIdentifiers"),
                ("metadataPrefix", "oai_dc"),
                ("metadataPrefix", "oai_dc")
            ]),
            "badArgument"
        );
        assert_eq!(
            code(&[
                ("verb", "ListRecords"),
                ("metadataPrefix", "oai_dc"),
                ("set", "town:ganjig")
            ]),
            "badArgument"
        );
    }

    #[test]
    fn dates_need_one_granularity_and_an_order() {
        let list = |from: &str, until: &str| {
            parse(&args(&[
                ("verb", "ListIdentifiers"),
                ("metadataPrefix", "oai_dc"),
                ("from", from),
                ("until", until),
            ]))
        };
        let Ok(Verb::ListIdentifiers(a)) = list("2026-01-01", "2026-01-31") else {
            panic!("a good range")
        };
        assert_eq!(
            a.before().unwrap().to_rfc3339(),
            "2026-02-01T00:00:00+00:00",
            "until is inclusive"
        );
        assert_eq!(
            list("2026-01-01", "2026-01-31T00:00:00Z").unwrap_err().code,
            "badArgument"
        );
        assert_eq!(
            list("2026-02-01", "2026-01-31").unwrap_err().code,
            "badArgument"
        );
        assert_eq!(
            list("2026-13-01", "2026-12-31").unwrap_err().code,
            "badArgument"
        );
        assert_eq!(
            list("2026-01-01T00:00:00", "2026-01-02T00:00:00")
                .unwrap_err()
                .code,
            "badArgument",
            "UTC only, with its Z"
        );
    }

    #[test]
    fn resumption_tokens_carry_the_list_and_are_exclusive() {
        let Ok(Verb::ListRecords(first)) = parse(&args(&[
            ("verb", "ListRecords"),
            ("metadataPrefix", "oai_dc"),
            ("from", "2026-01-01T08:00:00Z"),
            ("set", "category:quyi"),
        ])) else {
            panic!("a good request")
        };
        let at = DateTime::parse_from_rfc3339("2026-03-04T05:06:07.123456Z")
            .unwrap()
            .with_timezone(&Utc);
        let token = first.next_token((at, 42), 100);
        let Ok(Verb::ListRecords(next)) = parse(&args(&[
            ("verb", "ListRecords"),
            ("resumptionToken", &token),
        ])) else {
            panic!("our own token")
        };
        assert_eq!(next.from, first.from);
        assert_eq!(next.set, Some(Set::Category(Category::Quyi)));
        assert_eq!(next.after, Some((at, 42)), "exact to the microsecond");
        assert_eq!(next.cursor, 100);
        assert!(next.resumed);
        assert_eq!(
            code(&[
                ("verb", "ListRecords"),
                ("resumptionToken", &token),
                ("metadataPrefix", "oai_dc")
            ]),
            "badArgument"
        );
        for forged in ["x", "MXx8fHx8fA", &"A".repeat(400)] {
            assert_eq!(
                code(&[("verb", "ListRecords"), ("resumptionToken", forged)]),
                "badResumptionToken"
            );
        }
    }
}
