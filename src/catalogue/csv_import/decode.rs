//! Turning the bytes of an uploaded CSV into text: UTF-8 with or without a byte-order mark,
//! or GBK/GB18030 as Excel on a Chinese Windows saves "CSV (逗号分隔)". Anything else is
//! refused with the position of the first byte that fits neither.

use encoding_rs::{DecoderResult, GB18030};

/// How the file was encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 without a byte-order mark.
    Utf8,
    /// UTF-8 with a byte-order mark (Excel's "CSV UTF-8").
    Utf8Bom,
    /// GBK or GB18030 (Excel's plain "CSV" on Chinese Windows).
    Gb18030,
}

/// Bytes that are neither UTF-8 nor GB18030.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadEncoding {
    /// 0-based offset of the first bad byte.
    pub offset: usize,
    /// 1-based line of that byte.
    pub line: usize,
    /// The byte itself.
    pub byte: u8,
    /// True for UTF-16 (Excel's "Unicode text"), which needs saving again as CSV.
    pub utf16: bool,
}

fn line_at(bytes: &[u8], offset: usize) -> usize {
    bytes[..offset.min(bytes.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

fn bad(bytes: &[u8], offset: usize) -> BadEncoding {
    BadEncoding {
        offset,
        line: line_at(bytes, offset),
        byte: bytes.get(offset).copied().unwrap_or(0),
        utf16: false,
    }
}

/// Decodes a CSV file's bytes.
pub fn decode(bytes: &[u8]) -> Result<(String, Encoding), BadEncoding> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(BadEncoding {
            utf16: true,
            ..bad(bytes, 0)
        });
    }
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        // A byte-order mark promises UTF-8; a file that breaks the promise is damaged.
        return match std::str::from_utf8(rest) {
            Ok(text) => Ok((text.to_owned(), Encoding::Utf8Bom)),
            Err(e) => Err(bad(bytes, e.valid_up_to() + 3)),
        };
    }
    let utf8_error = match std::str::from_utf8(bytes) {
        Ok(text) => return Ok((text.to_owned(), Encoding::Utf8)),
        Err(e) => e.valid_up_to(),
    };
    let mut decoder = GB18030.new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len() * 3);
    let mut text = String::with_capacity(capacity);
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut text, true);
    match result {
        DecoderResult::InputEmpty => Ok((text, Encoding::Gb18030)),
        DecoderResult::Malformed(len, after) => {
            let gb_error = read.saturating_sub(usize::from(len) + usize::from(after));
            // Text that is UTF-8 up to its first non-ASCII character was meant as UTF-8:
            // name that character's byte. Otherwise it was meant as GBK: name where GBK fails.
            let meant_utf8 = !bytes[..utf8_error].is_ascii();
            Err(bad(bytes, if meant_utf8 { utf8_error } else { gb_error }))
        }
        DecoderResult::OutputFull => Err(bad(bytes, read)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_a_byte_order_mark_is_read_as_is() {
        assert_eq!(
            decode("编号,标题\n".as_bytes()).unwrap(),
            ("编号,标题\n".into(), Encoding::Utf8)
        );
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("编号\n".as_bytes());
        assert_eq!(decode(&bom).unwrap(), ("编号\n".into(), Encoding::Utf8Bom));
    }

    #[test]
    fn gbk_from_excel_is_detected_and_converted() {
        let (gbk, _, _) = GB18030.encode("编号,标题\nKZ-1,安代舞\n");
        assert_eq!(
            decode(&gbk).unwrap(),
            ("编号,标题\nKZ-1,安代舞\n".into(), Encoding::Gb18030)
        );
    }

    #[test]
    fn bytes_of_neither_encoding_are_refused_with_their_position() {
        // Latin-1 "café," on line 2: 0xE9 followed by a comma is neither UTF-8 nor GBK.
        let err = decode(b"accession,title_zh\nA-1,caf\xe9,x\n").unwrap_err();
        assert_eq!((err.offset, err.line, err.byte), (26, 2, 0xE9));
        let err = decode(&[0xFF, 0xFE, b'a', 0]).unwrap_err();
        assert!(err.utf16);
        let err = decode(b"\xEF\xBB\xBFok\n\xff").unwrap_err();
        assert_eq!((err.offset, err.line), (6, 2));
    }
}
