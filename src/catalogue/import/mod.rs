//! Importing a catalogue folder (`exhibits/` format): bases, then items with their media,
//! then exhibitions, then hall panoramas. Each record is checked completely before anything of it is written and
//! is written in one transaction; a broken record is reported with its file and line and
//! the others still import. Re-importing updates records in place (matched by slug or
//! accession number), so it never duplicates.

mod format;
mod panoramas;
mod source;
mod tracks;

use super::model::{BaseFields, MediaFields, NewExhibition, NewItem, NewMedia, NewStop};
use super::panorama::PanoramaRepo;
use super::repo::CatalogueRepo;
use super::rights::check_rights_uri;
use super::types::{Accession, MediaKind, Status};
use crate::media::ingest::anywhere;
use crate::media::ingest::{Ingest, sniff_allowed};
use crate::repo::RepoError;
use anyhow::Context;
use format::{BaseFile, ExhibitionFile, ItemFile};
use source::{Source, slug_from_name};
use std::collections::HashMap;
use std::fmt;
use std::path::{Component, Path, PathBuf};
use tokio::io::AsyncReadExt;
use tracks::{read_tracks, store_tracks};

/// A record that could not be imported, and where the problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordError {
    /// The record's file.
    pub file: PathBuf,
    /// 1-based line of the problem, when it can be pinned to one.
    pub line: Option<usize>,
    /// What is wrong, in words a curator can act on.
    pub message: String,
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file.display(), self.message),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

/// What an import did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportReport {
    /// Bases created or updated.
    pub bases: usize,
    /// Items created or updated.
    pub items: usize,
    /// Exhibitions created or updated.
    pub exhibitions: usize,
    /// Hall panoramas created or updated.
    pub panoramas: usize,
    /// Media files newly stored (identical files are stored once).
    pub media_stored: usize,
    /// Content hashes of the images imported (their derivatives can be queued).
    pub images: Vec<String>,
    /// Records that were not imported.
    pub errors: Vec<RecordError>,
}

/// Progress of an import, for a progress bar.
#[derive(Debug, Clone, Copy)]
pub enum Progress<'a> {
    /// The number of records found.
    Start {
        /// Records to import.
        total: usize,
    },
    /// One record is done (imported or failed).
    Record {
        /// Its file.
        path: &'a Path,
    },
}

/// Imports catalogue folders into a repository and a blob store.
pub struct Importer<'a> {
    repo: &'a dyn CatalogueRepo,
    panoramas: &'a dyn PanoramaRepo,
    ingest: &'a Ingest,
}

/// Sorted entries of a subfolder, or nothing if it does not exist.
async fn entries(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut read = match tokio::fs::read_dir(dir).await {
        Ok(read) => read,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(e),
    };
    while let Some(entry) = read.next_entry().await? {
        out.push(entry.path());
    }
    out.sort();
    Ok(out)
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

impl<'a> Importer<'a> {
    /// An importer writing records to `repo` and files through `ingest` (the same checks
    /// as uploads).
    pub fn new(
        repo: &'a dyn CatalogueRepo,
        panoramas: &'a dyn PanoramaRepo,
        ingest: &'a Ingest,
    ) -> Self {
        Importer {
            repo,
            panoramas,
            ingest,
        }
    }

    /// Imports everything in `dir`. Fails only when `dir` itself cannot be read; problems
    /// with single records are collected in the report.
    pub async fn import_dir(
        &self,
        dir: &Path,
        progress: &mut (dyn FnMut(Progress<'_>) + Send),
    ) -> anyhow::Result<ImportReport> {
        anyhow::ensure!(dir.is_dir(), "{} is not a folder", dir.display());
        // A bag (as `edubase export` writes) is checked whole before anything is imported.
        let payload;
        let dir = if super::bag::is_bag(dir) {
            payload = super::bag::verify(dir).await.with_context(|| {
                format!("{} is a BagIt bag that fails its check", dir.display())
            })?;
            payload.as_path()
        } else {
            dir
        };
        let toml_files = |paths: Vec<PathBuf>| -> Vec<PathBuf> {
            paths
                .into_iter()
                .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                .collect()
        };
        let bases = toml_files(entries(&dir.join("bases")).await?);
        let items: Vec<PathBuf> = entries(&dir.join("items"))
            .await?
            .into_iter()
            .filter(|p| p.is_dir())
            .map(|p| p.join("item.toml"))
            .collect();
        let exhibitions = toml_files(entries(&dir.join("exhibitions")).await?);
        let panoramas = toml_files(entries(&dir.join("panoramas")).await?);
        progress(Progress::Start {
            total: bases.len() + items.len() + exhibitions.len() + panoramas.len(),
        });

        let mut report = ImportReport::default();
        for path in &bases {
            match self.import_base(path.clone()).await {
                Ok(()) => report.bases += 1,
                Err(e) => report.errors.push(e),
            }
            progress(Progress::Record { path });
        }
        let mut accessions: HashMap<Accession, PathBuf> = HashMap::new();
        for path in &items {
            match self.import_item(path.clone(), &mut accessions).await {
                Ok((stored, images)) => {
                    report.items += 1;
                    report.media_stored += stored;
                    report.images.extend(images);
                }
                Err(e) => report.errors.push(e),
            }
            progress(Progress::Record { path });
        }
        for path in &exhibitions {
            match self.import_exhibition(path.clone()).await {
                Ok(()) => report.exhibitions += 1,
                Err(e) => report.errors.push(e),
            }
            progress(Progress::Record { path });
        }
        let mut imported = Vec::new();
        for path in &panoramas {
            match self.import_panorama(path.clone()).await {
                Ok(p) => {
                    report.panoramas += 1;
                    report.images.push(p.sha256.clone());
                    imported.push(p);
                }
                Err(e) => report.errors.push(e),
            }
            progress(Progress::Record { path });
        }
        report.errors.extend(self.connect_doors(&imported).await);
        Ok(report)
    }

    async fn import_base(&self, path: PathBuf) -> Result<(), RecordError> {
        let source = Source::read(path).await?;
        let file: BaseFile = source.parse()?;
        let slug = slug_from_name(&source, &stem(&source.path))?;
        if file.name.get_ref().zh.is_none() {
            return Err(source.error_at(&file.name, "[name] needs a Chinese name (zh)"));
        }
        if let Some(site) = &file.website
            && !(site.get_ref().starts_with("https://") || site.get_ref().starts_with("http://"))
        {
            return Err(source.error_at(site, "website must start with https:// or http://"));
        }
        let coordinates = match (&file.latitude, file.longitude) {
            (Some(lat), Some(lon))
                if (-90.0..=90.0).contains(lat.get_ref()) && (-180.0..=180.0).contains(&lon) =>
            {
                Some((*lat.get_ref(), lon))
            }
            (None, None) => None,
            (Some(lat), _) => {
                return Err(source.error_at(
                    lat,
                    "latitude needs a longitude, within ±90 and ±180 degrees",
                ));
            }
            (None, Some(_)) => return Err(source.error(None, "longitude needs a latitude")),
        };
        let fields = BaseFields {
            slug,
            kind: file.kind,
            level: file.level,
            status: file.status,
            name: file.name.into_inner(),
            town: file.town,
            address: file.address,
            opening_hours: file.opening_hours,
            description: file.description,
            contact: file.contact,
            website: file.website.map(|w| w.into_inner()),
            coordinates,
        };
        self.repo
            .upsert_base(&fields)
            .await
            .map_err(|e| source.error(None, repo_message(e)))?;
        Ok(())
    }

    /// Returns how many media files were newly stored, and the hashes of its images.
    async fn import_item(
        &self,
        path: PathBuf,
        accessions: &mut HashMap<Accession, PathBuf>,
    ) -> Result<(usize, Vec<String>), RecordError> {
        let source = Source::read(path).await?;
        let file: ItemFile = source.parse()?;
        let folder = source
            .path
            .parent()
            .expect("item.toml is inside a folder")
            .to_owned();
        let slug = slug_from_name(
            &source,
            &folder
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        )?;
        let accession = file.accession.get_ref().clone();
        if let Some(other) = accessions.get(&accession) {
            return Err(source.error_at(
                &file.accession,
                format!(
                    "accession number {accession} is already used by {}",
                    other.display()
                ),
            ));
        }
        if file.title.get_ref().zh.is_none() {
            return Err(source.error_at(&file.title, "[title] needs a Chinese title (zh)"));
        }
        // A published record obeys the rules of publishing in the admin; a draft may still
        // lack its rights and alt texts, as one being catalogued in the admin may.
        let strict = file.status == Status::Published;
        if strict || !file.rights.get_ref().is_empty() {
            check_rights_uri(file.rights.get_ref())
                .map_err(|e| source.error_at(&file.rights, e.0))?;
        }

        let mut media = Vec::with_capacity(file.media.len());
        let mut tracks = Vec::with_capacity(file.media.len());
        let mut stored = 0;
        for entry in &file.media {
            let (new_media, created) = self.store_media(&source, &folder, entry, strict).await?;
            stored += usize::from(created);
            tracks.push(read_tracks(&source, &folder, entry, new_media.file.kind).await?);
            media.push(new_media);
        }

        let item = NewItem {
            fields: super::model::ItemFields {
                accession: accession.clone(),
                slug,
                status: file.status,
                category: file.category,
                protection_level: file.protection_level,
                title: file.title.into_inner(),
                summary: file.summary,
                description: file.description,
                place: file.place,
                period: file.period,
                year: file.year,
                inheritors: file.inheritors,
                subjects: file.subjects,
                rights: file.rights.into_inner(),
            },
            base: file.base.get_ref().clone(),
            media,
        };
        let id = self.repo.upsert_item(&item).await.map_err(|e| match e {
            RepoError::Invalid(m) => source.error_at(&file.base, m),
            other => source.error(None, repo_message(other)),
        })?;
        if tracks.iter().any(|t| !t.is_empty()) {
            store_tracks(self.repo, &source, id, &item.fields.slug, tracks).await?;
        }
        accessions.insert(accession, source.path.clone());
        let images = item
            .media
            .iter()
            .filter(|m| m.file.kind == MediaKind::Image)
            .map(|m| m.file.sha256.clone())
            .collect();
        Ok((stored, images))
    }

    /// Checks and stores one media file of an item; returns its record and whether the
    /// bytes were new to the store.
    async fn store_media(
        &self,
        source: &Source,
        folder: &Path,
        entry: &toml::Spanned<format::MediaEntry>,
        strict: bool,
    ) -> Result<(NewMedia, bool), RecordError> {
        let m = entry.get_ref();
        let fail = |msg: String| source.error_at(entry, msg);
        let mut components = Path::new(&m.file).components();
        let plain_name = matches!(
            (components.next(), components.next()),
            (Some(Component::Normal(_)), None)
        );
        if !plain_name {
            return Err(fail(format!(
                "media file {:?} must be a file name in the item's folder",
                m.file
            )));
        }
        if strict || !m.rights.is_empty() {
            check_rights_uri(&m.rights).map_err(|e| fail(e.0))?;
        }
        let path = folder.join(&m.file);
        let meta = tokio::fs::symlink_metadata(&path)
            .await
            .map_err(|e| fail(format!("media file {:?}: {e}", m.file)))?;
        if !meta.is_file() {
            return Err(fail(format!(
                "media file {:?} is not a regular file",
                m.file
            )));
        }

        // Decide the kind from the first bytes before storing anything, so a record refused
        // for missing alt text leaves no file behind.
        let mut head = vec![0u8; 8 * 1024];
        let mut input = tokio::fs::File::open(&path)
            .await
            .map_err(|e| fail(format!("media file {:?}: {e}", m.file)))?;
        let n = input
            .read(&mut head)
            .await
            .map_err(|e| fail(format!("reading {:?}: {e}", m.file)))?;
        head.truncate(n);
        drop(input);
        let sniffed =
            sniff_allowed(&head).map_err(|e| fail(format!("media file {:?}: {e}", m.file)))?;
        if strict && sniffed.kind == MediaKind::Image && m.alt.zh.is_none() {
            return Err(fail(format!(
                "image {:?} needs alt text in Chinese ([media.alt] zh)",
                m.file
            )));
        }
        let accepted = self
            .ingest
            .accept_path(&path, &anywhere)
            .await
            .map_err(|e| fail(format!("media file {:?}: {e}", m.file)))?;

        let record = NewMedia {
            file: accepted.file,
            fields: MediaFields {
                original_name: m.file.clone(),
                alt: m.alt.clone(),
                caption: m.caption.clone(),
                credit: m.credit.trim().to_owned(),
                rights: m.rights.clone(),
                source: m.source.clone(),
            },
        };
        Ok((record, accepted.new))
    }

    async fn import_exhibition(&self, path: PathBuf) -> Result<(), RecordError> {
        let source = Source::read(path).await?;
        let file: ExhibitionFile = source.parse()?;
        let slug = slug_from_name(&source, &stem(&source.path))?;
        if file.title.get_ref().zh.is_none() {
            return Err(source.error_at(&file.title, "[title] needs a Chinese title (zh)"));
        }
        if file.stops.is_empty() {
            return Err(source.error(None, "an exhibition needs at least one [[stops]]"));
        }
        for stop in &file.stops {
            if stop.get_ref().media == Some(0) || stop.get_ref().audio == Some(0) {
                return Err(
                    source.error_at(stop, "media counts from 1 (the item's first media file)")
                );
            }
        }
        let exhibition = NewExhibition {
            slug,
            base: file.base.get_ref().clone(),
            status: file.status,
            featured: file.featured,
            title: file.title.get_ref().clone(),
            subtitle: file.subtitle,
            introduction: file.introduction,
            cover_item: file.cover.as_ref().map(|c| c.get_ref().clone()),
            stops: file
                .stops
                .iter()
                .map(|s| NewStop {
                    item: s.get_ref().item.get_ref().clone(),
                    media_index: s.get_ref().media,
                    audio_index: s.get_ref().audio,
                    narrative: s.get_ref().narrative.clone(),
                })
                .collect(),
        };
        self.repo
            .upsert_exhibition(&exhibition)
            .await
            .map_err(|e| match e {
                RepoError::Invalid(m) => {
                    // Point at the stop (or base/cover) that names the missing record.
                    let at = file
                        .stops
                        .iter()
                        .map(|s| &s.get_ref().item)
                        .find(|item| m.contains(&format!("{:?}", item.get_ref().as_str())))
                        .map(|item| source.line_at(item.span().start))
                        .or_else(|| {
                            file.cover
                                .as_ref()
                                .filter(|c| m.contains(c.get_ref().as_str()))
                                .map(|c| source.line_at(c.span().start))
                        })
                        .unwrap_or_else(|| source.line_at(file.base.span().start));
                    source.error(Some(at), m)
                }
                other => source.error(None, repo_message(other)),
            })?;
        Ok(())
    }
}

fn repo_message(e: RepoError) -> String {
    match e {
        RepoError::Conflict(what) => format!("conflicts with an existing record ({what})"),
        RepoError::Invalid(m) => m,
        RepoError::Backend(e) => format!("the database refused the record: {e:#}"),
    }
}
