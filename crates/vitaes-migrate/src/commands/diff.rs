//! `vitaes-migrate diff --from <source> --to <source>`: the plan that turns
//! one schema into another, a source being a database URL, a migrations
//! folder (its last snapshot), schema sources (`--from-schema`,
//! `--to-schema`, or `code` for the configured ones) or `empty`. Prisma's
//! `migrate diff`, Atlas's `schema diff`; the comparison is
//! [`crate::compare`]'s.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::flags::{Format, Json, RenameFlags};
use crate::compare::{compare, Side};
use crate::config::Config;
use crate::connect::{connect, mask_url};
use crate::error::{Error, Result};
use crate::introspect::{user_schemas, Filter};
use crate::migrations_dir::MigrationsDir;
use crate::push::PushOptions;
use crate::report::PlanReport;
use crate::source::load_schema;
use crate::sql;
use vitaes_schema_core::Schema;

/// `diff`'s flags.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Examples:
  vitaes-migrate diff --from postgresql://localhost/staging --to postgresql://localhost/production
  vitaes-migrate diff --from postgresql://localhost/vitaes --to code --script
  vitaes-migrate diff --from migrations --to code --format unified
  vitaes-migrate diff --from empty --to-schema src/schema --exit-code")]
pub struct DiffArgs {
    /// Where the diff starts: a postgres:// URL, a migrations folder, `code`, or `empty`.
    #[arg(long, value_name = "SOURCE", required_unless_present = "from_schema")]
    pub from: Option<String>,
    /// Where the diff ends: a postgres:// URL, a migrations folder, `code`, or `empty`.
    #[arg(long, value_name = "SOURCE", required_unless_present = "to_schema")]
    pub to: Option<String>,
    /// Schema sources (`.rs` files or folders) as the starting side, instead of --from.
    #[arg(long, value_name = "PATH", conflicts_with = "from")]
    pub from_schema: Vec<PathBuf>,
    /// Schema sources (`.rs` files or folders) as the ending side, instead of --to.
    #[arg(long, value_name = "PATH", conflicts_with = "to")]
    pub to_schema: Vec<PathBuf>,
    /// `--format`: `sql` (the plan with its hazards) or `unified` (both
    /// schemas as DDL, a unified diff).
    #[command(flatten)]
    pub format: Format<DiffFormat>,
    /// Print only the SQL, statements separated by breakpoints, as a migration file holds it.
    #[arg(long, conflicts_with = "json")]
    pub script: bool,
    /// `--exit-code`: exit 1 when the schemas differ (0 when they are the same).
    #[command(flatten)]
    pub exit_code: super::flags::ExitCode,
    /// `--json`: print the plan as JSON.
    #[command(flatten)]
    pub json: Json,
    /// `--rename` and `--no-rename`: decisions on ambiguous renames.
    #[command(flatten)]
    pub renames: RenameFlags,
}

/// What `diff --format` prints.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    /// The plan: the SQL with its hazards, and a summary.
    #[default]
    Sql,
    /// Both schemas as canonical DDL, as a unified diff.
    Unified,
}

impl Default for DiffArgs {
    fn default() -> Self {
        super::flags::defaults()
    }
}

/// A source as given on the command line, before it is read.
enum Source {
    Url(String),
    Folder(PathBuf),
    Paths(Vec<PathBuf>),
    Empty,
}

fn source(
    given: Option<&str>,
    paths: &[PathBuf],
    config: &Config,
    cwd: &Path,
    flag: &str,
) -> Result<Source> {
    if !paths.is_empty() {
        return Ok(Source::Paths(paths.iter().map(|p| cwd.join(p)).collect()));
    }
    let given = given.unwrap_or_default();
    if given.starts_with("postgres://") || given.starts_with("postgresql://") {
        return Ok(Source::Url(given.to_string()));
    }
    match given {
        "empty" => Ok(Source::Empty),
        "code" => Ok(Source::Paths(config.schema_paths(&[], cwd)?)),
        path => {
            let dir = cwd.join(path);
            if dir.join("meta/_journal.json").is_file() {
                Ok(Source::Folder(dir))
            } else {
                Err(Error::Usage(format!(
                    "--{flag} {path}: not a database URL, `code`, `empty`, or a migrations folder (no meta/_journal.json there)\n  help: give schema sources with --{flag}-schema {path}"
                )))
            }
        }
    }
}

/// A source read: a live database, or a schema (and a label for each).
enum Read {
    Live(tokio_postgres::Client, String),
    Offline(Schema, String),
}

async fn read(source: Source, config: &Config) -> Result<Read> {
    Ok(match source {
        Source::Url(url) => {
            let (client, _) = connect(&url).await?;
            Read::Live(client, mask_url(&url))
        }
        Source::Empty => Read::Offline(Schema::default(), "empty".into()),
        Source::Paths(paths) => {
            let label = paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ");
            Read::Offline(load_schema(&paths)?, label)
        }
        Source::Folder(dir) => {
            let label = dir.display().to_string();
            let snapshot =
                MigrationsDir::open(&dir, config.file.migrations.prefix)?.last_snapshot()?;
            Read::Offline(snapshot.map(|s| s.schema).unwrap_or_default(), label)
        }
    })
}

/// Which schemas the databases are read in: `schema_filter`, else public,
/// the offline side's schemas, and every user schema of each database but
/// the migrations table's.
async fn filter(from: &Read, to: &Read, config: &Config) -> Result<Filter> {
    let offline = [from, to].into_iter().find_map(|r| match r {
        Read::Offline(s, _) => Some(s),
        Read::Live(..) => None,
    });
    let mut filter = Filter::configured(config, offline);
    if config.file.schema_filter.is_none() {
        let bookkeeping = config.migrations_table().schema;
        for r in [from, to] {
            if let Read::Live(client, _) = r {
                let schemas = user_schemas(client)
                    .await
                    .map_err(|e| Error::Database(format!("reading the catalog: {e}")))?;
                for s in schemas {
                    if s != bookkeeping && !filter.schemas.contains(&s) {
                        filter.schemas.push(s);
                    }
                }
            }
        }
    }
    Ok(filter)
}

/// Compares and prints; `Err(Refused)` under `--exit-code` when they differ.
pub async fn run(
    args: &DiffArgs,
    config: &Config,
    cwd: &Path,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<()> {
    let from = source(args.from.as_deref(), &args.from_schema, config, cwd, "from")?;
    let to = source(args.to.as_deref(), &args.to_schema, config, cwd, "to")?;
    let (from, to) = futures_util::future::try_join(read(from, config), read(to, config)).await?;
    let filter = filter(&from, &to, config).await?;
    let options = PushOptions {
        filter,
        renames: args.renames.decisions(),
        scope: config.scope(),
        ..PushOptions::default()
    };
    let (from_label, to_label) = (label(&from), label(&to));
    let (from_side, to_side) = (side(&from), side(&to));
    let compared = match compare(from_side, to_side, &options).await {
        Ok(c) => c,
        Err(crate::push::PlanError::Ambiguous(a)) => {
            if *args.json {
                let _ = writeln!(out, "{}", PlanReport::of_ambiguities(&a).to_json());
            }
            return Err(crate::renames_cli::refusal(&a));
        }
        Err(e) => return Err(e.into()),
    };
    for object in &compared.left_alone {
        let _ = writeln!(err, "left alone (not managed): {object}");
    }
    let plan = &compared.plan;
    if *args.json {
        let _ = writeln!(out, "{}", PlanReport::of_plan(plan).to_json());
    } else if args.format.get() == DiffFormat::Unified {
        let colour = crate::unified::colour_for(&std::io::stdout(), std::env::var("NO_COLOR").ok());
        let text =
            crate::unified::unified(&from_label, &compared.from, &to_label, &compared.to, colour);
        let _ = write!(out, "{text}");
    } else if args.script {
        let statements = sql::render(plan);
        if !statements.is_empty() {
            let _ = writeln!(out, "{}", sql::migration_file(&statements).trim_end());
        }
    } else if plan.is_empty() {
        let _ = writeln!(out, "No differences");
    } else {
        for statement in sql::render_with_hazards(plan) {
            let _ = writeln!(out, "{}", statement.trim_end());
        }
        let _ = writeln!(out, "\n{}", PlanReport::of_plan(plan).summary_table());
    }
    if *args.exit_code && !plan.is_empty() {
        return Err(Error::Refused(format!(
            "{from_label} and {to_label} differ: {} changes",
            plan.changes.len()
        )));
    }
    Ok(())
}

fn side(r: &Read) -> Side<'_> {
    match r {
        Read::Live(client, _) => Side::Live(client),
        Read::Offline(s, _) => Side::Offline(Box::new(s.clone())),
    }
}

fn label(r: &Read) -> String {
    match r {
        Read::Live(_, l) | Read::Offline(_, l) => l.clone(),
    }
}
