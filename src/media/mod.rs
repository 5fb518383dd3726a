//! Media files: what they are (sniffed from their bytes) and the image derivatives the
//! gallery shows.

mod derivatives;
mod sniff;

pub use derivatives::{Derivatives, Variant};
pub use sniff::{Sniffed, sniff};
