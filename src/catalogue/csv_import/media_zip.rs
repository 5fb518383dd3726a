//! The zip of media files that comes with an import. Entries are found by the names rows
//! give (a path inside the zip, or a file name that is unique in it); their type is
//! sniffed from their bytes, never taken from the name. Names that try to be absolute or
//! climb out of the archive, encrypted entries and entries that inflate suspiciously
//! (zip bombs) are refused; extraction is bounded whatever an entry's header claims.

use super::Problem;
use crate::media::ingest::sniff_allowed;
use crate::media::staging::HEAD_BYTES;
use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Most entries a media zip may have.
pub const MAX_ENTRIES: usize = 10_000;
/// Entries larger than this must not inflate more than [`MAX_RATIO`] times.
const RATIO_FLOOR: u64 = 1 << 20;
/// The highest compression ratio accepted for large entries (photos and recordings barely
/// compress; a bomb compresses a thousandfold).
pub const MAX_RATIO: u64 = 100;

/// An uploaded zip, indexed by entry name.
/// Largest media zip accepted, sent with the form or resumably.
pub const MAX_ZIP_BYTES: u64 = 4 << 30;

/// True when `head`, a file's first bytes, begins a zip archive (a local file header, or
/// the end record of an empty archive).
pub fn looks_like_zip(head: &[u8]) -> bool {
    head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06")
}

#[derive(Debug, Clone)]
pub struct MediaZip {
    path: PathBuf,
    /// Full names (with folders) → entry index.
    by_path: HashMap<String, usize>,
    /// File names → entry indexes (several when folders repeat a name).
    by_name: HashMap<String, Vec<usize>>,
    /// Declared (size, compressed size) per entry index.
    sizes: HashMap<usize, (u64, u64)>,
    /// Problems with the archive as a whole (unsafe names, too many entries).
    pub problems: Vec<Problem>,
}

/// An entry's name as text: UTF-8 when it is, otherwise GBK (zips made on Chinese Windows
/// store names in the system code page without saying so).
fn entry_name(raw: &[u8]) -> String {
    match std::str::from_utf8(raw) {
        Ok(s) => s.to_owned(),
        Err(_) => encoding_rs::GB18030.decode(raw).0.into_owned(),
    }
}

fn is_unsafe(name: &str) -> bool {
    name.starts_with('/')
        || name.contains('\\')
        || name.contains(':')
        || name.split('/').any(|p| p == "..")
        || name.chars().any(char::is_control)
}

fn open_archive(path: &Path) -> Result<zip::ZipArchive<File>, String> {
    let file = File::open(path).map_err(|e| e.to_string())?;
    zip::ZipArchive::new(file).map_err(|e| e.to_string())
}

impl MediaZip {
    /// Opens and indexes a zip; `Err` names why it is not a readable zip.
    pub fn open(path: &Path) -> Result<MediaZip, String> {
        let mut archive = open_archive(path)?;
        let mut zip = MediaZip {
            path: path.to_owned(),
            by_path: HashMap::new(),
            by_name: HashMap::new(),
            sizes: HashMap::new(),
            problems: Vec::new(),
        };
        if archive.len() > MAX_ENTRIES {
            zip.problems.push(Problem::new(
                None,
                Some("media"),
                "csv-zip-too-many",
                &[("max", &MAX_ENTRIES.to_string())],
            ));
            return Ok(zip);
        }
        for i in 0..archive.len() {
            let entry = archive.by_index_raw(i).map_err(|e| e.to_string())?;
            let name = entry_name(entry.name_raw());
            if entry.is_dir() {
                continue;
            }
            if is_unsafe(&name) {
                zip.problems.push(Problem::new(
                    None,
                    Some("media"),
                    "csv-zip-unsafe-name",
                    &[("name", &name)],
                ));
                continue;
            }
            zip.sizes.insert(i, (entry.size(), entry.compressed_size()));
            let file_name = name.rsplit('/').next().unwrap_or(&name).to_owned();
            zip.by_name.entry(file_name).or_default().push(i);
            zip.by_path.insert(name, i);
        }
        Ok(zip)
    }

    /// The entry a row's name means: the exact path, else a file name unique in the zip.
    pub fn find(&self, name: &str) -> Result<usize, &'static str> {
        if let Some(i) = self.by_path.get(name) {
            return Ok(*i);
        }
        match self.by_name.get(name).map(Vec::as_slice) {
            Some([i]) => Ok(*i),
            Some(_) => Err("csv-media-ambiguous"),
            None => Err("csv-media-missing"),
        }
    }

    /// A reason to refuse an entry from its declared sizes.
    fn bomb(&self, index: usize, limit: u64) -> Option<Problem> {
        let (size, compressed) = self.sizes.get(&index).copied().unwrap_or((0, 0));
        if size > limit {
            return Some(Problem::new(
                None,
                Some("media"),
                "csv-media-too-large",
                &[("max", &(limit >> 20).to_string())],
            ));
        }
        (size > RATIO_FLOOR && size / compressed.max(1) > MAX_RATIO)
            .then(|| Problem::new(None, Some("media"), "csv-zip-bomb", &[]))
    }

    /// Checks the files rows name, `(row, name)`: each is in the zip, unique, not a bomb,
    /// and its first bytes are of an accepted type. Blocking: call from a blocking thread.
    pub fn check(&self, named: &[(usize, String)], limit: u64) -> Vec<Problem> {
        let mut problems = self.problems.clone();
        let mut archive = match open_archive(&self.path) {
            Ok(a) => a,
            Err(e) => {
                problems.push(Problem::new(
                    None,
                    Some("media"),
                    "csv-zip-unreadable",
                    &[("detail", &e)],
                ));
                return problems;
            }
        };
        for (row, name) in named {
            let at = |key: &str, args: &[(&str, &str)]| {
                Problem::new(Some(*row), Some("media"), key, args)
            };
            let index = match self.find(name) {
                Ok(i) => i,
                Err(key) => {
                    problems.push(at(key, &[("name", name)]));
                    continue;
                }
            };
            if let Some(p) = self.bomb(index, limit) {
                let mut args = vec![("name", name.as_str())];
                let extra: Vec<(String, String)> = p.args.clone();
                let extra: Vec<(&str, &str)> = extra
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                args.extend(extra);
                problems.push(at(&p.key, &args));
                continue;
            }
            let head = archive
                .by_index(index)
                .map_err(|e| e.to_string())
                .and_then(|entry| {
                    let mut head = Vec::with_capacity(HEAD_BYTES);
                    entry
                        .take(HEAD_BYTES as u64)
                        .read_to_end(&mut head)
                        .map_err(|e| e.to_string())?;
                    Ok(head)
                });
            let refusal = match head {
                Ok(head) if head.is_empty() => Some("the file is empty".to_owned()),
                Ok(head) => sniff_allowed(&head).err().map(|e| e.to_string()),
                Err(e) => Some(e),
            };
            if let Some(reason) = refusal {
                problems.push(at(
                    "csv-media-refused",
                    &[("name", name), ("reason", &reason)],
                ));
            }
        }
        problems
    }

    /// Writes entry `index` to `dest`, refusing more than `limit` bytes whatever the entry
    /// claims. Blocking: call from a blocking thread.
    pub fn extract(&self, index: usize, dest: &Path, limit: u64) -> Result<u64, String> {
        if let Some(p) = self.bomb(index, limit) {
            return Err(p.key);
        }
        let mut archive = open_archive(&self.path)?;
        let entry = archive.by_index(index).map_err(|e| e.to_string())?;
        let mut out = File::create(dest).map_err(|e| e.to_string())?;
        let written =
            std::io::copy(&mut entry.take(limit + 1), &mut out).map_err(|e| e.to_string())?;
        if written > limit {
            return Err("csv-media-too-large".into());
        }
        out.flush().map_err(|e| e.to_string())?;
        Ok(written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zip::write::SimpleFileOptions;

    fn zip_of(entries: &[(&str, &[u8])]) -> tempfile::NamedTempFile {
        let file = tempfile::NamedTempFile::new().unwrap();
        let mut w = zip::ZipWriter::new(file.reopen().unwrap());
        for (name, bytes) in entries {
            w.start_file(*name, SimpleFileOptions::default()).unwrap();
            w.write_all(bytes).unwrap();
        }
        w.finish().unwrap();
        file
    }

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";

    #[test]
    fn names_are_found_by_path_or_unique_file_name() {
        let f = zip_of(&[("photos/a.png", PNG), ("b/x.png", PNG), ("c/x.png", PNG)]);
        let zip = MediaZip::open(f.path()).unwrap();
        assert!(zip.find("a.png").is_ok());
        assert!(zip.find("photos/a.png").is_ok());
        assert_eq!(zip.find("x.png"), Err("csv-media-ambiguous"));
        assert!(zip.find("b/x.png").is_ok());
        assert_eq!(zip.find("nope.png"), Err("csv-media-missing"));
    }

    #[test]
    fn unsafe_names_bombs_and_disguised_files_are_refused() {
        let zeros = vec![0u8; 8 << 20];
        let f = zip_of(&[
            ("../../etc/passwd", b"root"),
            ("page.png", b"<html><script>alert(1)</script>"),
            ("big.png", &zeros),
        ]);
        let zip = MediaZip::open(f.path()).unwrap();
        assert_eq!(zip.problems[0].key, "csv-zip-unsafe-name");
        let problems = zip.check(
            &[
                (2, "page.png".into()),
                (3, "big.png".into()),
                (4, "passwd".into()),
            ],
            1 << 30,
        );
        let keys: Vec<_> = problems.iter().map(|p| (p.row, p.key.as_str())).collect();
        assert_eq!(
            keys,
            [
                (None, "csv-zip-unsafe-name"),
                (Some(2), "csv-media-refused"),
                (Some(3), "csv-zip-bomb"),
                (Some(4), "csv-media-missing"),
            ]
        );
        let dest = tempfile::NamedTempFile::new().unwrap();
        assert!(
            zip.extract(zip.find("big.png").unwrap(), dest.path(), 1 << 30)
                .is_err()
        );
        assert!(
            zip.extract(zip.find("page.png").unwrap(), dest.path(), 10)
                .is_err()
        );
    }
}
