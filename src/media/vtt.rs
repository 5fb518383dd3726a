//! WebVTT captions and transcripts: checked on upload, read into cues for the transcript
//! panel beside the audio player.

/// One cue: a span of time and its text (markup tags removed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cue {
    /// Start, in milliseconds.
    pub start_ms: u64,
    /// End, in milliseconds.
    pub end_ms: u64,
    /// The words, plain text.
    pub text: String,
}

impl Cue {
    /// "1:05" or "1:02:05", for the transcript.
    pub fn start_label(&self) -> String {
        let s = self.start_ms / 1000;
        if s >= 3600 {
            format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
        } else {
            format!("{}:{:02}", s / 60, s % 60)
        }
    }

    /// The start in seconds, for the player's `currentTime`.
    pub fn start_seconds(&self) -> String {
        format!("{:.3}", self.start_ms as f64 / 1000.0)
    }
}

/// The largest track we accept.
pub const MAX_VTT_BYTES: usize = 2 << 20;

/// Parses a timestamp `hh:mm:ss.ttt` or `mm:ss.ttt`.
fn timestamp(s: &str) -> Option<u64> {
    let (clock, millis) = s.trim().split_once('.')?;
    if millis.len() != 3 || !millis.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let parts: Vec<&str> = clock.split(':').collect();
    let (h, m, sec) = match parts.as_slice() {
        [h, m, s] => (h.parse::<u64>().ok()?, *m, *s),
        [m, s] => (0, *m, *s),
        _ => return None,
    };
    if m.len() != 2 || sec.len() != 2 {
        return None;
    }
    let (m, sec): (u64, u64) = (m.parse().ok()?, sec.parse().ok()?);
    if m > 59 || sec > 59 {
        return None;
    }
    Some(((h * 60 + m) * 60 + sec) * 1000 + millis.parse::<u64>().ok()?)
}

/// Removes `<c.x>`, `<v Name>`, `<b>` … tags and decodes the few entities WebVTT allows.
fn plain(text: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

/// Checks a WebVTT file and returns its cues. `Err` says what is wrong and where.
pub fn parse(bytes: &[u8]) -> Result<Vec<Cue>, String> {
    if bytes.len() > MAX_VTT_BYTES {
        return Err(format!(
            "the track is larger than {} MB",
            MAX_VTT_BYTES >> 20
        ));
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|e| format!("the track is not UTF-8 text (at byte {})", e.valid_up_to()))?;
    let text = text
        .trim_start_matches('\u{feff}')
        .replace("\r\n", "\n")
        .replace('\r', "\n");
    let mut lines = text.lines().enumerate().peekable();
    match lines.next() {
        Some((_, first))
            if first == "WEBVTT"
                || first.starts_with("WEBVTT ")
                || first.starts_with("WEBVTT\t") => {}
        _ => return Err("a WebVTT track must start with the line \"WEBVTT\"".into()),
    }
    let mut cues = Vec::new();
    while let Some((number, line)) = lines.next() {
        let Some((start, rest)) = line.split_once("-->") else {
            continue;
        };
        let end = rest.split_whitespace().next().unwrap_or("");
        let line_no = number + 1;
        let (Some(start_ms), Some(end_ms)) = (timestamp(start), timestamp(end)) else {
            return Err(format!(
                "line {line_no}: cue times must look like 00:01:02.500 --> 00:01:05.000"
            ));
        };
        if end_ms < start_ms {
            return Err(format!("line {line_no}: the cue ends before it starts"));
        }
        let mut body = Vec::new();
        while let Some((_, l)) = lines.peek() {
            if l.trim().is_empty() {
                break;
            }
            body.push(plain(l));
            lines.next();
        }
        cues.push(Cue {
            start_ms,
            end_ms,
            text: body.join("\n"),
        });
    }
    if cues.is_empty() {
        return Err("the track has no cues".into());
    }
    Ok(cues)
}

/// A track in traditional Mongolian as players should draw it: every cue in a vertical
/// column (`vertical:lr`, the columns running left to right), unless the author chose a
/// direction. Timing lines are the only lines with `-->` (the format allows it nowhere
/// else), so they are found line by line.
pub fn in_columns(vtt: &str) -> String {
    let mut out = String::with_capacity(vtt.len() + 64);
    for line in vtt.split_inclusive('\n') {
        let (text, end) = match line.strip_suffix("\r\n") {
            Some(t) => (t, "\r\n"),
            None => match line.strip_suffix('\n') {
                Some(t) => (t, "\n"),
                None => (line, ""),
            },
        };
        out.push_str(text);
        if text.contains("-->") && !text.split_whitespace().any(|w| w.starts_with("vertical:")) {
            out.push_str(" vertical:lr");
        }
        out.push_str(end);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "WEBVTT\n\nNOTE recorded in Ganjig\n\n1\n00:00:01.000 --> 00:00:04.500 line:90%\n<v 说书人>很久很久以前，\n草原上……\n\n01:05.250 --> 01:07.000\n&lt;琴声&gt;\n";

    #[test]
    fn cues_are_read_with_times_and_plain_text() {
        let cues = parse(SAMPLE.as_bytes()).unwrap();
        assert_eq!(cues.len(), 2);
        assert_eq!((cues[0].start_ms, cues[0].end_ms), (1000, 4500));
        assert_eq!(cues[0].text, "很久很久以前，\n草原上……");
        assert_eq!(cues[1].start_ms, 65_250);
        assert_eq!(cues[1].text, "<琴声>");
        assert_eq!(cues[1].start_label(), "1:05");
    }

    #[test]
    fn mongolian_cues_are_set_in_columns_unless_the_author_chose() {
        let vtt = "WEBVTT\r\n\r\n00:01.000 --> 00:02.000\r\nᠮᠣᠩᠭᠣᠯ\r\n\r\n00:03.000 --> 00:04.000 vertical:rl line:10%\nᠮᠣᠩᠭᠣᠯ";
        assert_eq!(
            in_columns(vtt),
            "WEBVTT\r\n\r\n00:01.000 --> 00:02.000 vertical:lr\r\nᠮᠣᠩᠭᠣᠯ\r\n\r\n00:03.000 --> 00:04.000 vertical:rl line:10%\nᠮᠣᠩᠭᠣᠯ"
        );
        assert_eq!(parse(in_columns(vtt).as_bytes()).unwrap().len(), 2);
    }

    #[test]
    fn broken_tracks_say_what_is_wrong() {
        assert!(
            parse(b"1\n00:00:01.000 --> 00:00:02.000\nhi")
                .unwrap_err()
                .contains("WEBVTT")
        );
        assert!(
            parse(b"WEBVTT\n\n00:00:01 --> 00:00:02.000\nhi")
                .unwrap_err()
                .contains("line 3")
        );
        assert!(
            parse(b"WEBVTT\n\n00:00:05.000 --> 00:00:02.000\nhi")
                .unwrap_err()
                .contains("ends before")
        );
        assert!(parse(b"WEBVTT\n").unwrap_err().contains("no cues"));
        assert!(parse(&[0x57, 0x45, 0xff]).unwrap_err().contains("UTF-8"));
    }
}
