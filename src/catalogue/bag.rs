//! BagIt (RFC 8493) packaging of an export, so that the catalogue leaves as a preservation
//! package any archive can check with standard tools: the records and media under `data/`,
//! a SHA-256 manifest of every payload file, `bag-info.txt`, and a manifest of the tag
//! files. Before importing a bag, [`verify`] checks it is complete and unchanged.

use crate::store::Sha256Hex;
use anyhow::{Context, bail};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tokio::io::AsyncReadExt;

/// The payload folder of a bag.
pub const PAYLOAD: &str = "data";

const BAGIT_TXT: &str = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";

/// A payload file as the manifest lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayloadFile {
    /// Its path under the bag, `/`-separated, starting with `data/`.
    pub path: String,
    /// Its SHA-256.
    pub sha256: Sha256Hex,
    /// Its size.
    pub bytes: u64,
}

/// A manifest path: `/`-separated, with CR, LF and `%` percent-encoded (RFC 8493 §2.1.3).
fn encode(path: &str) -> String {
    path.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn decode(path: &str) -> String {
    path.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%25", "%")
}

/// Writes the tag files of a bag whose payload is already under `dir/data`.
pub async fn write_tags(
    dir: &Path,
    payload: &[PayloadFile],
    info: &[(&str, String)],
) -> anyhow::Result<()> {
    let mut manifest = String::new();
    for f in payload {
        manifest.push_str(&format!("{}  {}\n", f.sha256, encode(&f.path)));
    }
    let octets: u64 = payload.iter().map(|f| f.bytes).sum();
    let mut bag_info = String::new();
    for (k, v) in info {
        bag_info.push_str(&format!("{k}: {}\n", v.replace(['\r', '\n'], " ")));
    }
    bag_info.push_str(&format!("Payload-Oxum: {octets}.{}\n", payload.len()));
    let tags = [
        ("bagit.txt", BAGIT_TXT.to_owned()),
        ("bag-info.txt", bag_info),
        ("manifest-sha256.txt", manifest),
    ];
    let mut tag_manifest = String::new();
    for (name, text) in &tags {
        tokio::fs::write(dir.join(name), text)
            .await
            .with_context(|| format!("Cannot write {}", dir.join(name).display()))?;
        tag_manifest.push_str(&format!("{}  {name}\n", Sha256Hex::of(text.as_bytes())));
    }
    tokio::fs::write(dir.join("tagmanifest-sha256.txt"), tag_manifest)
        .await
        .context("Cannot write tagmanifest-sha256.txt")?;
    Ok(())
}

/// The SHA-256 and size of a file, read in pieces.
async fn hash_file(path: &Path) -> anyhow::Result<(String, u64)> {
    let mut file = tokio::fs::File::open(path).await?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut total = 0u64;
    loop {
        let n = file.read(&mut buf).await?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        total += n as u64;
    }
    Ok((hex::encode(hasher.finalize()), total))
}

/// Every file under `dir`, as `/`-separated paths relative to `base`.
fn files_under(base: &Path, dir: &Path, out: &mut Vec<String>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        if kind.is_dir() {
            files_under(base, &entry.path(), out)?;
        } else {
            let rel = entry.path();
            let rel = rel.strip_prefix(base).expect("under the bag");
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.push(parts.join("/"));
        }
    }
    Ok(())
}

/// True when `dir` is a bag (it has `bagit.txt`).
pub fn is_bag(dir: &Path) -> bool {
    dir.join("bagit.txt").is_file()
}

/// Checks a bag: its declaration, that every manifest entry exists under `data/` with its
/// checksum, and that no payload file is missing from the manifest. Returns the payload
/// folder to import from.
pub async fn verify(dir: &Path) -> anyhow::Result<PathBuf> {
    let declaration = tokio::fs::read_to_string(dir.join("bagit.txt"))
        .await
        .context("Cannot read bagit.txt")?;
    if !declaration
        .lines()
        .any(|l| l.trim() == "BagIt-Version: 1.0")
        && !declaration
            .lines()
            .any(|l| l.trim() == "BagIt-Version: 0.97")
    {
        bail!("bagit.txt does not declare BagIt 1.0 (or 0.97)");
    }
    let manifest = tokio::fs::read_to_string(dir.join("manifest-sha256.txt"))
        .await
        .context("the bag has no manifest-sha256.txt; edubase checks bags by SHA-256")?;
    let mut listed: BTreeMap<String, String> = BTreeMap::new();
    for (n, line) in manifest.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let Some((sha, path)) = line.split_once(char::is_whitespace) else {
            bail!(
                "manifest-sha256.txt line {} is not \"checksum path\"",
                n + 1
            );
        };
        let path = decode(path.trim_start());
        let safe = path.starts_with("data/")
            && !path
                .split('/')
                .any(|p| p.is_empty() || p == "." || p == "..");
        if Sha256Hex::parse(&sha.to_ascii_lowercase()).is_none() || !safe {
            bail!(
                "manifest-sha256.txt line {}: {:?} is not a SHA-256 and a path under data/",
                n + 1,
                line.chars().take(100).collect::<String>()
            );
        }
        listed.insert(path, sha.to_ascii_lowercase());
    }
    let mut present = Vec::new();
    files_under(dir, &dir.join(PAYLOAD), &mut present)
        .with_context(|| format!("Cannot read {}", dir.join(PAYLOAD).display()))?;
    for path in &present {
        if !listed.contains_key(path) {
            bail!("{path} is in the bag but not in its manifest: the bag was changed");
        }
    }
    for (path, sha) in &listed {
        let file = dir.join(path);
        let (actual, _) = hash_file(&file)
            .await
            .with_context(|| format!("{path} is in the manifest but cannot be read"))?;
        if &actual != sha {
            bail!("{path} does not match its checksum in the manifest: the bag is damaged");
        }
    }
    Ok(dir.join(PAYLOAD))
}
