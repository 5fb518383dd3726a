//! The classroom: teachers' classes and assignments (a published exhibition to visit,
//! questions at its stops, an essay), students' visits without accounts, join codes
//! guarded against guessing, and the deletion of visits once their school year is over.

pub mod codes;
pub mod feedback;
pub mod forms;
pub mod model;
pub mod overlap;
pub mod repo;
pub mod rules;
mod service;
pub mod tour;

pub use service::{Classroom, CodePolicy, JoinError, Joined, Locked};
