//! Reading the facts of audio and video files — duration, picture size, codecs — from the
//! container alone, in pure Rust (symphonia's demuxers), with no ffmpeg at run time.

use std::path::Path;
use symphonia::core::codecs::CodecParameters;
use symphonia::core::codecs::audio::well_known as audio;
use symphonia::core::codecs::video::well_known as video;
use symphonia::core::formats::probe::Hint;
use symphonia::core::formats::{FormatOptions, FormatReader};
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::MetadataOptions;

/// What the container says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Probed {
    /// Length in milliseconds, when the container states it.
    pub duration_ms: Option<i64>,
    /// Picture width of the first video track.
    pub width: Option<i32>,
    /// Picture height of the first video track.
    pub height: Option<i32>,
    /// Codecs of the tracks, e.g. `["H.264", "AAC"]`.
    pub codecs: Vec<String>,
}

fn audio_name(id: symphonia::core::codecs::audio::AudioCodecId) -> String {
    match id {
        audio::CODEC_ID_AAC => "AAC".into(),
        audio::CODEC_ID_MP3 => "MP3".into(),
        audio::CODEC_ID_OPUS => "Opus".into(),
        audio::CODEC_ID_VORBIS => "Vorbis".into(),
        audio::CODEC_ID_FLAC => "FLAC".into(),
        other => {
            // The PCM family occupies ids 0x100–0x1ff.
            let hex = format!("{other}");
            match u32::from_str_radix(hex.trim_start_matches("0x"), 16) {
                Ok(0x100..=0x1ff) => "PCM".into(),
                _ => format!("audio codec {hex}"),
            }
        }
    }
}

fn video_name(id: symphonia::core::codecs::video::VideoCodecId) -> String {
    match id {
        video::CODEC_ID_H264 => "H.264".into(),
        video::CODEC_ID_HEVC => "HEVC".into(),
        video::CODEC_ID_VP8 => "VP8".into(),
        video::CODEC_ID_VP9 => "VP9".into(),
        video::CODEC_ID_AV1 => "AV1".into(),
        other => format!("video codec {other}"),
    }
}

/// Probes an audio or video file. `Err` says, in words, why it cannot be read.
pub fn probe(path: &Path) -> Result<Probed, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot open it: {e}"))?;
    let stream = MediaSourceStream::new(Box::new(file), Default::default());
    let reader: Box<dyn FormatReader> = symphonia::default::get_probe()
        .probe(
            &Hint::new(),
            stream,
            FormatOptions::default(),
            MetadataOptions::default(),
        )
        .map_err(|e| format!("its container cannot be read ({e})"))?;
    let mut probed = Probed::default();
    let mut longest: Option<f64> = None;
    for track in reader.tracks() {
        if let (Some(tb), Some(d)) = (track.time_base, track.duration)
            && let Some(t) = tb.calc_duration(d)
        {
            let secs = t.as_secs_f64();
            longest = Some(longest.map_or(secs, |l: f64| l.max(secs)));
        }
        match &track.codec_params {
            Some(CodecParameters::Video(v)) => {
                if probed.width.is_none() {
                    probed.width = v.width.map(i32::from);
                    probed.height = v.height.map(i32::from);
                }
                probed.codecs.push(video_name(v.codec));
            }
            Some(CodecParameters::Audio(a)) => probed.codecs.push(audio_name(a.codec)),
            _ => {}
        }
    }
    if probed.codecs.is_empty() {
        return Err("it has no audio or video track we can read".into());
    }
    probed.duration_ms = longest
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(|s| (s * 1000.0).round() as i64);
    Ok(probed)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A valid PCM WAV file of `seconds` of silence.
    pub fn wav(seconds: u32) -> Vec<u8> {
        let rate = 8000u32;
        let data_len = rate * seconds * 2;
        let mut v = Vec::new();
        v.extend_from_slice(b"RIFF");
        v.extend_from_slice(&(36 + data_len).to_le_bytes());
        v.extend_from_slice(b"WAVEfmt ");
        v.extend_from_slice(&16u32.to_le_bytes());
        v.extend_from_slice(&1u16.to_le_bytes()); // PCM
        v.extend_from_slice(&1u16.to_le_bytes()); // mono
        v.extend_from_slice(&rate.to_le_bytes());
        v.extend_from_slice(&(rate * 2).to_le_bytes());
        v.extend_from_slice(&2u16.to_le_bytes());
        v.extend_from_slice(&16u16.to_le_bytes());
        v.extend_from_slice(b"data");
        v.extend_from_slice(&data_len.to_le_bytes());
        v.resize(v.len() + data_len as usize, 0);
        v
    }

    #[test]
    fn wav_durations_are_read_from_the_header() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.wav");
        std::fs::write(&path, wav(3)).unwrap();
        let p = probe(&path).unwrap();
        assert_eq!(p.duration_ms, Some(3000));
        assert_eq!(p.codecs, vec!["PCM"]);
        assert_eq!(p.width, None);
    }

    #[test]
    fn garbage_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x");
        std::fs::write(&path, b"ID3\x04\0\0\0\0\0\0not really audio").unwrap();
        assert!(probe(&path).is_err());
    }
}
