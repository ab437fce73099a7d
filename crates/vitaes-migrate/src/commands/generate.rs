//! `vitaes-migrate generate`: code → next migration, as `drizzle-kit generate`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use vitaes_schema_core::folder::sanitize_tag;
use vitaes_schema_core::naming::quote_literal;
use vitaes_schema_core::Schema;

use crate::config::Config;
use crate::diff::{self, describe, Change, Plan, RenameDecisions};
use crate::error::{Error, Result};
use crate::migrations_dir::MigrationsDir;
use crate::migrator::NO_TRANSACTION;
use crate::renames_cli::{self, Prompter};
use crate::report::PlanReport;
use crate::source::load_schema;
use crate::sql;

#[derive(Debug, Default, Clone)]
pub struct GenerateArgs {
    pub schema: Vec<PathBuf>,
    pub out: Option<PathBuf>,
    pub name: Option<String>,
    /// Renames decided up front (`--rename`, `--no-rename`).
    pub renames: RenameDecisions,
    /// An empty migration for hand-written SQL (`--custom`).
    pub custom: bool,
    /// Print the plan as JSON (`--json`) instead of the human summary.
    pub json: bool,
}

/// The text of a `--custom` migration, as drizzle-kit writes it.
const CUSTOM_SQL: &str = "-- Custom SQL migration file, put your code below! --";

/// What `generate` did.
#[derive(Debug, PartialEq, Eq)]
pub enum Generated {
    NothingToDo,
    /// The migration files written, in order (two when enum values are added
    /// and used in one change).
    Written {
        sql_paths: Vec<PathBuf>,
    },
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
    let desired = load_schema(&schema_paths)?;
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

    let mut dir = MigrationsDir::open(&out_dir)?;
    let previous = dir.last_snapshot()?;
    let old = previous
        .as_ref()
        .map(|s| s.schema.clone())
        .unwrap_or_default();
    // Human output goes to `out` unless the JSON document does.
    let mut human: Box<dyn Write> = if args.json {
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
        if args.json {
            let _ = writeln!(out, "{}", PlanReport::of_plan(&Plan::default()).to_json());
        }
        return Ok(Generated::Written {
            sql_paths: vec![sql_path],
        });
    }

    let mut decisions = args.renames.clone();
    let plan = loop {
        match diff::diff_with(&old, &desired, &decisions) {
            Ok(plan) => break plan,
            Err(ambiguities) => match prompter.as_deref_mut() {
                Some(p) => renames_cli::ask(&ambiguities, p, &mut decisions)?,
                None => {
                    drop(human);
                    if args.json {
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
        if args.json {
            let _ = writeln!(out, "{}", PlanReport::of_plan(&plan).to_json());
        }
        return Ok(Generated::NothingToDo);
    }

    let steps = match split_used_enum_values(&old, &desired, &plan, &decisions)? {
        Some((intermediate, first, rest)) => {
            let _ = writeln!(
                human,
                "Enum values added here are also used here; PostgreSQL cannot use a new enum value in the \
                 transaction that adds it, so the additions are written as a migration of their own first."
            );
            vec![(intermediate, first), (desired.clone(), rest)]
        }
        None => vec![(desired.clone(), plan)],
    };
    let steps = split_concurrent_indexes(steps);

    let mut prev_id = previous.map(|s| s.id);
    let mut base = old;
    let mut sql_paths = Vec::new();
    let mut report = PlanReport::of_plan(&Plan::default());
    for (target, step) in steps {
        let step_report = PlanReport::of_plan(&step);
        let _ = writeln!(human, "{}", step_report.summary_table());
        for note in notes(&step) {
            let _ = writeln!(human, "note: {note}");
        }
        let tag = match (&name, sql_paths.is_empty()) {
            (Some(n), true) => n.clone(),
            _ => describe(&base, &step),
        };
        let statements = sql::render_with_hazards(&step);
        let mut text = sql::migration_file(&statements);
        if is_concurrent_step(&step) {
            text = format!("{NO_TRANSACTION}\n{text}");
            let _ = writeln!(
                human,
                "Indexes built CONCURRENTLY cannot be built in a transaction: they are a migration of their own, \
                 marked `{NO_TRANSACTION}`."
            );
        }
        let (sql_path, id) =
            dir.write_migration(&tag, &text, &target, prev_id.as_deref(), now_ms())?;
        let _ = writeln!(
            human,
            "[✓] Your SQL migration file ➜ {} 🚀 ({} statements)",
            display(&sql_path, cwd),
            statements.len()
        );
        report.changes.extend(step_report.changes);
        sql_paths.push(sql_path);
        prev_id = Some(id);
        base = target;
    }
    drop(human);
    if args.json {
        let _ = writeln!(out, "{}", report.to_json());
    }
    Ok(Generated::Written { sql_paths })
}

fn plan_changes(old: &Schema, new: &Schema, decisions: &RenameDecisions) -> Result<Plan> {
    diff::diff_with(old, new, decisions).map_err(|a| renames_cli::refusal(&a))
}

/// When the plan adds enum values and another statement uses one of them, the
/// additions go first in a migration of their own: returns the schema after
/// them, their plan and the rest.
fn split_used_enum_values(
    old: &Schema,
    desired: &Schema,
    plan: &Plan,
    decisions: &RenameDecisions,
) -> Result<Option<(Schema, Plan, Plan)>> {
    let added: Vec<(&str, &str, &str)> = plan
        .changes
        .iter()
        .filter_map(|c| match c {
            Change::AddEnumValue {
                enum_def, value, ..
            } => Some((
                enum_def.schema.as_str(),
                enum_def.name.as_str(),
                value.as_str(),
            )),
            _ => None,
        })
        .collect();
    if added.is_empty() {
        return Ok(None);
    }
    let others: Vec<String> = plan
        .changes
        .iter()
        .filter(|c| !matches!(c, Change::AddEnumValue { .. }))
        .flat_map(sql::render_change)
        .collect();
    let used = added.iter().any(|(_, _, v)| {
        let literal = quote_literal(v);
        others.iter().any(|s| s.contains(&literal))
    });
    if !used {
        return Ok(None);
    }
    let mut intermediate = old.clone();
    for e in &mut intermediate.enums {
        if added.iter().any(|(s, n, _)| *s == e.schema && *n == e.name) {
            if let Some(new) = desired
                .enums
                .iter()
                .find(|d| d.schema == e.schema && d.name == e.name)
            {
                e.values = new.values.clone();
            }
        }
    }
    let first = plan_changes(old, &intermediate, &RenameDecisions::default())?;
    let rest = plan_changes(&intermediate, desired, decisions)?;
    Ok(Some((intermediate, first, rest)))
}

/// Indexes built `CONCURRENTLY` cannot be built in a transaction, and every
/// other statement should be: they go last, in a migration of their own that
/// starts with `-- vitaes:no-transaction` (drizzle-kit writes them among the
/// rest, where no migrator can run them). The step before gets a snapshot
/// without them, so each snapshot describes its migration's result.
fn split_concurrent_indexes(steps: Vec<(Schema, Plan)>) -> Vec<(Schema, Plan)> {
    let mut out = Vec::new();
    for (target, plan) in steps {
        let (concurrent, rest): (Vec<Change>, Vec<Change>) =
            plan.changes.into_iter().partition(is_concurrent_index);
        if concurrent.is_empty() || rest.is_empty() {
            out.push((
                target,
                Plan {
                    changes: concurrent.into_iter().chain(rest).collect(),
                },
            ));
            continue;
        }
        // A foreign key whose referenced columns only a new concurrent unique
        // index makes unique must wait for it.
        let (waiting, rest): (Vec<Change>, Vec<Change>) = rest
            .into_iter()
            .partition(|c| needs_concurrent_unique(c, &concurrent));
        let mut before = target.clone();
        for c in concurrent.iter().chain(&waiting) {
            let (table, index, fk) = match c {
                Change::CreateIndex { table, index } => (table, Some(&index.name), None),
                Change::AddForeignKey { table, fk } => (table, None, Some(&fk.name)),
                _ => continue,
            };
            if let Some(t) = before
                .tables
                .iter_mut()
                .find(|t| t.schema == table.schema && t.name == table.name)
            {
                t.indexes.retain(|i| Some(&i.name) != index);
                t.foreign_keys.retain(|f| Some(&f.name) != fk);
            }
        }
        out.push((before, Plan { changes: rest }));
        out.push((
            target,
            Plan {
                changes: concurrent.into_iter().chain(waiting).collect(),
            },
        ));
    }
    out
}

fn is_concurrent_index(c: &Change) -> bool {
    matches!(c, Change::CreateIndex { index, .. } if index.concurrently)
}

fn needs_concurrent_unique(c: &Change, concurrent: &[Change]) -> bool {
    let Change::AddForeignKey { fk, .. } = c else {
        return false;
    };
    concurrent.iter().any(|i| match i {
        Change::CreateIndex { table, index } => {
            index.unique
                && table.schema == fk.ref_schema
                && table.name == fk.ref_table
                && index.columns.iter().all(|c| !c.is_expression)
                && index.columns.len() == fk.ref_columns.len()
                && index
                    .columns
                    .iter()
                    .all(|c| fk.ref_columns.contains(&c.expression))
        }
        _ => false,
    })
}

/// The second half of a split: concurrent indexes (and the keys that wait
/// for them), to run outside a transaction.
fn is_concurrent_step(plan: &Plan) -> bool {
    plan.changes.first().is_some_and(is_concurrent_index)
        && plan
            .changes
            .iter()
            .all(|c| is_concurrent_index(c) || matches!(c, Change::AddForeignKey { .. }))
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

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

fn display(path: &Path, cwd: &Path) -> String {
    path.strip_prefix(cwd).unwrap_or(path).display().to_string()
}
