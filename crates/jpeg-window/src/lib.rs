//! Decoding one window of a JPEG at a DCT scale, touching as little of the file as libjpeg
//! allows: rows above the window are skipped without their inverse DCT
//! (`jpeg_skip_scanlines`), only the iMCU columns the window covers are transformed
//! (`jpeg_crop_scanline`), and decoding stops at the window's last row. A 512-pixel tile of
//! a 96-megapixel photo costs the Huffman decoding of the rows down to it, not the whole
//! picture.
//!
//! libjpeg-turbo has both calls; the `mozjpeg` crate, which the server otherwise decodes
//! with, exposes neither. This crate calls them through `mozjpeg-sys` (the same C library,
//! built once) and is edubase's only `unsafe` code, kept apart so that the server crate can
//! go on forbidding it. Fatal libjpeg errors unwind out of the C code (it is compiled for
//! that) and are caught here, so a damaged file is an [`Error`], never a crash.

use mozjpeg_sys as ffi;
use std::ffi::{c_int, c_ulong};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// A rectangle of the image scaled by `eighths / 8`, in the scaled image's pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// Left edge.
    pub x: u32,
    /// Top edge.
    pub y: u32,
    /// Width, at least 1.
    pub width: u32,
    /// Height, at least 1.
    pub height: u32,
}

/// Decoded RGB pixels, rows packed, three bytes a pixel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rgb {
    /// `width × height × 3` bytes.
    pub data: Vec<u8>,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// Why a window could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The scale is not one of libjpeg's `1/8 … 8/8`.
    Scale(u8),
    /// The window is empty or reaches outside the scaled image (whose size is given).
    OutOfBounds(Window, u32, u32),
    /// The data ended before the window's last row.
    Truncated,
    /// libjpeg refused the file (its message).
    Libjpeg(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Scale(n) => write!(f, "a JPEG scale of {n}/8 is not one libjpeg offers"),
            Error::OutOfBounds(w, width, height) => write!(
                f,
                "the window {}×{} at {},{} is not inside the {width}×{height} image",
                w.width, w.height, w.x, w.y
            ),
            Error::Truncated => f.write_str("the JPEG data ends before the window does"),
            Error::Libjpeg(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {}

/// The size of the image after scaling by `eighths / 8`, as libjpeg computes it (rounded
/// up): the space [`Window`]s live in.
pub fn scaled_size(width: u32, height: u32, eighths: u8) -> (u32, u32) {
    let scale = |side: u32| {
        u32::try_from((u64::from(side) * u64::from(eighths)).div_ceil(8)).unwrap_or(u32::MAX)
    };
    (scale(width), scale(height))
}

/// Decodes `window` of `jpeg` scaled by `eighths / 8` (1 to 8) as RGB. Greyscale JPEGs come
/// out as RGB too; CMYK ones are refused by libjpeg.
pub fn decode_window(jpeg: &[u8], eighths: u8, window: Window) -> Result<Rgb, Error> {
    if !(1..=8).contains(&eighths) {
        return Err(Error::Scale(eighths));
    }
    match catch_unwind(AssertUnwindSafe(|| decode(jpeg, eighths, window))) {
        Ok(result) => result,
        Err(payload) => Err(Error::Libjpeg(
            payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| "libjpeg failed".to_owned()),
        )),
    }
}

/// A decompressor and its error manager, destroyed together (also while unwinding from a
/// libjpeg error, which is what frees libjpeg's memory pools then).
struct Decompressor {
    cinfo: Box<ffi::jpeg_decompress_struct>,
    // Referenced by `cinfo.common.err`; boxed so that the address stays put.
    _err: Box<ffi::jpeg_error_mgr>,
}

impl Decompressor {
    /// A decompressor reading `jpeg`, which must outlive it.
    fn new(jpeg: &[u8]) -> Decompressor {
        // SAFETY: both structs are plain C data for which all-zero is the state libjpeg
        // expects before `jpeg_std_error` and `jpeg_CreateDecompress` fill them in.
        let mut err: Box<ffi::jpeg_error_mgr> = Box::new(unsafe { std::mem::zeroed() });
        // SAFETY: as above.
        let mut cinfo: Box<ffi::jpeg_decompress_struct> = Box::new(unsafe { std::mem::zeroed() });
        // SAFETY: `err` is a valid, exclusively borrowed error manager.
        unsafe { ffi::jpeg_std_error(&mut err) };
        err.error_exit = Some(unwind_error_exit);
        err.emit_message = Some(ignore_message);
        cinfo.common.err = &mut *err;
        // SAFETY: `cinfo` is zeroed with a valid `err`, as `jpeg_CreateDecompress` requires.
        unsafe { ffi::jpeg_create_decompress(&mut *cinfo) };
        let mut d = Decompressor { cinfo, _err: err };
        // Lengths past `c_ulong` cannot occur on our targets; saturate rather than wrap.
        let len = c_ulong::try_from(jpeg.len()).unwrap_or(c_ulong::MAX);
        // SAFETY: the memory source reads `len` bytes from `jpeg`, which the caller keeps
        // alive for the decompressor's lifetime (it lives inside `decode` only).
        unsafe { ffi::jpeg_mem_src(&mut d.cinfo, jpeg.as_ptr(), len) };
        d
    }
}

impl Drop for Decompressor {
    fn drop(&mut self) {
        // SAFETY: `cinfo` was created by `jpeg_create_decompress` and is destroyed once.
        unsafe { ffi::jpeg_destroy_decompress(&mut self.cinfo) };
    }
}

/// Pixels decoded beyond each side of a window and thrown away (see `decode`).
const CROP_MARGIN: u32 = 16;

fn decode(jpeg: &[u8], eighths: u8, window: Window) -> Result<Rgb, Error> {
    let mut d = Decompressor::new(jpeg);
    let cinfo = &mut *d.cinfo;
    // The calls below follow libjpeg's documented order: header, parameters, start, crop,
    // skip, read; libjpeg errors unwind to `decode_window`'s `catch_unwind`.
    // SAFETY: `cinfo` is a live decompressor over a non-suspending memory source, in the
    // state `jpeg_create_decompress` and `jpeg_mem_src` left it.
    unsafe { ffi::jpeg_read_header(cinfo, 1) };
    cinfo.scale_num = eighths.into();
    cinfo.scale_denom = 8;
    cinfo.out_color_space = ffi::J_COLOR_SPACE::JCS_RGB;
    // SAFETY: the header is read and the output parameters set, as starting requires.
    unsafe { ffi::jpeg_start_decompress(cinfo) };
    let (out_w, out_h) = (cinfo.output_width, cinfo.output_height);
    let inside = window.width > 0
        && window.height > 0
        && window
            .x
            .checked_add(window.width)
            .is_some_and(|r| r <= out_w)
        && window
            .y
            .checked_add(window.height)
            .is_some_and(|b| b <= out_h);
    if !inside {
        return Err(Error::OutOfBounds(window, out_w, out_h));
    }
    // Fancy upsampling treats the edges of a cropped row as the image's edges, which changes
    // the colour of the pixels next to them; a margin keeps those pixels outside the window.
    let mut x = window.x.saturating_sub(CROP_MARGIN);
    let mut width = (window.x + window.width + CROP_MARGIN).min(out_w) - x;
    if (x, width) != (0, out_w) {
        // Moves `x` left to an iMCU boundary and widens `width` to match.
        // SAFETY: called after starting and before any scanline is read, with a window
        // inside the output width, as libjpeg requires.
        unsafe { ffi::jpeg_crop_scanline(cinfo, &mut x, &mut width) };
    }
    if window.y > 0 {
        // SAFETY: decompression is started and the source does not suspend (skipping with
        // a suspending source is undefined behaviour in libjpeg).
        let skipped = unsafe { ffi::jpeg_skip_scanlines(cinfo, window.y) };
        if skipped != window.y {
            return Err(Error::Truncated);
        }
    }
    let components = usize::try_from(cinfo.output_components).unwrap_or(0);
    if components != 3 {
        return Err(Error::Libjpeg(format!(
            "{components} output components where RGB has 3"
        )));
    }
    let row_len = cinfo.output_width as usize * 3;
    let from = (window.x - x) as usize * 3;
    let take = window.width as usize * 3;
    if from + take > row_len {
        return Err(Error::Libjpeg(
            "the cropped row is narrower than asked".into(),
        ));
    }
    let mut row = vec![0u8; row_len];
    let mut data = Vec::with_capacity(take * window.height as usize);
    for _ in 0..window.height {
        let mut rows = [row.as_mut_ptr()];
        // SAFETY: `rows` holds one pointer to `row_len` writable bytes, one output row.
        let read = unsafe { ffi::jpeg_read_scanlines(cinfo, rows.as_mut_ptr(), 1) };
        if read != 1 {
            return Err(Error::Truncated);
        }
        data.extend_from_slice(&row[from..from + take]);
    }
    // The rest of the image is not needed; dropping `d` releases everything.
    Ok(Rgb {
        data,
        width: window.width,
        height: window.height,
    })
}

/// libjpeg's fatal-error hook: unwind with the formatted message instead of `exit()`.
extern "C-unwind" fn unwind_error_exit(cinfo: &mut ffi::jpeg_common_struct) {
    let message = message(cinfo);
    // `resume_unwind` skips the panic hook: a damaged upload is not a bug to log loudly.
    std::panic::resume_unwind(Box::new(message));
}

/// Warnings (corrupt data that libjpeg works around) are not printed on stderr.
extern "C-unwind" fn ignore_message(_cinfo: &mut ffi::jpeg_common_struct, _level: c_int) {}

/// libjpeg's text for the current error.
fn message(cinfo: &mut ffi::jpeg_common_struct) -> String {
    // SAFETY: `err` points at the error manager installed in `Decompressor::new`.
    let Some(err) = (unsafe { cinfo.err.as_ref() }) else {
        return "libjpeg failed".to_owned();
    };
    let code = err.msg_code;
    let Some(format) = err.format_message else {
        return format!("libjpeg error {code}");
    };
    let mut buffer = [0u8; 80];
    // `mozjpeg-sys` declares the buffer as shared although libjpeg writes into it
    // (JMSG_LENGTH = 80 bytes, NUL-terminated); call it through the true signature.
    type Format = unsafe extern "C-unwind" fn(&mut ffi::jpeg_common_struct, &mut [u8; 80]);
    // SAFETY: the two function pointer types differ only in the mutability of a reference
    // to the same 80-byte array, which is how the C function treats it.
    let format: Format = unsafe { std::mem::transmute(format) };
    // SAFETY: libjpeg's `format_message` writes at most 80 bytes into `buffer`.
    unsafe { format(cinfo, &mut buffer) };
    let text = buffer.split(|&b| b == 0).next().unwrap_or_default();
    format!("libjpeg: {}", String::from_utf8_lossy(text))
}

#[cfg(test)]
mod tests;
