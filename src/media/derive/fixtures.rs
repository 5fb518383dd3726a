//! Test images made on the spot, so every fixture's content is visible in code: photo-like
//! pixels, JPEGs carrying EXIF (with GPS) and ICC segments, minimal matrix/TRC ICC profiles
//! and a PNG header that lies about its size.

/// A metadata segment to put in a test JPEG.
pub enum Segment {
    /// APP1 `Exif\0\0` followed by these TIFF bytes.
    Exif(Vec<u8>),
    /// An ICC profile, split into APP2 chunks as needed.
    Icc(Vec<u8>),
}

/// Photo-like RGB pixels: smooth gradients with fine, deterministic grain, which lossy
/// codecs compress well and lossless ones do not.
pub fn photo(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity((width * height * 3) as usize);
    for y in 0..height {
        for x in 0..width {
            let grain = (x.wrapping_mul(73_856_093) ^ y.wrapping_mul(19_349_663)) % 24;
            out.extend_from_slice(&[
                (x * 200 / width.max(1) + grain) as u8,
                (y * 200 / height.max(1) + grain) as u8,
                (90 + grain) as u8,
            ]);
        }
    }
    out
}

/// A quality-90 JPEG of `rgb` with `segments`.
pub fn jpeg(rgb: &[u8], width: u32, height: u32, segments: &[Segment]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, 90);
    for segment in segments {
        match segment {
            Segment::Exif(tiff) => encoder.add_exif_metadata(tiff).unwrap(),
            Segment::Icc(icc) => encoder.add_icc_profile(icc).unwrap(),
        }
    }
    encoder
        .encode(
            rgb,
            width as u16,
            height as u16,
            jpeg_encoder::ColorType::Rgb,
        )
        .unwrap();
    out
}

/// EXIF (little-endian TIFF) with an orientation tag and a GPS block (latitude ref "N").
pub fn exif(orientation: u16) -> Vec<u8> {
    let mut t = b"II\x2A\x00\x08\x00\x00\x00".to_vec();
    // IFD0 at 8: two entries, then the GPS IFD at 8 + 2 + 2 × 12 + 4 = 38.
    t.extend_from_slice(&2u16.to_le_bytes());
    t.extend_from_slice(&[0x12, 0x01, 3, 0, 1, 0, 0, 0]);
    t.extend_from_slice(&orientation.to_le_bytes());
    t.extend_from_slice(&[0, 0]);
    t.extend_from_slice(&[0x25, 0x88, 4, 0, 1, 0, 0, 0, 38, 0, 0, 0]);
    t.extend_from_slice(&[0; 4]);
    // GPS IFD: GPSLatitudeRef = "N".
    t.extend_from_slice(&1u16.to_le_bytes());
    t.extend_from_slice(&[1, 0, 2, 0, 2, 0, 0, 0, b'N', 0, 0, 0]);
    t.extend_from_slice(&[0; 4]);
    t
}

/// Red, green and blue colorants (XYZ, adapted to D50) of a profile.
pub type Colorants = [[f64; 3]; 3];

/// Adobe RGB (1998), a wide-gamut space: the colorants of its published ICC profile.
pub const ADOBE_RGB_D50: Colorants = [
    [0.609_74, 0.311_11, 0.019_47],
    [0.205_28, 0.625_67, 0.060_87],
    [0.149_19, 0.063_22, 0.744_57],
];

/// sRGB (IEC 61966-2-1), colorants as in its usual ICC profiles.
pub const SRGB_D50: Colorants = [
    [0.436_07, 0.222_49, 0.013_93],
    [0.385_07, 0.716_87, 0.097_10],
    [0.143_08, 0.060_61, 0.714_17],
];

/// A tone curve.
pub enum Trc {
    /// Pure gamma 2.2 (563/256), Adobe RGB's.
    Gamma22,
    /// The sRGB curve, as a 1024-entry table.
    Srgb,
}

/// A minimal ICC v2 display profile: white point, colorants and tone curves.
pub fn icc_profile(colorants: Colorants, trc: Trc) -> Vec<u8> {
    let xyz = |v: [f64; 3]| {
        let mut t = b"XYZ \0\0\0\0".to_vec();
        for c in v {
            t.extend_from_slice(&((c * 65536.0).round() as i32).to_be_bytes());
        }
        t
    };
    let curve = match trc {
        Trc::Gamma22 => [
            b"curv\0\0\0\0".as_slice(),
            &1u32.to_be_bytes(),
            &[0x02, 0x33],
        ]
        .concat(),
        Trc::Srgb => {
            let mut t = [b"curv\0\0\0\0".as_slice(), &1024u32.to_be_bytes()].concat();
            for i in 0..1024 {
                let v = f64::from(i) / 1023.0;
                let linear = if v <= 0.04045 {
                    v / 12.92
                } else {
                    ((v + 0.055) / 1.055).powf(2.4)
                };
                t.extend_from_slice(&((linear * 65535.0).round() as u16).to_be_bytes());
            }
            t
        }
    };
    let tags: Vec<(&[u8; 4], Vec<u8>)> = vec![
        (b"wtpt", xyz([0.9642, 1.0, 0.8249])),
        (b"rXYZ", xyz(colorants[0])),
        (b"gXYZ", xyz(colorants[1])),
        (b"bXYZ", xyz(colorants[2])),
        (b"rTRC", curve.clone()),
        (b"gTRC", curve.clone()),
        (b"bTRC", curve),
    ];
    let mut table = (tags.len() as u32).to_be_bytes().to_vec();
    let mut data = Vec::new();
    let mut offset = 128 + 4 + 12 * tags.len();
    for (sig, body) in &tags {
        table.extend_from_slice(*sig);
        table.extend_from_slice(&(offset as u32).to_be_bytes());
        table.extend_from_slice(&(body.len() as u32).to_be_bytes());
        data.extend_from_slice(body);
        // Tags start on 4-byte boundaries.
        while data.len() % 4 != 0 {
            data.push(0);
        }
        offset = 128 + 4 + 12 * tags.len() + data.len();
    }
    let size = 128 + table.len() + data.len();
    let mut header = vec![0u8; 128];
    header[0..4].copy_from_slice(&(size as u32).to_be_bytes());
    header[8..12].copy_from_slice(&[2, 0x10, 0, 0]);
    header[12..16].copy_from_slice(b"mntr");
    header[16..20].copy_from_slice(b"RGB ");
    header[20..24].copy_from_slice(b"XYZ ");
    header[36..40].copy_from_slice(b"acsp");
    header[68..80].copy_from_slice(&xyz([0.9642, 1.0, 0.8249])[8..]);
    [header, table, data].concat()
}

/// A PNG that announces `width` × `height` RGB pixels but holds a few bytes of data: what
/// a decompression bomb's header looks like.
pub fn png_header(width: u32, height: u32) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let ihdr = [
        width.to_be_bytes().as_slice(),
        &height.to_be_bytes(),
        &[8, 2, 0, 0, 0],
    ]
    .concat();
    for (kind, body) in [
        (b"IHDR", ihdr),
        (b"IDAT", vec![0x78, 0x9C, 0x62, 0, 0]),
        (b"IEND", vec![]),
    ] {
        png.extend_from_slice(&(body.len() as u32).to_be_bytes());
        let typed = [kind.as_slice(), &body].concat();
        png.extend_from_slice(&typed);
        png.extend_from_slice(&crc32(&typed).to_be_bytes());
    }
    png
}

/// CRC-32 as PNG chunks use it.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// True if `jpeg` has an APP1 segment (where EXIF, GPS and XMP live) before its image data.
pub fn has_app1(jpeg: &[u8]) -> bool {
    let mut pos = 2;
    while let (Some(&0xFF), Some(&marker)) = (jpeg.get(pos), jpeg.get(pos + 1)) {
        if marker == 0xE1 {
            return true;
        }
        if marker == 0xDA {
            return false;
        }
        let len = u16::from_be_bytes([jpeg[pos + 2], jpeg[pos + 3]]);
        pos += 2 + usize::from(len);
    }
    false
}
