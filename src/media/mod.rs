//! Media files: what they are (sniffed from their bytes) and the image derivatives the
//! gallery shows.

mod derivatives;
pub mod hot;
pub mod ingest;
pub mod probe;
mod sniff;
pub mod staging;
pub mod uploads;
pub mod vtt;

pub use derivatives::{Derivatives, Variant};
pub use sniff::{Sniffed, sniff};
pub use staging::Staging;
