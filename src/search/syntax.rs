//! A query in the engines' own syntax: SQLite FTS5 match expressions and PostgreSQL
//! `tsquery` text, each word's alternatives joined, words quoted verbatim.

use super::{Alt, SearchQuery};

impl SearchQuery {
    /// The query in SQLite FTS5 syntax, widened or not.
    pub fn to_fts5(&self, widen: bool) -> String {
        fn quote(t: &str) -> String {
            format!("\"{}\"", t.replace('"', "\"\""))
        }
        let alt = |a: &Alt| match a {
            Alt::Term(t) => quote(t),
            Alt::Prefix(t) => format!("{}*", quote(t)),
            Alt::All(ts) => format!(
                "({})",
                ts.iter()
                    .map(|t| quote(t))
                    .collect::<Vec<_>>()
                    .join(" AND ")
            ),
        };
        self.alternatives(widen)
            .map(|alts| {
                format!(
                    "({})",
                    alts.into_iter().map(alt).collect::<Vec<_>>().join(" OR ")
                )
            })
            .collect::<Vec<_>>()
            .join(" AND ")
    }

    /// The query as PostgreSQL `tsquery` text, lexemes quoted verbatim, widened or not.
    pub fn to_tsquery(&self, widen: bool) -> String {
        let quote = |t: &str| format!("'{}'", t.replace('\\', "\\\\").replace('\'', "''"));
        let alt = |a: &Alt| match a {
            Alt::Term(t) => quote(t),
            Alt::Prefix(t) => format!("{}:*", quote(t)),
            Alt::All(ts) => format!(
                "({})",
                ts.iter().map(|t| quote(t)).collect::<Vec<_>>().join(" & ")
            ),
        };
        self.alternatives(widen)
            .map(|alts| {
                format!(
                    "({})",
                    alts.into_iter().map(alt).collect::<Vec<_>>().join(" | ")
                )
            })
            .collect::<Vec<_>>()
            .join(" & ")
    }
}
