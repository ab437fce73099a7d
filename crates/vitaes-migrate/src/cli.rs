//! The command line (clap). `main.rs` only parses and dispatches.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use std::time::Duration;

use crate::diff::{NoRename, Rename};

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
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Bring the database to the code's schema in one verified transaction (no migration files).
    Push {
        /// A .rs file or a folder of them with #[derive(Table)] structs (repeatable).
        #[arg(long, value_name = "PATH")]
        schema: Vec<PathBuf>,
        /// Database URL (default: DATABASE_URL, the env file, or [database] url).
        #[arg(long, value_name = "URL")]
        url: Option<String>,
        /// Show the plan; apply nothing.
        #[arg(long)]
        dry_run: bool,
        /// Apply a plan with hazards without asking (renames are never guessed).
        #[arg(long)]
        force: bool,
        /// Confirm every statement (needs a terminal).
        #[arg(long)]
        strict: bool,
        /// Print the plan as JSON.
        #[arg(long)]
        json: bool,
        /// Say where it connects, on stderr (passwords masked).
        #[arg(long)]
        verbose: bool,
        /// How long a statement may wait for a lock (5s, 500ms, 2m).
        #[arg(long, value_name = "DURATION", default_value = "5s", value_parser = parse_duration)]
        lock_timeout: std::time::Duration,
        /// A rename: column:[schema.]table.old=new, table:[schema.]old=[schema.]new, enum:[schema.]old=new.
        #[arg(long, value_name = "KIND:OLD=NEW")]
        rename: Vec<Rename>,
        /// A real drop and add: column:[schema.]table.new, table:[schema.]new, enum:[schema.]new.
        #[arg(long, value_name = "KIND:NEW")]
        no_rename: Vec<NoRename>,
    },
    /// Read the live database: a summary, or the schema as a drizzle-kit snapshot with --json.
    Introspect {
        /// Database URL (default: the variable named in vitaes.toml, DATABASE_URL, the env file, or [database] url).
        #[arg(long, value_name = "URL")]
        url: Option<String>,
        /// The code whose schemas to read (default: from vitaes.toml).
        #[arg(long, value_name = "PATH")]
        schema: Vec<PathBuf>,
        /// Print the live schema as a drizzle-kit snapshot (JSON).
        #[arg(long)]
        json: bool,
        /// Say where it connects and what it reads, on stderr (passwords masked).
        #[arg(long)]
        verbose: bool,
    },
    /// Write the next migration from the difference between the code and the last snapshot.
    Generate {
        /// A .rs file or a folder of them with #[derive(Table)] structs (repeatable).
        #[arg(long, value_name = "PATH")]
        schema: Vec<PathBuf>,
        /// The migrations folder.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// The migration's tag suffix (`NNNN_<name>.sql`).
        #[arg(long)]
        name: Option<String>,
        /// A rename: column:[schema.]table.old=new, table:[schema.]old=[schema.]new, enum:[schema.]old=new.
        #[arg(long, value_name = "KIND:OLD=NEW")]
        rename: Vec<Rename>,
        /// A real drop and add: column:[schema.]table.new, table:[schema.]new, enum:[schema.]new.
        #[arg(long, value_name = "KIND:NEW")]
        no_rename: Vec<NoRename>,
        /// Write an empty migration for hand-written SQL.
        #[arg(long)]
        custom: bool,
        /// Print the plan as JSON: {"version":1,"changes":[...],"ambiguities":[...]}.
        #[arg(long)]
        json: bool,
    },
    /// Where each migration stands on the database, and whether the database drifted from the code.
    Status {
        /// A .rs file or a folder of them with #[derive(Table)] structs (repeatable).
        #[arg(long, value_name = "PATH")]
        schema: Vec<PathBuf>,
        /// The migrations folder.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Database URL (default: DATABASE_URL, the env file, or [database] url).
        #[arg(long, value_name = "URL")]
        url: Option<String>,
        /// Print the status as JSON.
        #[arg(long)]
        json: bool,
        /// Exit 1 when a migration is not applied or the database drifted.
        #[arg(long)]
        exit_code: bool,
        /// Say where it connects, on stderr (passwords masked).
        #[arg(long)]
        verbose: bool,
    },
    /// Remove the newest migration (file, snapshot, journal entry) unless the database has applied it.
    Drop {
        /// The migrations folder.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Database URL to check against (default: DATABASE_URL, the env file, or [database] url).
        #[arg(long, value_name = "URL")]
        url: Option<String>,
        /// Drop without asking, even when no database could be checked.
        #[arg(long)]
        force: bool,
    },
    /// Check the migrations folder (journal, files, snapshot chain) and that the code is in it; no database.
    Check {
        /// A .rs file or a folder of them with #[derive(Table)] structs (repeatable).
        #[arg(long, value_name = "PATH")]
        schema: Vec<PathBuf>,
        /// The migrations folder.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Print the findings as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Apply the pending migrations of the folder, each in its own transaction, under a lock.
    Migrate {
        /// The migrations folder.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Database URL (default: DATABASE_URL, the env file, or [database] url).
        #[arg(long, value_name = "URL")]
        url: Option<String>,
        /// Show what would run; change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Record every migration up to this tag as applied without running it (for a database built by push).
        #[arg(long, value_name = "TAG")]
        baseline: Option<String>,
        /// How long to wait for another migrate holding the lock (5s, 500ms, 2m).
        #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = parse_duration)]
        lock_wait: std::time::Duration,
        /// Say where it connects, on stderr (passwords masked).
        #[arg(long)]
        verbose: bool,
    },
}

/// `5s`, `500ms`, `2m`, or plain seconds.
pub fn parse_duration(text: &str) -> std::result::Result<Duration, String> {
    let t = text.trim();
    let (number, unit) = match t.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => (&t[..i], &t[i..]),
        None => (t, "s"),
    };
    let n: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a duration (try 5s, 500ms, 2m)"))?;
    match unit {
        "ms" => Ok(Duration::from_millis(n)),
        "s" => Ok(Duration::from_secs(n)),
        "m" | "min" => Ok(Duration::from_secs(n * 60)),
        _ => Err(format!("`{text}` is not a duration (try 5s, 500ms, 2m)")),
    }
}
