//! Rights statements: the Creative Commons and RightsStatements.org URIs a record or a
//! media file may carry, and the short labels pages show for them.

use super::types::InvalidValue;

/// Checks that `uri` is a Creative Commons licence/tool or a RightsStatements.org statement.
pub fn check_rights_uri(uri: &str) -> Result<(), InvalidValue> {
    let rest = uri
        .strip_prefix("https://")
        .or_else(|| uri.strip_prefix("http://"));
    let ok = rest.is_some_and(|r| {
        (r.starts_with("creativecommons.org/licenses/")
            || r.starts_with("creativecommons.org/publicdomain/"))
            || r.starts_with("rightsstatements.org/vocab/")
    }) && uri.len() <= 200
        && !uri.contains(char::is_whitespace);
    if ok {
        Ok(())
    } else {
        Err(InvalidValue(format!(
            "{:?} is not a rights URI: use a Creative Commons URI (https://creativecommons.org/…) \
             or a RightsStatements.org URI (http://rightsstatements.org/vocab/…)",
            uri.chars().take(120).collect::<String>()
        )))
    }
}

/// The rights statements curators choose from, most open first.
pub const CHOICES: &[&str] = &[
    "https://creativecommons.org/publicdomain/zero/1.0/",
    "https://creativecommons.org/publicdomain/mark/1.0/",
    "https://creativecommons.org/licenses/by/4.0/",
    "https://creativecommons.org/licenses/by-sa/4.0/",
    "https://creativecommons.org/licenses/by-nc/4.0/",
    "https://creativecommons.org/licenses/by-nc-sa/4.0/",
    "https://creativecommons.org/licenses/by-nd/4.0/",
    "https://creativecommons.org/licenses/by-nc-nd/4.0/",
    "http://rightsstatements.org/vocab/InC/1.0/",
    "http://rightsstatements.org/vocab/InC-EDU/1.0/",
    "http://rightsstatements.org/vocab/InC-NC/1.0/",
    "http://rightsstatements.org/vocab/NoC-NC/1.0/",
    "http://rightsstatements.org/vocab/NoC-OKLR/1.0/",
    "http://rightsstatements.org/vocab/CNE/1.0/",
    "http://rightsstatements.org/vocab/UND/1.0/",
    "http://rightsstatements.org/vocab/NKC/1.0/",
];

/// A short human label for a rights URI: "CC0 1.0", "CC BY-SA 4.0", "In Copyright"…
pub fn rights_label(uri: &str) -> String {
    let path = uri
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .trim_end_matches('/');
    let parts: Vec<&str> = path.split('/').collect();
    match parts.as_slice() {
        ["creativecommons.org", "publicdomain", "zero", version, ..] => format!("CC0 {version}"),
        ["creativecommons.org", "publicdomain", "mark", version, ..] => {
            format!("Public Domain Mark {version}")
        }
        ["creativecommons.org", "licenses", kind, version, ..] => {
            format!("CC {} {version}", kind.to_uppercase())
        }
        ["rightsstatements.org", "vocab", code, ..] => match *code {
            "InC" => "In Copyright".into(),
            "InC-EDU" => "In Copyright – Educational Use Permitted".into(),
            "InC-NC" => "In Copyright – Non-Commercial Use Permitted".into(),
            "NoC-US" => "No Copyright – United States".into(),
            "NoC-NC" => "No Copyright – Non-Commercial Use Only".into(),
            "NoC-OKLR" => "No Copyright – Other Known Legal Restrictions".into(),
            "CNE" => "Copyright Not Evaluated".into(),
            "UND" => "Copyright Undetermined".into(),
            "NKC" => "No Known Copyright".into(),
            other => other.to_owned(),
        },
        _ => uri.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creative_commons_and_rightsstatements_uris_are_accepted() {
        assert!(check_rights_uri("https://creativecommons.org/publicdomain/zero/1.0/").is_ok());
        assert!(check_rights_uri("http://creativecommons.org/licenses/by-sa/4.0/").is_ok());
        assert!(check_rights_uri("http://rightsstatements.org/vocab/InC-EDU/1.0/").is_ok());
        for bad in [
            "CC0",
            "https://example.com/licence",
            "javascript:alert(1)",
            "https://creativecommons.org/x y",
        ] {
            assert!(check_rights_uri(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn every_choice_is_a_valid_rights_uri_with_a_label() {
        for uri in CHOICES {
            assert!(check_rights_uri(uri).is_ok(), "{uri}");
            assert_ne!(rights_label(uri), *uri, "{uri} has a short label");
        }
    }

    #[test]
    fn labels_are_short_and_readable() {
        assert_eq!(
            rights_label("https://creativecommons.org/publicdomain/zero/1.0/"),
            "CC0 1.0"
        );
        assert_eq!(
            rights_label("https://creativecommons.org/licenses/by-nc-sa/4.0/"),
            "CC BY-NC-SA 4.0"
        );
        assert_eq!(
            rights_label("http://rightsstatements.org/vocab/InC-EDU/1.0/"),
            "In Copyright – Educational Use Permitted"
        );
    }
}
