//! One derivative from the command line, through the server's own code path; used by
//! `benches/derive.sh` to measure the engine against libvips.
//!
//! `cargo run --release --example derive -- --width 400 --format webp -o out.webp in.jpg`

use clap::{Parser, ValueEnum};
use edubase::media::derive::{Format, Spec, derive_file};
use std::path::PathBuf;

/// Makes one derivative of an image.
#[derive(Parser)]
struct Args {
    /// The widest the derivative may be; narrower originals keep their width.
    #[arg(long)]
    width: u32,
    /// Output format.
    #[arg(long, value_enum, default_value = "jpeg")]
    format: OutFormat,
    /// Where to write the derivative.
    #[arg(short, long)]
    out: PathBuf,
    /// The original: JPEG, PNG, WebP or TIFF.
    input: PathBuf,
}

#[derive(Clone, Copy, ValueEnum)]
enum OutFormat {
    Jpeg,
    Webp,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let spec = Spec {
        max_width: args.width,
        format: match args.format {
            OutFormat::Jpeg => Format::Jpeg,
            OutFormat::Webp => Format::Webp,
        },
    };
    let derived = derive_file(&args.input, &spec, &args.out)?;
    eprintln!(
        "{}: {}×{}, {} bytes",
        args.out.display(),
        derived.width,
        derived.height,
        derived.bytes.len()
    );
    Ok(())
}
