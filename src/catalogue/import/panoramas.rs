//! Importing a hall panorama: `panoramas/<name>.toml` beside its photograph, with its
//! markers by accession number. Checked as the admin checks an upload (a photograph at
//! least 1000 pixels wide and not upright, a title, alt text, markers inside it) before
//! anything is stored. A panorama of the same base with the same photograph is updated in
//! place, so re-importing never duplicates.
//!
//! Doors lead to other panoramas by the names of their files, so they are connected once
//! every panorama is in ([`Importer::connect_doors`]).

use super::format::{DoorEntry, PanoramaFile};
use super::source::Source;
use super::{Importer, RecordError, repo_message, stem};
use crate::catalogue::model::MediaFile;
use crate::catalogue::panorama::{
    MAX_DOORS, MAX_SPOTS, MIN_WIDTH, NewDoor, NewPanorama, NewSpot, PanoramaImage, PhotoRefused,
    fraction,
};
use crate::catalogue::types::{MediaKind, Slug};
use crate::media::ingest::IngestError;
use crate::media::ingest::sniff_allowed;
use crate::repo::{Actor, RepoError};
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use tokio::io::AsyncReadExt;
use toml::Spanned;

/// A panorama imported, with the doors still to connect.
pub(super) struct ImportedPanorama {
    /// Its photograph's content address.
    pub(super) sha256: String,
    base: Slug,
    number: i64,
    doors: Vec<Spanned<DoorEntry>>,
    source: Source,
}

impl Importer<'_> {
    /// Imports one panorama file, except its doors.
    pub(super) async fn import_panorama(
        &self,
        path: PathBuf,
    ) -> Result<ImportedPanorama, RecordError> {
        let source = Source::read(path).await?;
        let file: PanoramaFile = source.parse()?;
        if file.title.get_ref().is_empty() {
            return Err(source.error_at(&file.title, "[title] needs a title in some language"));
        }
        if file.alt.get_ref().is_empty() {
            return Err(source.error_at(
                &file.alt,
                "[alt] needs a description of the photograph in some language",
            ));
        }
        if file.spots.len() > MAX_SPOTS {
            return Err(source.error(
                None,
                format!("a panorama has at most {MAX_SPOTS} [[spots]]"),
            ));
        }
        let mut spots = Vec::with_capacity(file.spots.len());
        for spot in &file.spots {
            let s = spot.get_ref();
            match (fraction(s.x), fraction(s.y)) {
                (Ok(x), Ok(y)) => spots.push(NewSpot {
                    item: s.item.clone(),
                    x,
                    y,
                }),
                _ => {
                    return Err(source.error_at(
                        spot,
                        "x and y are fractions of the photograph's width and height, from 0 to 1",
                    ));
                }
            }
        }
        if file.doors.len() > MAX_DOORS {
            return Err(source.error(
                None,
                format!("a panorama has at most {MAX_DOORS} [[doors]]"),
            ));
        }
        for door in &file.doors {
            let d = door.get_ref();
            if fraction(d.x).is_err() || fraction(d.y).is_err() {
                return Err(source.error_at(
                    door,
                    "x and y are fractions of the photograph's width and height, from 0 to 1",
                ));
            }
        }
        let folder = source
            .path
            .parent()
            .expect("a file is inside a folder")
            .to_owned();
        let name = file.file.get_ref();
        let fail = |msg: String| source.error_at(&file.file, msg);
        let mut parts = Path::new(name).components();
        if !matches!(
            (parts.next(), parts.next()),
            (Some(Component::Normal(_)), None)
        ) {
            return Err(fail(format!(
                "photograph {name:?} must be a file name in the panoramas folder"
            )));
        }
        let photo = folder.join(name);
        // The kind from the first bytes, before anything is stored.
        let mut head = vec![0u8; 8 * 1024];
        let mut input = tokio::fs::File::open(&photo)
            .await
            .map_err(|e| fail(format!("photograph {name:?}: {e}")))?;
        let n = input
            .read(&mut head)
            .await
            .map_err(|e| fail(format!("reading {name:?}: {e}")))?;
        head.truncate(n);
        drop(input);
        let sniffed =
            sniff_allowed(&head).map_err(|e| fail(format!("photograph {name:?}: {e}")))?;
        if sniffed.kind != MediaKind::Image {
            return Err(fail(format!("{name:?} is not a photograph")));
        }
        let refused = |why| match why {
            PhotoRefused::NotImage(mime) => fail(format!("{name:?} is not a photograph ({mime})")),
            PhotoRefused::TooSmall(w, h) => fail(format!(
                "photograph {name:?} is {w} × {h} px: a panorama is at least {MIN_WIDTH} px wide and not upright"
            )),
        };
        // Only a photograph that can be a panorama is stored.
        let fits = |f: &MediaFile| PanoramaImage::of(f.clone(), String::new()).is_ok();
        let accepted = match self.ingest.accept_path(&photo, &fits).await {
            Ok(accepted) => accepted,
            Err(IngestError::Unfit(file)) => {
                return Err(
                    PanoramaImage::of(*file, String::new()).map_or_else(refused, |_| {
                        fail(format!("photograph {name:?} cannot be a panorama"))
                    }),
                );
            }
            Err(e) => return Err(fail(format!("photograph {name:?}: {e}"))),
        };
        let image = PanoramaImage::of(accepted.file, name.clone()).map_err(refused)?;
        let sha256 = image.sha256.clone();
        let new = NewPanorama {
            title: file.title.get_ref().clone(),
            alt: file.alt.get_ref().clone(),
            image,
            spots,
        };
        let base = file.base.into_inner();
        let number = self
            .panoramas
            .import_panorama(&base, &new, &Actor::system("import"))
            .await
            .map_err(|e| match e {
                RepoError::Invalid(m) => source.error(None, m),
                other => source.error(None, repo_message(other)),
            })?;
        Ok(ImportedPanorama {
            sha256,
            base,
            number,
            doors: file.doors,
            source,
        })
    }

    /// Sets the doors of every imported panorama (replacing those it had), each to the
    /// panorama imported from the file it names; returns what could not be connected.
    pub(super) async fn connect_doors(&self, imported: &[ImportedPanorama]) -> Vec<RecordError> {
        let by_name: HashMap<String, (&Slug, i64)> = imported
            .iter()
            .map(|p| (stem(&p.source.path), (&p.base, p.number)))
            .collect();
        let mut errors = Vec::new();
        'panoramas: for p in imported {
            let mut doors = Vec::with_capacity(p.doors.len());
            for door in &p.doors {
                let d = door.get_ref();
                let to = match by_name.get(&d.to) {
                    // Its own file, or a file with the same photograph (imported as one).
                    Some((base, number)) if *base == &p.base && *number == p.number => {
                        let message = format!(
                            "door to {:?} leads back to this same panorama: a door leads to another hall",
                            d.to
                        );
                        errors.push(p.source.error_at(door, message));
                        continue 'panoramas;
                    }
                    Some((base, number)) if *base == &p.base => *number,
                    Some((base, _)) => {
                        let message = format!(
                            "door to {:?} leads to base {base}: a door leads to another hall of the same base, {}",
                            d.to, p.base
                        );
                        errors.push(p.source.error_at(door, message));
                        continue 'panoramas;
                    }
                    None => {
                        let message = format!(
                            "door to {:?}: no panorama of that name was imported (give the name of its file without .toml)",
                            d.to
                        );
                        errors.push(p.source.error_at(door, message));
                        continue 'panoramas;
                    }
                };
                doors.push(NewDoor { to, x: d.x, y: d.y });
            }
            if let Err(e) = self
                .panoramas
                .replace_doors(&p.base, p.number, &doors, &Actor::system("import"))
                .await
            {
                errors.push(match e {
                    RepoError::Invalid(m) => p.source.error(None, m),
                    other => p.source.error(None, repo_message(other)),
                });
            }
        }
        errors
    }
}
