//! The flags more than one command takes, each declared once here and
//! `#[command(flatten)]`ed into the commands' argument structs. A group
//! dereferences to its value, so a command reads `&args.schema`,
//! `args.out.as_deref()` or `*args.json` (and `args.format.get()`). The renames (`--rename`,
//! `--no-rename`) are [`RenameFlags`].
//!
//! Convention (a test in `tests/it/cli.rs` relies on it): a flag's help is
//! the `///` doc comment directly above its `#[arg(...)]`, never `help = ...`.

use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::diff::{NoRename, Rename, RenameDecisions};

/// `--schema PATH`...: where the `#[derive(Table)]` structs are.
#[derive(Debug, Default, Clone, PartialEq, Eq, clap::Args)]
pub struct SchemaSources {
    /// A .rs file or a folder of them with #[derive(Table)] structs (repeatable; default: `schema` in vitaes.toml).
    #[arg(long, value_name = "PATH")]
    pub schema: Vec<PathBuf>,
}

impl Deref for SchemaSources {
    type Target = [PathBuf];
    fn deref(&self) -> &[PathBuf] {
        &self.schema
    }
}

impl From<Vec<PathBuf>> for SchemaSources {
    fn from(schema: Vec<PathBuf>) -> Self {
        SchemaSources { schema }
    }
}

/// `--out DIR`: the migrations folder.
#[derive(Debug, Default, Clone, PartialEq, Eq, clap::Args)]
pub struct MigrationsFolder {
    /// The migrations folder (default: `out` in vitaes.toml, else ./drizzle).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

impl MigrationsFolder {
    /// The folder given, if any.
    pub fn as_deref(&self) -> Option<&Path> {
        self.out.as_deref()
    }
}

impl From<Option<PathBuf>> for MigrationsFolder {
    fn from(out: Option<PathBuf>) -> Self {
        MigrationsFolder { out }
    }
}

/// `--url URL`: the database, when not the configured one.
// The help text names vitaes.toml's `[database]` table, which rustdoc would
// read as a link.
#[allow(rustdoc::broken_intra_doc_links)]
#[derive(Debug, Default, Clone, PartialEq, Eq, clap::Args)]
pub struct DatabaseUrl {
    /// Database URL (default: DATABASE_URL, or the variable [database] url_env names, from the environment or the env file; else [database] url).
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
}

impl DatabaseUrl {
    /// The URL given, if any.
    pub fn as_deref(&self) -> Option<&str> {
        self.url.as_deref()
    }
}

impl From<Option<String>> for DatabaseUrl {
    fn from(url: Option<String>) -> Self {
        DatabaseUrl { url }
    }
}

/// `--url URL` and `--verbose`: the commands that connect and can say where.
#[derive(Debug, Default, Clone, PartialEq, Eq, clap::Args)]
pub struct Database {
    /// `--url`.
    #[command(flatten)]
    pub url: DatabaseUrl,
    /// Say on stderr where it connects and, for introspect, which schemas it reads (passwords masked).
    #[arg(long)]
    pub verbose: bool,
}

/// `--json`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, clap::Args)]
pub struct Json {
    /// Print JSON instead of text: the plan (generate, push), the status, the findings (check), or the live schema as a drizzle-kit snapshot (introspect).
    #[arg(long)]
    pub json: bool,
}

/// `--format FORMAT`: how a command prints, one of its own formats `F`
/// (diff's [`DiffFormat`](super::diff::DiffFormat), diagram's
/// [`DiagramFormat`](super::diagram::DiagramFormat)); [`Format::get`] is
/// the one given, else `F`'s default.
// No `default_value_t`: clap's derive keeps that text in a static, which
// the commands' instances of this generic struct would share.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, clap::Args)]
pub struct Format<F: clap::ValueEnum + Clone + Default + Send + Sync + 'static> {
    /// How to print: for diff `sql` (the plan with its hazards, the default) or `unified` (both schemas as DDL, a unified diff); for diagram `svg` (the default) or `mermaid` (an erDiagram block for a README).
    #[arg(long, value_name = "FORMAT", value_enum)]
    pub format: Option<F>,
}

impl<F: clap::ValueEnum + Copy + Default + Send + Sync + 'static> Format<F> {
    /// The format given, else the default.
    pub fn get(&self) -> F {
        self.format.unwrap_or_default()
    }
}

impl<F: clap::ValueEnum + Clone + Default + Send + Sync + 'static> From<F> for Format<F> {
    fn from(format: F) -> Self {
        Format {
            format: Some(format),
        }
    }
}

/// `--dry-run`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, clap::Args)]
pub struct DryRun {
    /// Show what would run; change nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// `--force`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, clap::Args)]
pub struct Force {
    /// Go ahead without asking: push applies a plan with hazards (renames are still never guessed), drop removes the migration even when no database could be checked.
    #[arg(long)]
    pub force: bool,
}

/// `--exit-code`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, clap::Args)]
pub struct ExitCode {
    /// Exit 1 when there is something to do: a migration not applied or the database drifted (status), the two schemas differ (diff).
    #[arg(long)]
    pub exit_code: bool,
}

/// `--lock-wait`: how long to wait for the schema lock that migrate and push
/// share, taken so two of them never change one database at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::Args)]
pub struct LockWait {
    /// How long to wait for another migrate or push holding the lock (5s, 500ms, 2m).
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = parse_duration)]
    pub lock_wait: Duration,
}

/// `--lock-timeout`: how long one statement may wait for a table lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::Args)]
pub struct LockTimeout {
    /// How long a statement may wait for a lock another session holds (5s, 500ms, 2m); then it fails naming the lock.
    #[arg(long, value_name = "DURATION", default_value = "5s", value_parser = parse_duration)]
    pub lock_timeout: Duration,
}

/// `--shadow-url`: where `check --shadow` and `generate --verify` make their
/// throwaway database.
#[derive(Debug, Default, Clone, PartialEq, Eq, clap::Args)]
pub struct ShadowUrl {
    /// A server to make the throwaway shadow database on (its role needs CREATEDB; the database is dropped after); default: a local cluster from the installed PostgreSQL binaries.
    #[arg(long, value_name = "URL")]
    pub shadow_url: Option<String>,
}

macro_rules! bool_flag {
    ($($group:ident . $field:ident),*) => {$(
        impl Deref for $group {
            type Target = bool;
            fn deref(&self) -> &bool {
                &self.$field
            }
        }

        impl From<bool> for $group {
            fn from($field: bool) -> Self {
                $group { $field }
            }
        }
    )*};
}

bool_flag!(Json.json, DryRun.dry_run, Force.force, ExitCode.exit_code);

impl Deref for LockWait {
    type Target = Duration;
    fn deref(&self) -> &Duration {
        &self.lock_wait
    }
}

impl Deref for LockTimeout {
    type Target = Duration;
    fn deref(&self) -> &Duration {
        &self.lock_timeout
    }
}

/// A command's flags as clap parses an empty command line: its `Default`,
/// so a `default_value` is written once, in the `#[arg]`.
pub fn defaults<T: clap::Args + clap::FromArgMatches>() -> T {
    let matches = T::augment_args(clap::Command::new("defaults"))
        .no_binary_name(true)
        .try_get_matches_from(std::iter::empty::<String>())
        .expect("every flag is optional");
    T::from_arg_matches(&matches).expect("the defaults parse")
}

/// `5s`, `500ms`, `2m`, or plain seconds (`--lock-timeout`, `--lock-wait`).
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

/// `--rename` and `--no-rename`: renames decided up front, on the command line.
#[derive(Debug, Default, Clone, PartialEq, Eq, clap::Args)]
pub struct RenameFlags {
    /// A rename: column:[schema.]table.old=new, table:[schema.]old=[schema.]new, enum:[schema.]old=new, policy:[schema.]table.old=new.
    #[arg(long, value_name = "KIND:OLD=NEW")]
    pub rename: Vec<Rename>,
    /// A real drop and add: column:[schema.]table.new, table:[schema.]new, enum:[schema.]new, policy:[schema.]table.new.
    #[arg(long, value_name = "KIND:NEW")]
    pub no_rename: Vec<NoRename>,
}

impl RenameFlags {
    /// The flags as the diff takes them.
    pub fn decisions(&self) -> RenameDecisions {
        RenameDecisions {
            renames: self.rename.clone(),
            no_renames: self.no_rename.clone(),
        }
    }
}

impl From<RenameDecisions> for RenameFlags {
    fn from(d: RenameDecisions) -> Self {
        RenameFlags {
            rename: d.renames,
            no_rename: d.no_renames,
        }
    }
}
