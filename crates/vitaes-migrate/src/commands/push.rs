//! `vitaes-migrate push`: the code's schema onto the database, as
//! `drizzle-kit push`, but in one verified transaction (see [`crate::push`]).

use std::io::Write;
use std::path::Path;

use super::flags::RenameFlags;
use super::flags::{Database, DryRun, Force, Json, LockTimeout, LockWait, SchemaSources};
use crate::config::Config;
use crate::diff::phases::{phase_plans, PhaseKind};
use crate::diff::Plan;
use crate::error::{Error, Result};
use crate::introspect::{introspect, user_schemas, Filter};
use crate::migrator::lock;
use crate::push::{apply, plan_with_live, PlanError, PushOptions};
use crate::renames_cli::{self, Prompter};
use crate::report::PlanReport;
use crate::source::load_schema;
use crate::sql;

/// `push`'s flags.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Examples:
  vitaes-migrate push --dry-run
  vitaes-migrate push --url postgresql://localhost:5432/vitaes
  vitaes-migrate push --rename table:users=accounts --force")]
pub struct PushArgs {
    /// `--schema`: the code to push.
    #[command(flatten)]
    pub schema: SchemaSources,
    /// `--url` and `--verbose`.
    #[command(flatten)]
    pub database: Database,
    /// `--dry-run`: show the plan, change nothing.
    #[command(flatten)]
    pub dry_run: DryRun,
    /// `--force`: apply a plan with hazards without asking.
    #[command(flatten)]
    pub force: Force,
    /// Confirm every statement (needs a terminal).
    #[arg(long)]
    pub strict: bool,
    /// `--json`: print the plan as JSON.
    #[command(flatten)]
    pub json: Json,
    /// `--lock-timeout`: for each statement's table locks.
    #[command(flatten)]
    pub lock_timeout: LockTimeout,
    /// `--lock-wait`: for another push or migrate holding the schema lock.
    #[command(flatten)]
    pub lock_wait: LockWait,
    /// `--rename` and `--no-rename`: decisions on ambiguous renames.
    #[command(flatten)]
    pub renames: RenameFlags,
}

impl Default for PushArgs {
    fn default() -> Self {
        super::flags::defaults()
    }
}

/// Plans, shows, confirms and applies. `prompter` is the terminal, if any:
/// it answers rename questions and confirms hazards.
pub async fn run(
    args: &PushArgs,
    config: &Config,
    cwd: &Path,
    env: impl Fn(&str) -> Option<String>,
    out: &mut dyn Write,
    err: &mut dyn Write,
    prompter: Option<&mut dyn Prompter>,
) -> Result<()> {
    if args.strict && prompter.is_none() {
        return Err(Error::Usage(
            "--strict confirms every statement and needs a terminal".into(),
        ));
    }
    // Reading the sources (syn) and reading the database overlap: the
    // database is read for every user schema, then narrowed to the filter.
    let paths = config.schema_paths(&args.schema, cwd)?;
    let loading = tokio::task::spawn_blocking(move || load_schema(&paths));
    let (client, server) = super::connect_configured(&args.database, config, cwd, env, err).await?;
    // One push or migrate at a time changes the database: the others wait,
    // then plan against what the first left (usually nothing to do). A dry
    // run changes nothing and takes no lock.
    let key = lock::lock_key(&config.migrations_table());
    if !*args.dry_run {
        lock::acquire(&client, key, *args.lock_wait, &mut |holder| {
            let by = holder
                .map(|p| format!(" (backend pid {p})"))
                .unwrap_or_default();
            let _ = writeln!(
                err,
                "waiting for the migration lock held by another push or migrate{by}, up to {:?}",
                *args.lock_wait
            );
        })
        .await?;
    }
    let result = plan_and_apply(args, config, &client, server, loading, out, prompter).await;
    if !*args.dry_run {
        // Closing the connection releases it too; an error here is not the
        // push's outcome.
        let _ = lock::release(&client, key).await;
    }
    result
}

/// What [`run`] does once connected (and, unless dry, holding the lock).
async fn plan_and_apply(
    args: &PushArgs,
    config: &Config,
    client: &tokio_postgres::Client,
    server: crate::connect::ServerInfo,
    loading: tokio::task::JoinHandle<Result<vitaes_schema_core::Schema>>,
    out: &mut dyn Write,
    mut prompter: Option<&mut dyn Prompter>,
) -> Result<()> {
    let everything = Filter {
        schemas: user_schemas(client)
            .await
            .map_err(|e| Error::Database(format!("reading the catalog: {e}")))?,
        tables: Vec::new(),
    };
    let mut live = introspect(client, &everything)
        .await
        .map_err(|e| Error::Database(format!("reading the catalog: {e}")))?
        .schema;
    let desired = loading
        .await
        .map_err(|e| Error::Refused(format!("reading the sources: {e}")))??;
    let filter = Filter::configured(config, Some(&desired));
    let unmanaged = filter.unmanaged(&desired);
    if !unmanaged.is_empty() {
        return Err(Error::Usage(format!(
            "the code has tables in schemas outside schema_filter ({}): {}\n  help: add their schemas to `schema_filter` in vitaes.toml, or, for a table the code only references (Supabase's auth.users), mark its struct #[table(external)]",
            filter.schemas.join(", "),
            unmanaged.join(", ")
        )));
    }
    filter.restrict(&mut live);
    args.renames
        .decisions()
        .check(&live, &desired, "the database")
        .map_err(Error::Usage)?;

    let mut options = PushOptions {
        filter,
        renames: args.renames.decisions(),
        dry_run: *args.dry_run,
        force: *args.force,
        lock_timeout: *args.lock_timeout,
        scope: config.scope(),
    };
    let planned: Plan = loop {
        match plan_with_live(client, &desired, live.clone(), &options).await {
            Ok(p) => break p,
            Err(PlanError::Ambiguous(a)) => match prompter.as_deref_mut() {
                Some(p) => renames_cli::ask(&a, p, &mut options.renames)?,
                None => {
                    if *args.json {
                        let _ = writeln!(out, "{}", PlanReport::of_ambiguities(&a).to_json());
                    }
                    return Err(renames_cli::refusal(&a));
                }
            },
            Err(e) => return Err(e.into()),
        }
    };

    let facts = crate::push::facts::facts(client, &planned, server.version_num)
        .await
        .map_err(|e| Error::Database(format!("counting rows: {e}")))?;
    let failing: Vec<String> = planned
        .changes
        .iter()
        .zip(&facts)
        .filter_map(|(c, f)| {
            f.as_ref()
                .filter(|f| f.fails)
                .map(|f| format!("{} {}: {f}", c.kind().replace('_', " "), c.object()))
        })
        .collect();
    let report = PlanReport::of_plan(&planned).with_facts(facts);
    if *args.json {
        let _ = writeln!(out, "{}", report.to_json());
    } else if planned.is_empty() {
        let _ = writeln!(out, "No changes detected");
    } else {
        for statement in sql::render_with_hazards(&planned) {
            let _ = writeln!(out, "{}", statement.trim_end());
        }
        let _ = writeln!(out, "\n{}", report.summary_table());
        let kinds: Vec<PhaseKind> = phase_plans(&planned).into_iter().map(|(k, _)| k).collect();
        if kinds.contains(&PhaseKind::EnumValues) {
            let _ = writeln!(
                out,
                "note: enum values are added first, in a transaction of their own"
            );
        }
        if kinds.contains(&PhaseKind::OutsideTransaction) {
            let _ = writeln!(
                out,
                "note: CONCURRENTLY indexes are built after the transaction commits"
            );
        }
    }
    if planned.is_empty() || *args.dry_run {
        return Ok(());
    }
    if !failing.is_empty() {
        return Err(Error::Refused(format!(
            "this plan cannot succeed on the current data; nothing was applied:\n{}",
            failing
                .iter()
                .map(|f| format!("  - {f}"))
                .collect::<Vec<_>>()
                .join("\n")
        )));
    }

    let hazardous = planned.hazards().iter().any(|h| !h.is_empty());
    match prompter {
        Some(p) if args.strict => {
            for statement in sql::render(&planned) {
                let question = format!("Run this statement?\n{}", statement.trim_end());
                if p.choose(&question, &["No, stop".into(), "Yes".into()])
                    .map_err(io)?
                    != 1
                {
                    return Err(Error::Refused("stopped; nothing was applied".into()));
                }
            }
        }
        Some(p) if hazardous && !*args.force => {
            let question = "The plan has hazards (see above). Apply it?";
            if p.choose(question, &["No, abort".into(), "Yes, apply".into()])
                .map_err(io)?
                != 1
            {
                return Err(Error::Refused("aborted; nothing was applied".into()));
            }
        }
        None if hazardous && !*args.force => {
            return Err(Error::Refused(
                "the plan has hazards and there is no terminal to confirm them; nothing was applied\n  \
                 help: review the plan above and run again with --force"
                    .into(),
            ));
        }
        _ => {}
    }
    apply(client, &desired, &planned, &options).await?;
    if !*args.json {
        let _ = writeln!(out, "[✓] Changes applied");
    }
    Ok(())
}

fn io(e: std::io::Error) -> Error {
    Error::Refused(format!("could not ask for confirmation: {e}"))
}
