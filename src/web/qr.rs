//! QR codes as inline SVG, for printed pages (assignment handouts, object labels).

use crate::error::AppError;

/// The QR code of `url` as an inline SVG (dark modules on white, four modules of quiet
/// zone, error correction M). Made from our own URLs only, so it is safe to print
/// unescaped.
pub fn svg(url: &str) -> Result<String, AppError> {
    let code = qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("QR code: {e}")))?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build();
    // Inline SVG in HTML takes no XML declaration.
    Ok(match svg.find("<svg") {
        Some(start) => svg[start..].to_owned(),
        None => svg,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_url_becomes_an_inline_svg() {
        let svg = super::svg("http://127.0.0.1:8080/q/KZH-0001").unwrap();
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    }
}
