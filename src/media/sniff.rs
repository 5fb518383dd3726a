//! Deciding what a file is from its bytes, never from its name or a client's claim.

use crate::catalogue::types::MediaKind;

/// What the bytes of a file say it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sniffed {
    /// Image, audio, video or document.
    pub kind: MediaKind,
    /// The MIME type we will serve it with.
    pub mime: &'static str,
}

/// The allow-list: the types the gallery can show and the browser can play.
const ALLOWED: &[(&str, MediaKind)] = &[
    ("image/jpeg", MediaKind::Image),
    ("image/png", MediaKind::Image),
    ("image/webp", MediaKind::Image),
    ("image/tiff", MediaKind::Image),
    ("audio/mpeg", MediaKind::Audio),
    ("audio/m4a", MediaKind::Audio),
    ("audio/aac", MediaKind::Audio),
    ("audio/ogg", MediaKind::Audio),
    ("audio/opus", MediaKind::Audio),
    ("audio/x-flac", MediaKind::Audio),
    ("audio/x-wav", MediaKind::Audio),
    ("video/mp4", MediaKind::Video),
    ("video/webm", MediaKind::Video),
    ("application/pdf", MediaKind::Document),
];

/// Sniffs the first bytes of a file (a few KiB are enough). `Err` names the detected type
/// (or "unknown") when it is not on the allow-list.
pub fn sniff(head: &[u8]) -> Result<Sniffed, String> {
    let Some(found) = infer::get(head) else {
        return Err("unknown".into());
    };
    ALLOWED
        .iter()
        .find(|(mime, _)| *mime == found.mime_type())
        .map(|(mime, kind)| Sniffed {
            kind: *kind,
            mime: normalise(mime),
        })
        .ok_or_else(|| found.mime_type().to_owned())
}

/// The registered MIME type for the names `infer` uses.
fn normalise(mime: &'static str) -> &'static str {
    match mime {
        "audio/m4a" => "audio/mp4",
        // Opus in an Ogg file (RFC 7845); `audio/opus` names bare Opus packets in RTP.
        "audio/opus" => "audio/ogg",
        "audio/x-flac" => "audio/flac",
        "audio/x-wav" => "audio/wav",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_recognised_by_their_magic_bytes() {
        let jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F', 0];
        assert_eq!(sniff(&jpeg).unwrap().mime, "image/jpeg");
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert_eq!(sniff(png).unwrap().kind, MediaKind::Image);
    }

    #[test]
    fn ogg_opus_recordings_are_audio_served_as_ogg() {
        // The first page of an Ogg file whose first packet is an Opus header.
        let mut page = b"OggS\0\x02".to_vec();
        page.resize(28, 0);
        page.extend_from_slice(b"OpusHead\x01\x01\x38\x01\x80\xbb\0\0\0\0\0");
        let found = sniff(&page).unwrap();
        assert_eq!((found.kind, found.mime), (MediaKind::Audio, "audio/ogg"));
    }

    #[test]
    fn html_and_unknown_bytes_are_refused_with_their_type_named() {
        assert_eq!(sniff(b"just some text").unwrap_err(), "unknown");
        let err = sniff(b"PK\x03\x04\x14\0\0\0\x08\0").unwrap_err();
        assert_eq!(err, "application/zip");
    }
}
