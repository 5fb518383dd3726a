//! Finds who reads each interface string, so that a translator can start with what
//! visitors see: every message key of `locales/zh.ftl` is looked up in the sources (Rust,
//! templates, scripts) and given the widest audience of the files that use it. Writes
//! `$OUT_DIR/key_audience.rs`, read by `src/i18n/audience.rs`.
//!
//! A key is found by its literal (`"visit-join"`), or, for keys built at run time
//! (`format!("status-{}", …)`), by the longest prefix that some source formats
//! (`"status-{`). A key found nowhere counts as one visitors see: better translated early
//! than left in Chinese on a public page.

use std::fs;
use std::path::{Path, PathBuf};

/// Sources only staff (curators, teachers, administrators) read: the admin, uploads, the
/// command line, cataloguing and accounts, and the forms teachers fill in.
const STAFF: &[&str] = &[
    "src/web/admin/",
    "src/web/templates/admin/",
    "src/web/uploads/",
    "src/cli/",
    "src/catalogue/",
    "src/accounts/",
    "src/app/",
    "src/jobs.rs",
    "src/db/",
    "src/stats/",
    "src/classroom/forms.rs",
    "static/js/admin-",
];

/// Staff pages printed for students: the visit's handout.
const PRINTED_FOR_STUDENTS: &[&str] = &["src/web/templates/admin/handout.html"];

/// Sources students read on a class visit.
const STUDENTS: &[&str] = &[
    "src/web/visit/",
    "src/web/templates/visit/",
    "src/classroom/",
    "static/js/visit",
    "static/js/essay",
];

fn main() {
    println!("cargo:rerun-if-changed=locales/zh.ftl");
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=static/js");
    let keys: Vec<String> = fs::read_to_string("locales/zh.ftl")
        .expect("locales/zh.ftl")
        .lines()
        .filter_map(|line| {
            // As `Messages::keys` reads them.
            let (key, _) = line.split_once('=')?;
            let key = key.trim_end();
            let plain = key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            (plain && !key.is_empty() && !line.starts_with([' ', '#', '-'])).then(|| key.to_owned())
        })
        .collect();
    let mut sources = Vec::new();
    for top in ["src", "static/js"] {
        walk(Path::new(top), &mut sources);
    }
    let mut out = String::from("&[\n");
    let mut sorted = keys.clone();
    sorted.sort();
    for key in &sorted {
        out.push_str(&format!("    ({key:?}, {}),\n", audience(key, &sources)));
    }
    out.push_str("]\n");
    let dest = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR")).join("key_audience.rs");
    fs::write(dest, out).expect("write key_audience.rs");
}

/// Every Rust, template and script file under `dir`, as (path, text).
fn walk(dir: &Path, out: &mut Vec<(String, String)>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.path());
    for entry in entries {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out);
        } else if path
            .extension()
            .is_some_and(|e| e == "rs" || e == "html" || e == "js")
            && !path
                .file_stem()
                .is_some_and(|s| s.to_string_lossy().ends_with("tests"))
            && let Ok(mut text) = fs::read_to_string(&path)
        {
            // Unit tests name keys too, but nobody reads them there.
            if let Some(at) = text.find("#[cfg(test)]\nmod tests {") {
                text.truncate(at);
            }
            out.push((path.to_string_lossy().replace('\\', "/"), text));
        }
    }
}

/// The audience of `key` as the variant of `Audience` (visitors, students, staff).
fn audience(key: &str, sources: &[(String, String)]) -> &'static str {
    let literal = format!("\"{key}\"");
    let mut users: Vec<&str> = sources
        .iter()
        .filter(|(_, text)| text.contains(&literal))
        .map(|(path, _)| path.as_str())
        .collect();
    let parts: Vec<&str> = key.split('-').collect();
    for end in (1..parts.len()).rev() {
        if !users.is_empty() {
            break;
        }
        let prefix = format!("\"{}-{{", parts[..end].join("-"));
        users = sources
            .iter()
            .filter(|(_, text)| text.contains(&prefix))
            .map(|(path, _)| path.as_str())
            .collect();
    }
    let within = |path: &str, dirs: &[&str]| dirs.iter().any(|d| path.starts_with(d));
    let staff = |p: &str| within(p, STAFF) && !within(p, PRINTED_FOR_STUDENTS);
    let students = |p: &str| within(p, STUDENTS) || within(p, PRINTED_FOR_STUDENTS);
    if users.is_empty() || users.iter().any(|p| !staff(p) && !students(p)) {
        "Audience::Visitors"
    } else if users.iter().any(|p| !staff(p)) {
        "Audience::Students"
    } else {
        "Audience::Staff"
    }
}
