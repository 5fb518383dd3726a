//! The catalogue: education bases, heritage items with their media, and exhibitions.

pub mod import;
pub mod model;
pub mod repo;
pub mod rights;
pub mod types;
