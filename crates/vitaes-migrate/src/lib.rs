//! vitaes-migrate: drizzle-kit compatible migrations for PostgreSQL, driven by
//! `#[derive(Table)]` structs.
//!
//! The library is what the binary runs, usable from an application too:
//! [`source::load_schema`] reads annotated sources, [`diff::diff`] plans
//! changes, [`sql::render`] writes drizzle-kit's statements,
//! [`migrations_dir`] writes the next migration into the folder (whose layout
//! is [`vitaes_schema_core::folder`]'s), and [`migrator::Migrator`] applies
//! it (at start-up too, with [`embed_migrations!`]).

pub mod check;
pub mod cli;
pub mod commands;
pub mod config;
pub mod connect;
pub mod diff;
pub mod error;
pub mod introspect;
pub mod local_pg;
pub mod migrations_dir;
pub mod migrator;
pub mod push;
pub mod renames_cli;
pub mod report;
pub mod source;
pub mod sql;
pub mod testing;

pub use error::{Error, Result};
/// `embed_migrations!("migrations")`: the folder compiled into the binary as a
/// [`migrator::Migrator`] (path relative to the crate's `Cargo.toml`).
pub use vitaes_schema_macros::embed_migrations;
