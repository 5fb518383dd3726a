//! Media files: what they are (sniffed from their bytes), the derivative engine, and the
//! cache of image derivatives the gallery shows.

mod derivatives;
pub mod derive;
pub mod fixity;
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
