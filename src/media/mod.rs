//! Media files: what they are (sniffed from their bytes), the derivative engine, and the
//! cache of image derivatives the gallery shows.

mod derivatives;
pub mod derive;
mod sniff;

pub use derivatives::{Derivatives, Variant};
pub use sniff::{Sniffed, sniff};
