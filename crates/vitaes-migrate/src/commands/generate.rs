//! `vitaes-migrate generate`: code → next migration, as `drizzle-kit generate`.

use std::io::Write;
use std::path::{Path, PathBuf};

use vitaes_schema_core::folder::sanitize_tag;

use super::flags::RenameFlags;
use super::flags::{Json, MigrationsFolder, SchemaSources, ShadowUrl};
use super::now_ms;
use crate::check::Concern;
use crate::config::Config;
use crate::diff::phases::{phases, Phase, PhaseKind};
use crate::diff::{self, describe, Change, Plan};
use crate::error::{Error, Result};
use crate::migrations_dir::MigrationsDir;
use crate::migrator::{Migrator, NO_TRANSACTION};
use crate::renames_cli::{self, Prompter};
use crate::report::PlanReport;
use crate::source::load_schema;
use crate::sql;

/// `generate`'s flags.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Examples:
  vitaes-migrate generate
  vitaes-migrate generate --name add_users
  vitaes-migrate generate --rename column:resume.thumbnail_url=thumbnail
  vitaes-migrate generate --custom --name backfill_slugs
  vitaes-migrate generate --verify   # apply the folder to a throwaway database first
  vitaes-migrate generate --json   # {\"version\":1,\"changes\":[...],\"ambiguities\":[...]}")]
pub struct GenerateArgs {
    /// `--schema`: the code.
    #[command(flatten)]
    pub schema: SchemaSources,
    /// `--out`: the folder the migration is written to.
    #[command(flatten)]
    pub out: MigrationsFolder,
    /// The migration's tag suffix (`NNNN_<name>.sql`).
    #[arg(long)]
    pub name: Option<String>,
    /// `--rename` and `--no-rename`: decisions on ambiguous renames.
    #[command(flatten)]
    pub renames: RenameFlags,
    /// Write an empty migration for hand-written SQL.
    #[arg(long)]
    pub custom: bool,
    /// `--json`: print the plan as JSON.
    #[command(flatten)]
    pub json: Json,
    /// Before writing, apply the whole folder with the new migrations to a throwaway database and check it builds the code.
    #[arg(long)]
    pub verify: bool,
    /// `--shadow-url`: where that database is made.
    #[command(flatten)]
    pub shadow_url: ShadowUrl,
}

impl Default for GenerateArgs {
    fn default() -> Self {
        super::flags::defaults()
    }
}

/// The text of a `--custom` migration, as drizzle-kit writes it.
const CUSTOM_SQL: &str = "-- Custom SQL migration file, put your code below! --";

/// What `generate` did.
#[derive(Debug, PartialEq, Eq)]
pub enum Generated {
    /// The code matches the last snapshot; nothing was written.
    NothingToDo,
    /// The migration files written, in order (two when enum values are added
    /// and used in one change).
    Written {
        /// The SQL files, in order.
        sql_paths: Vec<PathBuf>,
    },
}

/// A folder whose journal or snapshot chain check calls broken is refused
/// with check's words: with two entries of one idx the next migration would
/// overwrite a snapshot, and a snapshot that cannot be read would make every
/// table look new. (A stray file or an old snapshot's lost parent does not
/// change what generate writes, so those are check's alone.)
fn refuse_broken_folder(dir: &Path) -> Result<()> {
    if !dir.exists() {
        return Ok(());
    }
    let contents = crate::check::read(dir).map_err(Error::io(dir))?;
    match crate::check::refusal(
        &contents,
        &[Concern::Journal, Concern::Snapshots],
        "generate",
    ) {
        Some(message) => Err(Error::MigrationsFolder {
            path: dir.to_path_buf(),
            message,
        }),
        None => Ok(()),
    }
}

/// Generates without a terminal: an ambiguity not decided in `args` is refused.
pub fn run(
    args: &GenerateArgs,
    config: &Config,
    cwd: &Path,
    out: &mut dyn Write,
) -> Result<Generated> {
    run_with(args, config, cwd, out, None)
}

/// Generates, asking `prompter` about ambiguities when there is one.
pub fn run_with(
    args: &GenerateArgs,
    config: &Config,
    cwd: &Path,
    out: &mut dyn Write,
    mut prompter: Option<&mut dyn Prompter>,
) -> Result<Generated> {
    let schema_paths = config.schema_paths(&args.schema, cwd)?;
    let out_dir = config.out_dir(args.out.as_deref(), cwd);
    let mut desired = load_schema(&schema_paths)?;
    let name = args
        .name
        .as_ref()
        .map(|n| {
            let clean = sanitize_tag(n);
            if clean.is_empty() {
                Err(Error::Usage(format!(
                    "--name {n:?} has no letters or digits to use as a tag"
                )))
            } else {
                Ok(clean)
            }
        })
        .transpose()?;

    let mut dir = MigrationsDir::open(&out_dir, config.file.migrations.prefix)?;
    refuse_broken_folder(&out_dir)?;
    let previous = dir.last_snapshot()?;
    let mut old = previous
        .as_ref()
        .map(|s| s.schema.clone())
        .unwrap_or_default();
    config.scope().apply(&mut old, &mut desired);
    // Human output goes to `out` unless the JSON document does.
    let mut human: Box<dyn Write> = if *args.json {
        Box::new(std::io::sink())
    } else {
        Box::new(&mut *out)
    };

    if args.custom {
        // drizzle-kit's custom migration: an empty file for hand-written SQL,
        // its snapshot the previous one, so the code is not taken as applied.
        let tag = name.clone().unwrap_or_else(|| "custom".to_string());
        let (sql_path, _) = dir.write_migration(
            &tag,
            CUSTOM_SQL,
            &old,
            previous.as_ref().map(|s| s.id.as_str()),
            now_ms(),
        )?;
        let _ = writeln!(
            human,
            "[✓] Your custom SQL migration file ➜ {} 🚀",
            display(&sql_path, cwd)
        );
        drop(human);
        if *args.json {
            let _ = writeln!(out, "{}", PlanReport::of_plan(&Plan::default()).to_json());
        }
        return Ok(Generated::Written {
            sql_paths: vec![sql_path],
        });
    }

    let mut decisions = args.renames.decisions();
    decisions
        .check(&old, &desired, "the last snapshot")
        .map_err(Error::Usage)?;
    let plan = loop {
        match diff::diff_with(&old, &desired, &decisions) {
            Ok(plan) => break plan,
            Err(ambiguities) => match prompter.as_deref_mut() {
                Some(p) => renames_cli::ask(&ambiguities, p, &mut decisions)?,
                None => {
                    drop(human);
                    if *args.json {
                        let _ = writeln!(
                            out,
                            "{}",
                            PlanReport::of_ambiguities(&ambiguities).to_json()
                        );
                    }
                    return Err(renames_cli::refusal(&ambiguities));
                }
            },
        }
    };
    if plan.is_empty() {
        let _ = writeln!(human, "No schema changes, nothing to migrate 😴");
        drop(human);
        if *args.json {
            let _ = writeln!(out, "{}", PlanReport::of_plan(&plan).to_json());
        }
        return Ok(Generated::NothingToDo);
    }

    let steps = phases(&old, &desired, &plan);
    if steps
        .first()
        .is_some_and(|p| p.kind == PhaseKind::EnumValues)
    {
        let _ = writeln!(
            human,
            "Enum values added here are also used here; PostgreSQL cannot use a new enum value in the \
             transaction that adds it, so the additions are written as a migration of their own first."
        );
    }

    // Every file's text first, so `--verify` can try them before anything
    // is written.
    let mut files = Vec::new();
    let mut base = old;
    for Phase {
        kind,
        plan: step,
        target,
    } in steps
    {
        let tag = match (&name, files.is_empty()) {
            (Some(n), true) => n.clone(),
            _ => describe(&base, &step),
        };
        let statements = sql::render_with_hazards(&step);
        let mut text = sql::migration_file(&statements);
        if kind == PhaseKind::OutsideTransaction {
            text = format!("{NO_TRANSACTION}\n{text}");
        }
        base = target.clone();
        files.push(PendingFile {
            kind,
            step,
            target,
            tag,
            text,
            statements: statements.len(),
        });
    }
    if args.verify {
        verify_before_writing(&dir, &files, &desired, config, args)?;
        let _ = writeln!(
            human,
            "[✓] Verified: the folder with these migrations, applied to an empty database, builds the code"
        );
    }

    let mut prev_id = previous.map(|s| s.id);
    let mut sql_paths = Vec::new();
    let mut report = PlanReport::of_plan(&Plan::default());
    for file in files {
        let step_report = PlanReport::of_plan(&file.step);
        let _ = writeln!(human, "{}", step_report.summary_table());
        for note in notes(&file.step) {
            let _ = writeln!(human, "note: {note}");
        }
        if file.kind == PhaseKind::OutsideTransaction {
            let _ = writeln!(
                human,
                "Indexes built CONCURRENTLY cannot be built in a transaction: they are a migration of their own, \
                 marked `{NO_TRANSACTION}`."
            );
        }
        let (sql_path, id) = dir.write_migration(
            &file.tag,
            &file.text,
            &file.target,
            prev_id.as_deref(),
            now_ms(),
        )?;
        let _ = writeln!(
            human,
            "[✓] Your SQL migration file ➜ {} 🚀 ({} statements)",
            display(&sql_path, cwd),
            file.statements
        );
        report.changes.extend(step_report.changes);
        sql_paths.push(sql_path);
        prev_id = Some(id);
    }
    drop(human);
    if *args.json {
        let _ = writeln!(out, "{}", report.to_json());
    }
    Ok(Generated::Written { sql_paths })
}

/// A migration generate is about to write.
struct PendingFile {
    kind: PhaseKind,
    step: Plan,
    target: vitaes_schema_core::Schema,
    tag: String,
    text: String,
    statements: usize,
}

/// `--verify`: the folder's migrations and `files` applied in order to a
/// throwaway database must build `desired`; otherwise nothing is written.
fn verify_before_writing(
    dir: &MigrationsDir,
    files: &[PendingFile],
    desired: &vitaes_schema_core::Schema,
    config: &Config,
    args: &GenerateArgs,
) -> Result<()> {
    let folder = dir.folder();
    let mut migrations: Vec<(u32, String, i64, String)> = Vec::new();
    for entry in folder.entries() {
        let sql = entry.read_sql()?;
        let j = entry.journal;
        migrations.push((j.idx, j.tag, j.when as i64, sql));
    }
    // After every existing `when`, as the written entries will be: the
    // migrator tells migrations apart by it.
    let start = migrations
        .iter()
        .map(|(_, _, when, _)| when + 1)
        .max()
        .unwrap_or(0)
        .max(now_ms() as i64);
    for (i, f) in files.iter().enumerate() {
        migrations.push((
            (folder.journal().entries.len() + i) as u32,
            f.tag.clone(),
            start + i as i64,
            f.text.clone(),
        ));
    }
    let listed: Vec<(u32, &str, i64, &str)> = migrations
        .iter()
        .map(|(idx, tag, when, sql)| (*idx, tag.as_str(), *when, sql.as_str()))
        .collect();
    let migrator = Migrator::embedded(&listed).with_table(config.migrations_table());
    let problems = super::check::shadow_findings(
        &migrator,
        desired,
        &config.scope(),
        args.shadow_url.shadow_url.as_deref(),
    )?;
    if problems.is_empty() {
        return Ok(());
    }
    Err(Error::Refused(format!(
        "--verify: nothing was written\n{}",
        problems
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    )))
}

/// What a reader of the plan should know before applying it.
fn notes(plan: &Plan) -> Vec<String> {
    plan.changes
        .iter()
        .filter_map(|c| match c {
            Change::AddColumn { table, column }
                if column.not_null
                    && column.default.is_none()
                    && column.identity.is_none()
                    && column.generated.is_none()
                    && !column.sql_type.ends_with("serial") =>
            {
                Some(format!(
                    "column \"{}\" of {table} is NOT NULL without a default: adding it fails if the table has rows",
                    column.name
                ))
            }
            _ => None,
        })
        .collect()
}

fn display(path: &Path, cwd: &Path) -> String {
    path.strip_prefix(cwd).unwrap_or(path).display().to_string()
}
