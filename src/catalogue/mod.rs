//! The catalogue: education bases, heritage items with their media, and exhibitions.

pub mod bag;
pub mod base_form;
pub mod csv_import;
pub mod editor;
pub mod exhibition_editor;
pub mod exhibition_form;
pub mod exhibition_history;
pub mod export;
pub mod form;
pub mod harvest;
pub mod history;
pub mod import;
pub mod model;
pub mod panorama;
pub mod repo;
pub mod rights;
pub mod types;
pub mod workflow;
