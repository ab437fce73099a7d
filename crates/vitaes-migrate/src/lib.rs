//! vitaes-migrate: drizzle-kit compatible migrations for PostgreSQL, driven by
//! `#[derive(Table)]` structs.
//!
//! Two ways to use the library:
//! - **At run time, in an application** (`default-features = false`):
//!   [`connect::connect`] (TLS as libpq's `sslmode`), [`migrator::Migrator`]
//!   to apply the migrations folder (from disk, or compiled in with
//!   [`embed_migrations!`]), and with the `push` feature [`push::push`] of a
//!   `Schema` built in code. None of the command line's dependencies are
//!   linked.
//! - **The command line** (the `cli` feature, on by default): what the
//!   `vitaes-migrate` binary runs — `source::load_schema` reads annotated
//!   sources, `diff::diff` plans changes, `sql::render` writes drizzle-kit's
//!   statements, `migrations_dir` writes the migrations folder (whose layout is
//!   [`vitaes_schema_core::folder`]'s).
//!
//! In every build, [`diagram::svg`] and [`diagram::mermaid`] draw a `Schema`
//! as an entity-relationship diagram (pure functions, no dependencies).
//!
//! Features: `cli` (default; implies `push` and `local-pg`), `push`,
//! `local-pg` (a throwaway cluster from installed server binaries; unix).

#![warn(missing_docs)]

pub mod connect;
pub mod error;
pub mod migrations_dir;
pub mod migrator;

// Pure functions of a `Schema`, so in every build.
pub mod diagram;

#[cfg(feature = "push")]
pub mod compare;
#[cfg(feature = "push")]
pub mod diff;
#[cfg(feature = "push")]
pub mod introspect;
#[cfg(feature = "push")]
pub mod push;
#[cfg(feature = "push")]
pub mod renames_cli;
#[cfg(feature = "push")]
pub mod roles;
#[cfg(feature = "push")]
pub mod scope;
#[cfg(feature = "push")]
pub mod sql;

#[cfg(feature = "cli")]
pub(crate) mod check;
#[cfg(feature = "cli")]
pub mod cli;
#[cfg(feature = "cli")]
pub mod commands;
#[cfg(feature = "cli")]
pub mod config;
#[cfg(feature = "cli")]
pub mod exit_code;
#[cfg(feature = "cli")]
pub mod pull;
#[cfg(feature = "cli")]
pub(crate) mod report;
#[cfg(feature = "cli")]
pub mod source;
#[cfg(feature = "cli")]
pub mod studio;
#[cfg(feature = "cli")]
pub mod unified;

#[cfg(all(unix, feature = "local-pg"))]
pub mod local_pg;
#[cfg(all(unix, feature = "cli"))]
pub(crate) mod shadow;

pub use error::{Error, Result};
/// `embed_migrations!("migrations")`: the folder compiled into the binary as a
/// [`migrator::Migrator`] (path relative to the crate's `Cargo.toml`).
pub use vitaes_schema_macros::embed_migrations;
