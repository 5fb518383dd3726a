//! Exporting the whole catalogue as a folder in the `exhibits/` format: every base, item
//! (with its media files and their WebVTT tracks), exhibition and hall panorama (with its
//! photograph, [`panoramas`]), drafts included, so that
//! `edubase import` of the folder into an empty database gives the same catalogue. The
//! folder is a BagIt bag ([`super::bag`]): the records under `data/`, every file in a
//! SHA-256 manifest, so an archive can check it with standard tools. It is
//! the way from one database to the other (SQLite to PostgreSQL and back), a backup that
//! people can read, and the end of any lock-in. Revision histories, accounts and the
//! classroom are not part of the catalogue and are not exported.

mod panoramas;

use super::bag::{self, PayloadFile};
use super::exhibition_editor::{DraftExhibition, ExhibitionEditor};
use super::model::{Base, Item, Media};
use super::panorama::PanoramaRepo;
use super::repo::{CatalogueRepo, ItemQuery, ListQuery};
use super::types::{MediaKind, Status};
use crate::i18n::LocalizedText;
use crate::repo::Visibility;
use crate::store::{BlobKey, BlobStore, Sha256Hex};
use anyhow::{Context, bail};
use futures_util::StreamExt;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tokio::io::AsyncWriteExt;

/// What was written.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ExportReport {
    /// Base files.
    pub bases: usize,
    /// Item folders.
    pub items: usize,
    /// Media files copied.
    pub media: usize,
    /// Exhibition files.
    pub exhibitions: usize,
    /// Hall panoramas (each a file and its photograph).
    pub panoramas: usize,
}

fn is_empty(t: &LocalizedText) -> bool {
    t.is_empty()
}

#[derive(Serialize)]
struct BaseOut<'a> {
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    level: Option<&'static str>,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    contact: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    website: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    latitude: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    longitude: Option<f64>,
    name: &'a LocalizedText,
    #[serde(skip_serializing_if = "is_empty")]
    town: &'a LocalizedText,
    #[serde(skip_serializing_if = "is_empty")]
    address: &'a LocalizedText,
    #[serde(skip_serializing_if = "is_empty")]
    opening_hours: &'a LocalizedText,
    #[serde(skip_serializing_if = "is_empty")]
    description: &'a LocalizedText,
}

#[derive(Serialize)]
struct ItemOut<'a> {
    accession: &'a str,
    category: &'static str,
    base: &'a str,
    rights: &'a str,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    protection_level: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    year: Option<i32>,
    title: &'a LocalizedText,
    #[serde(skip_serializing_if = "is_empty")]
    summary: &'a LocalizedText,
    #[serde(skip_serializing_if = "is_empty")]
    description: &'a LocalizedText,
    #[serde(skip_serializing_if = "is_empty")]
    place: &'a LocalizedText,
    #[serde(skip_serializing_if = "is_empty")]
    period: &'a LocalizedText,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    inheritors: &'a [LocalizedText],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    subjects: &'a [LocalizedText],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    media: Vec<MediaOut<'a>>,
}

#[derive(Serialize)]
struct MediaOut<'a> {
    file: String,
    credit: &'a str,
    rights: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    #[serde(skip_serializing_if = "is_empty")]
    alt: &'a LocalizedText,
    #[serde(skip_serializing_if = "is_empty")]
    caption: &'a LocalizedText,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tracks: Vec<TrackOut>,
}

#[derive(Serialize)]
struct TrackOut {
    file: String,
    lang: &'static str,
    kind: &'static str,
}

#[derive(Serialize)]
struct ExhibitionOut<'a> {
    base: &'a str,
    status: &'static str,
    featured: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    cover: Option<&'a str>,
    title: &'a LocalizedText,
    #[serde(skip_serializing_if = "is_empty")]
    subtitle: &'a LocalizedText,
    #[serde(skip_serializing_if = "is_empty")]
    introduction: &'a LocalizedText,
    stops: Vec<StopOut<'a>>,
}

#[derive(Serialize)]
struct StopOut<'a> {
    item: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    media: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    audio: Option<u32>,
    #[serde(skip_serializing_if = "is_empty")]
    narrative: &'a LocalizedText,
}

fn status(s: Status) -> &'static str {
    s.code()
}

/// A file name for a media file: its uploaded name where that is a safe, unused file name,
/// otherwise one made from its position and kind.
fn file_name(m: &Media, position: usize, used: &mut HashSet<String>) -> String {
    let name = &m.fields.original_name;
    let safe = !name.is_empty()
        && name.len() <= 120
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_'))
        && !name.eq_ignore_ascii_case("item.toml");
    let mut chosen = if safe {
        name.clone()
    } else {
        let ext = mime_guess::get_mime_extensions_str(&m.mime)
            .and_then(|e| e.first())
            .copied()
            .unwrap_or("bin");
        format!("media-{position}.{ext}")
    };
    while !used.insert(chosen.to_lowercase()) {
        chosen = format!("{position}-{chosen}");
    }
    chosen
}

fn toml_text(value: &impl Serialize, what: &str) -> anyhow::Result<String> {
    toml::to_string(value).with_context(|| format!("Failed to write {what} as TOML"))
}

/// Writes the catalogue into `dir`, which must not exist or be empty.
pub struct Exporter<'a> {
    catalogue: &'a dyn CatalogueRepo,
    exhibitions: &'a dyn ExhibitionEditor,
    panoramas: &'a dyn PanoramaRepo,
    blobs: &'a dyn BlobStore,
    /// The bag's folder, and every payload file written so far.
    bag: Mutex<(PathBuf, Vec<PayloadFile>)>,
}

impl<'a> Exporter<'a> {
    /// An exporter reading from these repositories and the media store.
    pub fn new(
        catalogue: &'a dyn CatalogueRepo,
        exhibitions: &'a dyn ExhibitionEditor,
        panoramas: &'a dyn PanoramaRepo,
        blobs: &'a dyn BlobStore,
    ) -> Self {
        Exporter {
            catalogue,
            exhibitions,
            panoramas,
            blobs,
            bag: Mutex::new((PathBuf::new(), Vec::new())),
        }
    }

    /// Notes a payload file for the manifest.
    fn added(&self, path: &Path, sha256: Sha256Hex, bytes: u64) {
        let mut bag = self.bag.lock().expect("not poisoned");
        let rel = path.strip_prefix(&bag.0).expect("inside the bag");
        let rel: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        bag.1.push(PayloadFile {
            path: rel.join("/"),
            sha256,
            bytes,
        });
    }

    /// Writes a text file of the payload.
    async fn write(&self, path: &Path, text: &str) -> anyhow::Result<()> {
        tokio::fs::write(path, text)
            .await
            .with_context(|| format!("Cannot write {}", path.display()))?;
        self.added(path, Sha256Hex::of(text.as_bytes()), text.len() as u64);
        Ok(())
    }

    /// Exports everything as a bag in `dir`; `progress` hears each record's path as it is
    /// written. `source` names the organisation in `bag-info.txt`.
    pub async fn export(
        &self,
        dir: &Path,
        source: &str,
        progress: &mut (dyn FnMut(&Path) + Send),
    ) -> anyhow::Result<ExportReport> {
        match std::fs::read_dir(dir) {
            Ok(mut entries) => {
                if entries.next().is_some() {
                    bail!(
                        "{} is not empty; export into a new or empty folder",
                        dir.display()
                    );
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).with_context(|| format!("Cannot read {}", dir.display())),
        }
        let bag_dir = dir;
        *self.bag.lock().expect("not poisoned") = (bag_dir.to_owned(), Vec::new());
        let dir = &bag_dir.join(bag::PAYLOAD);
        for sub in ["bases", "items", "exhibitions"] {
            tokio::fs::create_dir_all(dir.join(sub))
                .await
                .with_context(|| format!("Cannot create {}", dir.join(sub).display()))?;
        }
        let mut report = ExportReport::default();

        let mut query = ListQuery::all(Visibility::All, 100);
        loop {
            let page = self.catalogue.list_bases(&query).await?;
            for base in &page.items {
                let path = dir.join("bases").join(format!("{}.toml", base.fields.slug));
                self.write(&path, &toml_text(&base_out(base), "a base")?)
                    .await?;
                progress(&path);
                report.bases += 1;
            }
            match page.next {
                Some(next) => query.after = Some(next),
                None => break,
            }
        }

        let mut query = ItemQuery::all(Visibility::All, 100);
        loop {
            let page = self.catalogue.list_items(&query).await?;
            for summary in &page.items {
                let Some(item) = self.catalogue.item(&summary.slug, Visibility::All).await? else {
                    continue; // deleted meanwhile
                };
                let folder = dir.join("items").join(item.fields.slug.as_str());
                report.media += self.write_item(&folder, &item).await?;
                progress(&folder);
                report.items += 1;
            }
            match page.next {
                Some(next) => query.after = Some(next),
                None => break,
            }
        }

        let mut query = ListQuery::all(Visibility::All, 100);
        loop {
            let page = self.catalogue.list_exhibitions(&query).await?;
            for summary in &page.items {
                let Some(ex) = self.exhibitions.draft_exhibition(&summary.slug).await? else {
                    continue;
                };
                let out = self.exhibition_out(&ex).await?;
                let path = dir
                    .join("exhibitions")
                    .join(format!("{}.toml", ex.fields.slug));
                self.write(&path, &toml_text(&out, "an exhibition")?)
                    .await?;
                progress(&path);
                report.exhibitions += 1;
            }
            match page.next {
                Some(next) => query.after = Some(next),
                None => break,
            }
        }
        report.panoramas = self.write_panoramas(dir, progress).await?;
        let payload = std::mem::take(&mut self.bag.lock().expect("not poisoned").1);
        let info = [
            ("Source-Organization", source.to_owned()),
            (
                "External-Description",
                format!(
                    "The catalogue of {source}: {} bases, {} items with {} media files, {} \
                     exhibitions, {} hall panoramas, in the edubase exhibits/ format (see data/ \
                     and edubase's exhibits/README.md).",
                    report.bases, report.items, report.media, report.exhibitions, report.panoramas
                ),
            ),
            (
                "Bagging-Date",
                chrono::Utc::now().format("%Y-%m-%d").to_string(),
            ),
            (
                "Bag-Software-Agent",
                format!("edubase {}", env!("CARGO_PKG_VERSION")),
            ),
        ];
        bag::write_tags(bag_dir, &payload, &info).await?;
        Ok(report)
    }

    /// Writes an item's folder; returns how many media files it holds.
    async fn write_item(&self, folder: &Path, item: &Item) -> anyhow::Result<usize> {
        tokio::fs::create_dir_all(folder)
            .await
            .with_context(|| format!("Cannot create {}", folder.display()))?;
        let mut used = HashSet::from(["item.toml".to_owned()]);
        let mut media = Vec::with_capacity(item.media.len());
        for (i, m) in item.media.iter().enumerate() {
            let file = file_name(m, i + 1, &mut used);
            self.copy_original(m, &folder.join(&file)).await?;
            let mut tracks = Vec::new();
            for t in &m.tracks {
                let stem = file.rsplit_once('.').map_or(file.as_str(), |(s, _)| s);
                let mut name = format!("{stem}.{}.{}.vtt", t.lang.code(), t.kind.code());
                while !used.insert(name.to_lowercase()) {
                    name = format!("{}-{name}", i + 1);
                }
                self.write(&folder.join(&name), &t.vtt).await?;
                tracks.push(TrackOut {
                    file: name,
                    lang: t.lang.code(),
                    kind: t.kind.code(),
                });
            }
            media.push(MediaOut {
                file,
                credit: &m.fields.credit,
                rights: &m.fields.rights,
                source: m.fields.source.as_deref(),
                alt: &m.fields.alt,
                caption: &m.fields.caption,
                tracks,
            });
        }
        let f = &item.fields;
        let out = ItemOut {
            accession: f.accession.as_str(),
            category: f.category.code(),
            base: item.base.slug.as_str(),
            rights: &f.rights,
            status: status(f.status),
            protection_level: f.protection_level.map(|l| l.code()),
            year: f.year,
            title: &f.title,
            summary: &f.summary,
            description: &f.description,
            place: &f.place,
            period: &f.period,
            inheritors: &f.inheritors,
            subjects: &f.subjects,
            media,
        };
        self.write(&folder.join("item.toml"), &toml_text(&out, "an item")?)
            .await?;
        Ok(item.media.len())
    }

    /// Streams a media file's original out of the store.
    async fn copy_original(&self, m: &Media, to: &Path) -> anyhow::Result<()> {
        self.copy_blob(&m.sha256, to).await
    }

    /// Streams the original `sha256` out of the store into `to`, checking its hash.
    async fn copy_blob(&self, sha256: &str, to: &Path) -> anyhow::Result<()> {
        let sha = Sha256Hex::parse(sha256)
            .with_context(|| format!("unreadable content address {sha256:?}"))?;
        let key = BlobKey::Original(sha.clone());
        let size = self
            .blobs
            .size(&key)
            .await?
            .with_context(|| format!("the original {sha256} is missing from the store"))?;
        let mut stream = self
            .blobs
            .read_range(&key, 0, size)
            .await?
            .with_context(|| format!("the original {sha256} is missing from the store"))?;
        let mut out = tokio::fs::File::create(to)
            .await
            .with_context(|| format!("Cannot create {}", to.display()))?;
        let mut hasher = Sha256::new();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk?;
            hasher.update(&chunk);
            out.write_all(&chunk).await?;
        }
        out.flush().await?;
        // The manifest must not vouch for a damaged file.
        if hex::encode(hasher.finalize()) != sha256 {
            bail!(
                "the original {sha256} is damaged (its bytes no longer match its hash); run edubase fixity"
            );
        }
        self.added(to, sha, size);
        Ok(())
    }

    async fn exhibition_out<'e>(
        &self,
        ex: &'e DraftExhibition,
    ) -> anyhow::Result<ExhibitionOut<'e>> {
        let mut stops = Vec::with_capacity(ex.stops.len());
        for stop in &ex.stops {
            // The audio guide is named by its place among the item's media.
            let audio = match stop.fields.audio {
                Some(id) => self
                    .catalogue
                    .item(&stop.item, Visibility::All)
                    .await?
                    .and_then(|item| {
                        item.media
                            .iter()
                            .position(|m| m.id == id && m.kind == MediaKind::Audio)
                    })
                    .map(|p| p as u32 + 1),
                None => None,
            };
            stops.push(StopOut {
                item: stop.item.as_str(),
                media: stop.fields.media_index,
                audio,
                narrative: &stop.fields.narrative,
            });
        }
        Ok(ExhibitionOut {
            base: ex.base.as_str(),
            status: status(ex.status),
            featured: ex.fields.featured,
            cover: ex.fields.cover_item.as_ref().map(|s| s.as_str()),
            title: &ex.fields.title,
            subtitle: &ex.fields.subtitle,
            introduction: &ex.fields.introduction,
            stops,
        })
    }
}

fn base_out(base: &Base) -> BaseOut<'_> {
    let f = &base.fields;
    BaseOut {
        kind: f.kind.code(),
        level: f.level.map(|l| l.code()),
        status: status(f.status),
        contact: f.contact.as_deref(),
        website: f.website.as_deref(),
        latitude: f.coordinates.map(|c| c.0),
        longitude: f.coordinates.map(|c| c.1),
        name: &f.name,
        town: &f.town,
        address: &f.address,
        opening_hours: &f.opening_hours,
        description: &f.description,
    }
}
