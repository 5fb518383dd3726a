//! The full answer to a media request: which file, whether it is public, conditional
//! requests, ranges (single, multiple, unsatisfiable), streaming or memory, and the
//! headers every media answer carries. Answers worth repeating are remembered in the
//! [`ServeCache`](super::ServeCache) for the fast path.

use super::Prepared;
use super::source::Source;
use crate::app::AppState;
use crate::catalogue::model::TrackKind;
use crate::catalogue::repo::ServedMedia;
use crate::catalogue::types::MediaKind;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::media::Variant;
use crate::media::hot::MAX_CACHED_FILE;
use crate::repo::Visibility;
use crate::store::{BlobKey, Sha256Hex};
use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use std::sync::Arc;

/// Above this, a multi-range request is answered with the whole file (RFC 9110 allows it).
const MAX_MULTIRANGE_BYTES: u64 = 32 << 20;

/// What the request asks for.
enum Want {
    Original,
    Derived(Variant),
    Track(TrackKind, Lang),
}

fn parse_variant(variant: &str) -> Option<Want> {
    if variant == "original" {
        return Some(Want::Original);
    }
    if let Some(v) = Variant::from_name(variant) {
        return Some(Want::Derived(v));
    }
    let (kind, lang) = variant.strip_suffix(".vtt")?.split_once('.')?;
    Some(Want::Track(TrackKind::parse(kind)?, lang.parse().ok()?))
}

/// The public record of a hash, remembered briefly.
pub(crate) async fn public(
    state: &AppState,
    sha: &Sha256Hex,
) -> Result<Option<Arc<ServedMedia>>, AppError> {
    if let Some(known) = state.hot.public(sha) {
        return Ok(known);
    }
    let found = state
        .catalogue
        .media_by_sha256(sha.as_str(), Visibility::Public)
        .await?
        .map(Arc::new);
    state.hot.set_public(sha, found.clone());
    Ok(found)
}

#[tracing::instrument(skip_all, fields(%sha256, %variant))]
pub(super) async fn answer(
    state: &AppState,
    sha256: &str,
    variant: &str,
    path: &str,
    headers: &HeaderMap,
) -> Result<Response, AppError> {
    let variant = variant.to_owned();
    let sha = Sha256Hex::parse(sha256).ok_or(AppError::NotFound)?;
    let want = parse_variant(&variant).ok_or(AppError::NotFound)?;
    let media = public(state, &sha).await?.ok_or(AppError::NotFound)?;
    if let Want::Track(kind, lang) = want {
        let vtt = state
            .catalogue
            .media_track(sha.as_str(), lang, kind, Visibility::Public)
            .await?
            .ok_or(AppError::NotFound)?;
        let vtt = match lang {
            Lang::Mn => crate::media::vtt::in_columns(&vtt),
            _ => vtt,
        };
        // Tracks can be corrected, so they are revalidated rather than cached for a year.
        return Ok((
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/vtt; charset=utf-8"),
                ),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=300"),
                ),
            ],
            vtt,
        )
            .into_response());
    }

    let etag = format!("\"{sha}.{variant}\"");
    if matches_etag(headers, &etag) {
        return Ok(with_common(
            StatusCode::NOT_MODIFIED.into_response(),
            &etag,
            None,
            &media,
            &variant,
        ));
    }
    let (content_type, source) = match want {
        Want::Derived(v) => {
            if media.kind != MediaKind::Image {
                return Err(AppError::NotFound);
            }
            let bytes = match state.hot.get(&sha, &variant) {
                Some(b) => b,
                None => {
                    let made = state
                        .derivatives
                        .get(&sha, v)
                        .await
                        .map_err(unreadable)?
                        .ok_or_else(|| {
                            tracing::error!("media record without its original");
                            AppError::NotFound
                        })?;
                    let b = Bytes::from(made);
                    state.hot.put(&sha, &variant, b.clone());
                    b
                }
            };
            (v.mime(), Source::Memory(bytes))
        }
        Want::Original => {
            let key = BlobKey::Original(sha.clone());
            let source = match state.hot.get(&sha, "original") {
                Some(b) => Source::Memory(b),
                None => {
                    let size = state.blobs.size(&key).await?.ok_or_else(|| {
                        tracing::error!("media record without its file");
                        AppError::NotFound
                    })?;
                    if size <= MAX_CACHED_FILE {
                        let b =
                            Bytes::from(state.blobs.read(&key).await?.ok_or(AppError::NotFound)?);
                        state.hot.put(&sha, "original", b.clone());
                        Source::Memory(b)
                    } else {
                        Source::Store(key, size)
                    }
                }
            };
            (media.mime.as_str(), source)
        }
        Want::Track(..) => unreachable!("answered above"),
    };
    // What the fast path needs to answer the same request (or a range of it) next time.
    let (remember_bytes, total) = match &source {
        Source::Memory(b) => (Some(b.clone()), b.len() as u64),
        Source::Store(_, n) => (None, *n),
    };
    let file = match &want {
        Want::Derived(v) => state
            .blobs
            .local_path(&BlobKey::Derivative(sha.clone(), v.name())),
        _ => state.blobs.local_path(&BlobKey::Original(sha.clone())),
    };
    let response = respond(state, headers, &etag, content_type, source).await?;
    let response = with_common(response, &etag, Some(content_type), &media, &variant);
    if matches!(
        response.status(),
        StatusCode::OK | StatusCode::PARTIAL_CONTENT
    ) {
        let mut full_headers = response.headers().clone();
        full_headers.remove(header::CONTENT_RANGE);
        full_headers.insert(header::CONTENT_LENGTH, HeaderValue::from(total));
        if !full_headers.contains_key(header::CONTENT_TYPE)
            || response.status() == StatusCode::PARTIAL_CONTENT
        {
            full_headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_str(content_type)
                    .unwrap_or(HeaderValue::from_static("application/octet-stream")),
            );
        }
        let prepared = Prepared {
            bytes: remember_bytes,
            total,
            sha: sha.clone(),
            etag: etag.clone(),
            headers: full_headers,
            file,
            wire: Default::default(),
            open: Default::default(),
        };
        state.served.insert(path, prepared);
    }
    Ok(response)
}

/// True when `If-None-Match` names this entity (or `*`).
fn matches_etag(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| etag_listed(v, etag))
}

/// True when one `If-None-Match` value names this entity (or is `*`).
pub(super) fn etag_listed(value: &str, etag: &str) -> bool {
    value
        .split(',')
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == etag || t == "*")
}

/// The full body, one range (206), several ranges (206 multipart/byteranges), or 416.
async fn respond(
    state: &AppState,
    headers: &HeaderMap,
    etag: &str,
    content_type: &str,
    source: Source,
) -> Result<Response, AppError> {
    let total = source.len();
    let range_header = headers.get(header::RANGE).and_then(|v| v.to_str().ok());
    // `If-Range` with another validator means the client's partial copy is stale: send all.
    let if_range_ok = headers
        .get(header::IF_RANGE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v.trim() == etag);
    let full = |source: Source| async move {
        let body = match &source {
            Source::Memory(b) => Body::from(b.clone()),
            Source::Store(..) if total == 0 => Body::empty(),
            Source::Store(..) => source.range(state, &(0..=total - 1)).await?,
        };
        let mut r = Response::new(body);
        r.headers_mut()
            .insert(header::CONTENT_LENGTH, HeaderValue::from(total));
        Ok::<_, AppError>(r)
    };
    let Some(range_header) = range_header.filter(|_| if_range_ok) else {
        return full(source).await;
    };
    let parsed = match http_range_header::parse_range_header(range_header) {
        Ok(p) => p,
        // A Range header we cannot parse is ignored, as RFC 9110 asks.
        Err(_) => return full(source).await,
    };
    let ranges = match parsed.validate(total) {
        Ok(r) if r.is_empty() => return full(source).await,
        Ok(r) => r,
        Err(_) => {
            let mut r = StatusCode::RANGE_NOT_SATISFIABLE.into_response();
            r.headers_mut().insert(
                header::CONTENT_RANGE,
                HeaderValue::from_str(&format!("bytes */{total}")).expect("ASCII"),
            );
            return Ok(r);
        }
    };
    if ranges.len() == 1 {
        let range = &ranges[0];
        let mut r = Response::new(source.range(state, range).await?);
        *r.status_mut() = StatusCode::PARTIAL_CONTENT;
        r.headers_mut().insert(
            header::CONTENT_RANGE,
            HeaderValue::from_str(&format!("bytes {}-{}/{total}", range.start(), range.end()))
                .expect("ASCII"),
        );
        r.headers_mut().insert(
            header::CONTENT_LENGTH,
            HeaderValue::from(range.end() - range.start() + 1),
        );
        return Ok(r);
    }
    let wanted: u64 = ranges.iter().map(|r| r.end() - r.start() + 1).sum();
    if wanted > MAX_MULTIRANGE_BYTES {
        return full(source).await;
    }
    let boundary = format!("edubase-{}", &etag.trim_matches('"')[..16]);
    let mut body = Vec::with_capacity(wanted as usize + ranges.len() * 128);
    for range in &ranges {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Type: {content_type}\r\nContent-Range: bytes {}-{}/{total}\r\n\r\n",
                range.start(),
                range.end()
            )
            .as_bytes(),
        );
        body.extend_from_slice(&source.collect(state, range).await?);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = StatusCode::PARTIAL_CONTENT;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&format!("multipart/byteranges; boundary={boundary}"))
            .expect("ASCII"),
    );
    Ok(r)
}

/// Headers every media answer carries.
fn with_common(
    mut r: Response,
    etag: &str,
    content_type: Option<&str>,
    media: &ServedMedia,
    variant: &str,
) -> Response {
    let h = r.headers_mut();
    if let Some(ct) = content_type
        && !h.contains_key(header::CONTENT_TYPE)
    {
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_str(ct)
                .unwrap_or(HeaderValue::from_static("application/octet-stream")),
        );
    }
    h.insert(
        header::ETAG,
        HeaderValue::from_str(etag).expect("hex and dots"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // Never let a browser run an uploaded file as a page of this site.
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    h.insert(header::CONTENT_DISPOSITION, disposition(media, variant));
    r
}

/// `inline`, with the uploaded name (RFC 6266 / 5987) so "save as" keeps it.
fn disposition(media: &ServedMedia, variant: &str) -> HeaderValue {
    let name = if variant == "original" {
        media.original_name.clone()
    } else {
        let stem = media
            .original_name
            .rsplit_once('.')
            .map(|(s, _)| s)
            .unwrap_or(&media.original_name);
        format!("{stem}-{variant}")
    };
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-._".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = form_urlencoded::byte_serialize(name.as_bytes())
        .collect::<String>()
        .replace('+', "%20");
    HeaderValue::from_str(&format!(
        "inline; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"
    ))
    .unwrap_or(HeaderValue::from_static("inline"))
}

/// A derivative that failed because the original cannot be read is the file's fault, not
/// the server's: say so (422) instead of a 500, and log it for the curators.
fn unreadable(e: anyhow::Error) -> AppError {
    match e.downcast_ref::<crate::media::derive::DeriveError>() {
        Some(d) if !matches!(d, crate::media::derive::DeriveError::Internal(_)) => {
            tracing::warn!(error = %d, "an original image cannot be made into a derivative");
            AppError::Unprocessable(format!("this image cannot be shown: {d}"))
        }
        _ => AppError::Internal(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_and_tracks_are_recognised() {
        assert!(matches!(parse_variant("original"), Some(Want::Original)));
        assert!(matches!(parse_variant("w400.jpg"), Some(Want::Derived(_))));
        assert!(matches!(
            parse_variant("captions.zh.vtt"),
            Some(Want::Track(TrackKind::Captions, Lang::Zh))
        ));
        for bad in [
            "w401.jpg",
            "../original",
            "captions.fr.vtt",
            "karaoke.zh.vtt",
            "",
        ] {
            assert!(parse_variant(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn file_names_survive_in_content_disposition() {
        let media = ServedMedia {
            kind: MediaKind::Image,
            mime: "image/jpeg".into(),
            bytes: 1,
            original_name: "马鞍 \"正面\".jpg".into(),
        };
        let v = disposition(&media, "original");
        let v = v.to_str().unwrap();
        assert!(
            v.starts_with("inline; filename=\"") && v.contains("filename*=UTF-8''%E9%A9%AC"),
            "{v}"
        );
        assert!(!v.contains("\"正"), "{v}");
    }
}
