//! Hall panoramas in an export: `panoramas/<base>-<n>.toml` beside its photograph
//! `<base>-<n>.<ext>`, markers by accession number and doors by the name of the other
//! panorama's file, in the format the importer reads.

use super::{Exporter, is_empty, toml_text};
use crate::catalogue::panorama::Panorama;
use crate::catalogue::repo::ListQuery;
use crate::i18n::LocalizedText;
use crate::repo::Visibility;
use anyhow::Context;
use serde::Serialize;
use std::path::Path;

#[derive(Serialize)]
struct PanoramaOut<'a> {
    base: &'a str,
    file: String,
    title: &'a LocalizedText,
    #[serde(skip_serializing_if = "is_empty")]
    alt: &'a LocalizedText,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    spots: Vec<SpotOut<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    doors: Vec<DoorOut>,
}

#[derive(Serialize)]
struct DoorOut {
    to: String,
    x: f64,
    y: f64,
}

#[derive(Serialize)]
struct SpotOut<'a> {
    item: &'a str,
    x: f64,
    y: f64,
}

/// The photograph's file name: the panorama's name and the extension of its type.
fn photo_name(stem: &str, p: &Panorama) -> String {
    let ext = mime_guess::get_mime_extensions_str(&p.image.mime)
        .and_then(|e| e.iter().find(|e| **e == "jpg").or(e.first()))
        .copied()
        .unwrap_or("bin");
    format!("{stem}.{ext}")
}

impl Exporter<'_> {
    /// Writes every base's panoramas into `dir/panoramas`; returns how many.
    pub(super) async fn write_panoramas(
        &self,
        dir: &Path,
        progress: &mut (dyn FnMut(&Path) + Send),
    ) -> anyhow::Result<usize> {
        let folder = dir.join("panoramas");
        let mut written = 0;
        let mut query = ListQuery::all(Visibility::All, 100);
        loop {
            let page = self.catalogue.list_bases(&query).await?;
            for base in &page.items {
                let slug = &base.fields.slug;
                for p in self.panoramas.panoramas(slug, Visibility::All).await? {
                    if written == 0 {
                        tokio::fs::create_dir_all(&folder)
                            .await
                            .with_context(|| format!("Cannot create {}", folder.display()))?;
                    }
                    let stem = format!("{slug}-{}", p.number);
                    let file = photo_name(&stem, &p);
                    self.copy_blob(&p.image.sha256, &folder.join(&file)).await?;
                    let out = PanoramaOut {
                        base: slug.as_str(),
                        file,
                        title: &p.title,
                        alt: &p.alt,
                        spots: p
                            .spots
                            .iter()
                            .map(|s| SpotOut {
                                item: s.item.accession.as_str(),
                                x: s.x,
                                y: s.y,
                            })
                            .collect(),
                        doors: p
                            .doors
                            .iter()
                            .map(|d| DoorOut {
                                to: format!("{slug}-{}", d.to),
                                x: d.x,
                                y: d.y,
                            })
                            .collect(),
                    };
                    let path = folder.join(format!("{stem}.toml"));
                    self.write(&path, &toml_text(&out, "a panorama")?).await?;
                    progress(&path);
                    written += 1;
                }
            }
            match page.next {
                Some(next) => query.after = Some(next),
                None => break,
            }
        }
        Ok(written)
    }
}
