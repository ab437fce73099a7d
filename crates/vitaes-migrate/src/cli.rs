//! The top-level parser: `--config` and the subcommands. Each command's
//! flags are its `*Args` struct, in its own module under [`crate::commands`];
//! `main.rs` only parses and dispatches.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::commands::check::CheckArgs;
use crate::commands::completions::CompletionsArgs;
use crate::commands::db::DbArgs;
use crate::commands::diagram::DiagramArgs;
use crate::commands::diff::DiffArgs;
use crate::commands::drop::DropArgs;
use crate::commands::generate::GenerateArgs;
use crate::commands::introspect::IntrospectArgs;
use crate::commands::migrate::MigrateArgs;
use crate::commands::pull::PullArgs;
use crate::commands::push::PushArgs;
use crate::commands::status::StatusArgs;
use crate::commands::studio::StudioArgs;

/// The parsed command line.
#[derive(Debug, Parser)]
#[command(
    name = "vitaes-migrate",
    version,
    about = "drizzle-kit compatible migrations for PostgreSQL, from #[derive(Table)] structs"
)]
pub struct Cli {
    /// Config file (default: vitaes.toml in this directory or the nearest ancestor).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The subcommand to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Bring the database to the code's schema in one verified transaction (no migration files).
    Push(PushArgs),
    /// Read the live database: a summary, or the schema as a drizzle-kit snapshot with --json.
    Introspect(IntrospectArgs),
    /// Write the next migration from the difference between the code and the last snapshot.
    Generate(GenerateArgs),
    /// Where each migration stands on the database, and whether the database drifted from the code.
    Status(StatusArgs),
    /// Remove the newest migration (file, snapshot, journal entry) unless the database has applied it.
    Drop(DropArgs),
    /// Write the live database as annotated Rust structs (#[derive(Table)], #[derive(PgEnum)]).
    Pull(PullArgs),
    /// The plan between any two schemas: databases, migrations folders, schema sources, or empty.
    Diff(DiffArgs),
    /// Draw the schema (the code, or a database with --url) as an entity-relationship diagram: SVG, or mermaid for a README.
    Diagram(DiagramArgs),
    /// Check the migrations folder (journal, files, snapshot chain) and that the code is in it; no database.
    Check(CheckArgs),
    /// Apply the pending migrations of the folder, each in its own transaction, under a lock.
    Migrate(MigrateArgs),
    /// Browse and edit the database in the browser: tables, rows, relationships, a SQL console, the migrations.
    Studio(StudioArgs),
    /// The development database: start, stop, status, logs, down, url (docker compose, else a local server).
    Db(DbArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(CompletionsArgs),
}
