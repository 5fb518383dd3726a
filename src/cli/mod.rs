//! Subcommands of the command line that need more room than `main.rs` gives them.

pub mod media;
pub mod users;
