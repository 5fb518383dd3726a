//! Exhibitions: the list, one exhibition with its numbered path, and the guided visit that
//! walks the stops one at a time.

use super::item_page::{MediaView, view};
use crate::app::AppState;
use crate::catalogue::model::{Exhibition, ExhibitionSummary, Media, Stop};
use crate::catalogue::repo::ListQuery;
use crate::catalogue::types::{MediaKind, Slug};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::iiif::presentation::Urls;
use crate::repo::Visibility;
use crate::web::page::{PageCtx, render};
use crate::web::params::Params;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;

const PAGE_SIZE: u32 = 24;

#[derive(Template)]
#[template(path = "exhibitions_list.html")]
struct ExhibitionsPage {
    ctx: PageCtx,
    exhibitions: Vec<ExhibitionSummary>,
    next: Option<String>,
    is_later_page: bool,
    first_url: String,
}

#[tracing::instrument(skip_all)]
pub async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    params: Params,
) -> Result<Response, AppError> {
    let after = params.id_cursor()?;
    let is_later_page = after.is_some();
    let page = state
        .catalogue
        .list_exhibitions(&ListQuery {
            after,
            ..ListQuery::all(Visibility::Public, PAGE_SIZE)
        })
        .await?;
    render(&ExhibitionsPage {
        next: page
            .next
            .map(|c| format!("/exhibitions?page={}", c.encode())),
        first_url: "/exhibitions".into(),
        is_later_page,
        exhibitions: page.items,
        ctx,
    })
}

async fn load(state: &AppState, slug: &str) -> Result<Exhibition, AppError> {
    let slug = Slug::parse(slug).map_err(|_| AppError::NotFound)?;
    state
        .catalogue
        .exhibition(&slug, Visibility::Public)
        .await?
        .ok_or(AppError::NotFound)
}

#[derive(Template)]
#[template(path = "exhibition_show.html")]
struct ExhibitionPage {
    ctx: PageCtx,
    ex: Exhibition,
    /// The exhibition's address: public, or the editor's preview.
    home: String,
    /// The preview banner, when an editor previews.
    preview: Option<String>,
    /// The exhibition's IIIF collection (published exhibitions only, so not on previews).
    collection: Option<String>,
}

#[tracing::instrument(skip_all, fields(%slug))]
pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let ex = load(&state, &slug).await?;
    let home = format!("/exhibitions/{}", ex.summary.slug);
    exhibition_page(ctx, ex, home, None)
}

/// The exhibition page of `ex`, whose stops link below `home`; with a banner on previews.
pub fn exhibition_page(
    ctx: PageCtx,
    ex: Exhibition,
    home: String,
    preview: Option<String>,
) -> Result<Response, AppError> {
    let collection = preview
        .is_none()
        .then(|| Urls(&ctx.public_url).collection(ex.summary.slug.as_str()));
    render(&ExhibitionPage {
        ctx,
        ex,
        home,
        preview,
        collection,
    })
}

#[derive(Template)]
#[template(path = "stop_show.html")]
struct StopPage {
    ctx: PageCtx,
    ex: Exhibition,
    stop: Stop,
    total: usize,
    prev: Option<i64>,
    next: Option<i64>,
    progress_label: String,
    /// The stop's audio guide, with its transcript.
    audio: Option<MediaView>,
    home: String,
    preview: Option<String>,
}

#[tracing::instrument(skip_all, fields(%slug, %number))]
pub async fn stop(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((slug, number)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let ex = load(&state, &slug).await?;
    let home = format!("/exhibitions/{}", ex.summary.slug);
    stop_page(&state, ctx, ex, &number, home, None).await
}

/// Stop `number` of `ex`, with its audio guide; links go below `home`.
pub async fn stop_page(
    state: &AppState,
    ctx: PageCtx,
    ex: Exhibition,
    number: &str,
    home: String,
    preview: Option<String>,
) -> Result<Response, AppError> {
    let number: usize = number.parse().map_err(|_| AppError::NotFound)?;
    let total = ex.stops.len();
    if number == 0 || number > total {
        return Err(AppError::NotFound);
    }
    let stop = ex.stops[number - 1].clone();
    let audio = audio_guide(state, &stop, ctx.lang).await?;
    let progress_label = ctx.tr.with(
        "stop-progress",
        &[("n", &number.to_string()), ("total", &total.to_string())],
    );
    render(&StopPage {
        prev: (number > 1).then(|| number as i64 - 1),
        next: (number < total).then(|| number as i64 + 1),
        progress_label,
        total,
        stop,
        audio,
        ex,
        home,
        preview,
        ctx,
    })
}

/// A stop's audio guide, with its transcript, if it has one.
pub async fn audio_guide(
    state: &AppState,
    stop: &Stop,
    lang: Lang,
) -> Result<Option<MediaView>, AppError> {
    Ok(guide_recording(state, stop).await?.map(|m| view(&m, lang)))
}

/// The recording a stop plays as its audio guide, if it has one.
pub async fn guide_recording(state: &AppState, stop: &Stop) -> Result<Option<Media>, AppError> {
    let Some(id) = stop.audio else {
        return Ok(None);
    };
    Ok(state
        .catalogue
        .media(id)
        .await?
        // Only a file of the stop's own item, which is public when the stop is.
        .filter(|(owner, m)| owner.item_id == stop.item.id && m.kind == MediaKind::Audio)
        .map(|(_, m)| m))
}

/// One printed label: an item of the exhibition with its QR code.
struct Label {
    item: crate::catalogue::model::ItemSummary,
    /// Where the QR code leads: the item's short link.
    url: String,
    /// The QR code, inline SVG.
    qr: String,
    /// The Chinese summary, cut to fit a label.
    short_zh: String,
}

#[derive(Template)]
#[template(path = "exhibition_labels.html")]
struct LabelsPage {
    ctx: PageCtx,
    ex: Exhibition,
    labels: Vec<Label>,
}

/// Text of at most `max` characters, cut at a sentence end when one is near.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    let sentence_end = cut
        .char_indices()
        .rev()
        .find(|(_, c)| matches!(c, '。' | '！' | '？' | '.'))
        .map(|(i, c)| i + c.len_utf8());
    match sentence_end {
        Some(end) if end > cut.len() / 2 => cut[..end].to_owned(),
        _ => format!("{cut}…"),
    }
}

/// `/exhibitions/{slug}/labels`: the bilingual labels for the physical base, one per stop,
/// printable on A4 — accession number, Chinese title, the Mongolian title set vertically,
/// a short text, the English title, and a QR code to the item's page.
#[tracing::instrument(skip_all, fields(%slug))]
pub async fn labels(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let ex = load(&state, &slug).await?;
    let labels = ex
        .stops
        .iter()
        .map(|s| {
            let url = format!("{}/q/{}", state.config.public_url, s.item.accession);
            Ok(Label {
                qr: crate::web::qr::svg(&url)?,
                short_zh: shorten(s.item.summary.zh.as_deref().unwrap_or(""), 90),
                item: s.item.clone(),
                url,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    render(&LabelsPage { ctx, ex, labels })
}

#[cfg(test)]
mod tests {
    use super::shorten;

    #[test]
    fn long_texts_are_cut_at_a_sentence_or_marked() {
        assert_eq!(shorten("短句。", 90), "短句。");
        let long = format!("{}。{}", "甲".repeat(60), "乙".repeat(60));
        assert_eq!(shorten(&long, 90), format!("{}。", "甲".repeat(60)));
        assert_eq!(
            shorten(&"丙".repeat(100), 10),
            format!("{}…", "丙".repeat(10))
        );
    }
}
