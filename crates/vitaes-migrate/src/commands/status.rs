//! `vitaes-migrate status`: where each migration stands on the database, and
//! whether the database has drifted from the code (push's canonical
//! comparison, shown as the statements push would run).

use std::io::Write;
use std::path::Path;

use super::flags::{Database, Json, MigrationsFolder, SchemaSources};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::introspect::Filter;
use crate::migrator::{MigrationStatus, Migrator, State};
use crate::push::{PlanError, PushOptions};
use crate::report::PlanReport;
use crate::sql;

/// `status`'s flags.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Examples:
  vitaes-migrate status
  vitaes-migrate status --exit-code   # in CI: exit 1 when not applied or drifted
  vitaes-migrate status --json --url postgresql://localhost:5432/vitaes")]
pub struct StatusArgs {
    /// `--schema`: the code to compare the database with.
    #[command(flatten)]
    pub schema: SchemaSources,
    /// `--out`: the folder whose migrations are checked.
    #[command(flatten)]
    pub out: MigrationsFolder,
    /// `--url` and `--verbose`.
    #[command(flatten)]
    pub database: Database,
    /// `--json`: print the status as JSON.
    #[command(flatten)]
    pub json: Json,
    /// `--exit-code`: exit 1 when a migration is not applied or the database drifted.
    #[command(flatten)]
    pub exit_code: super::flags::ExitCode,
}

impl Default for StatusArgs {
    fn default() -> Self {
        super::flags::defaults()
    }
}

/// What the comparison with the code found.
pub(crate) enum Drift {
    /// No schema sources configured.
    NotChecked,
    /// The database is what the code says.
    None,
    /// Differs: what push would run, and the two schemas as DDL.
    Plan(crate::diff::Plan, String),
    /// Differs, with renames push would ask about.
    Ambiguous(String),
}

/// How the database differs from `code` (`NotChecked` without code): the
/// plan push would run, and the two schemas as a unified diff of their DDL.
pub(crate) async fn drift(
    client: &tokio_postgres::Client,
    code: Option<&vitaes_schema_core::Schema>,
    config: &Config,
    colour: bool,
) -> Result<Drift> {
    let Some(code) = code else {
        return Ok(Drift::NotChecked);
    };
    let options = PushOptions {
        filter: Filter::configured(config, Some(code)),
        scope: config.scope(),
        ..PushOptions::default()
    };
    let compared = crate::compare::compare(
        crate::compare::Side::Live(client),
        crate::compare::Side::Offline(Box::new(code.clone())),
        &options,
    )
    .await;
    Ok(match compared {
        Ok(c) if c.plan.is_empty() => Drift::None,
        Ok(c) => {
            let shown = crate::unified::unified("database", &c.from, "code", &c.to, colour);
            Drift::Plan(c.plan, shown)
        }
        Err(PlanError::Ambiguous(a)) => {
            Drift::Ambiguous(crate::renames_cli::refusal(&a).to_string())
        }
        Err(e) => return Err(e.into()),
    })
}

/// Prints each migration's status and the drift from the code, on `out`.
pub async fn run(
    args: &StatusArgs,
    config: &Config,
    cwd: &Path,
    env: impl Fn(&str) -> Option<String>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<()> {
    let dir = config.out_dir(args.out.as_deref(), cwd);
    let migrator = Migrator::from_dir(&dir)?.with_table(config.migrations_table());
    let code = super::code_if_configured(config, &args.schema, cwd)?;
    let (client, _) = super::connect_configured(&args.database, config, cwd, env, err).await?;
    let statuses = migrator.status(&client).await?;
    let colour = crate::unified::colour_for(&std::io::stdout(), std::env::var("NO_COLOR").ok());
    let drift = drift(&client, code.as_ref(), config, colour).await?;

    if *args.json {
        let drift_json = match &drift {
            Drift::NotChecked => serde_json::json!({ "checked": false }),
            Drift::None => serde_json::json!({ "checked": true, "drifted": false }),
            Drift::Plan(plan, _) => serde_json::json!({
                "checked": true,
                "drifted": true,
                "plan": PlanReport::of_plan(plan),
                "statements": sql::render(plan),
            }),
            Drift::Ambiguous(message) => {
                serde_json::json!({ "checked": true, "drifted": true, "ambiguous": message })
            }
        };
        let _ = writeln!(
            out,
            "{}",
            serde_json::json!({
                "version": 1,
                "table": format!("{}.{}", migrator.table().schema, migrator.table().table),
                "migrations": statuses,
                "drift": drift_json,
            })
        );
    } else {
        print_human(&statuses, &drift, &migrator, &dir, out);
    }

    let unapplied = statuses
        .iter()
        .filter(|s| s.state != State::Applied)
        .count();
    let drifted = matches!(drift, Drift::Plan(..) | Drift::Ambiguous(_));
    if *args.exit_code && (unapplied > 0 || drifted) {
        return Err(Error::Refused(format!(
            "{unapplied} migration{} not applied{}",
            if unapplied == 1 { "" } else { "s" },
            if drifted {
                "; the database differs from the code"
            } else {
                ""
            }
        )));
    }
    Ok(())
}

fn print_human(
    statuses: &[MigrationStatus],
    drift: &Drift,
    migrator: &Migrator,
    dir: &Path,
    out: &mut dyn Write,
) {
    let _ = writeln!(
        out,
        "Migrations in {} (recorded in {}.{}):",
        dir.display(),
        migrator.table().schema,
        migrator.table().table
    );
    let names: Vec<String> = statuses
        .iter()
        .map(|s| {
            s.tag.clone().unwrap_or_else(|| {
                format!(
                    "(no file; created_at {})",
                    s.when.map_or("NULL".into(), |w| w.to_string())
                )
            })
        })
        .collect();
    let width = names.iter().map(String::len).max().unwrap_or(0);
    for (s, name) in statuses.iter().zip(&names) {
        let state = match s.state {
            State::Applied => "applied",
            State::Pending => "pending",
            State::OutOfOrder => "out-of-order",
            State::Modified => "MODIFIED",
            State::Missing => "missing",
        };
        let when = match (&s.applied_at, s.state) {
            (Some(at), _) => format!("  applied {at}"),
            (None, State::Applied | State::Modified | State::Missing) => {
                "  applied (time not recorded)".into()
            }
            _ => String::new(),
        };
        let line = format!("  {state:<12} {name:<width$}{when}");
        let _ = writeln!(out, "{}", line.trim_end());
    }
    if statuses.is_empty() {
        let _ = writeln!(out, "  (none)");
    }
    match drift {
        Drift::NotChecked => {
            let _ = writeln!(
                out,
                "Drift: not checked (no schema sources: --schema or `schema` in vitaes.toml)"
            );
        }
        Drift::None => {
            let _ = writeln!(out, "Drift: none, the database matches the code");
        }
        Drift::Plan(plan, shown) => {
            let _ = writeln!(out, "Drift: the database differs from the code:\n{shown}");
            let _ = writeln!(out, "push would run:");
            for s in sql::render(plan) {
                let _ = writeln!(out, "  {s}");
            }
        }
        Drift::Ambiguous(message) => {
            let _ = writeln!(out, "Drift: the database differs from the code:\n{message}");
        }
    }
}
