//! vitaes-migrate: drizzle-kit compatible migrations for PostgreSQL, driven by
//! `#[derive(Table)]` structs.
//!
//! The library is what the binary runs, usable from an application too:
//! [`source::load_schema`] reads annotated sources, [`diff::diff`] plans
//! changes, [`sql::render`] writes drizzle-kit's statements, and
//! [`migrations_dir`] reads and writes the migrations folder.

pub mod cli;
pub mod commands;
pub mod config;
pub mod connect;
pub mod diff;
pub mod error;
pub mod introspect;
pub mod local_pg;
pub mod migrations_dir;
pub mod push;
pub mod renames_cli;
pub mod report;
pub mod source;
pub mod sql;
pub mod testing;

pub use error::{Error, Result};
