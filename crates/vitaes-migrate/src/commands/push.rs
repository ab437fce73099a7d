//! `vitaes-migrate push`: the code's schema onto the database, as
//! `drizzle-kit push`, but in one verified transaction (see [`crate::push`]).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::config::Config;
use crate::diff::phases::{phase_plans, PhaseKind};
use crate::diff::{Plan, RenameDecisions};
use crate::error::{Error, Result};
use crate::introspect::{introspect, user_schemas, Filter};
use crate::push::{apply, plan_with_live, PlanError, PushOptions};
use crate::renames_cli::{self, Prompter};
use crate::report::PlanReport;
use crate::source::load_schema;
use crate::sql;

#[derive(Debug, Clone)]
pub struct PushArgs {
    pub url: Option<String>,
    pub schema: Vec<PathBuf>,
    pub dry_run: bool,
    pub force: bool,
    pub strict: bool,
    pub json: bool,
    pub verbose: bool,
    pub lock_timeout: Duration,
    pub renames: RenameDecisions,
}

impl Default for PushArgs {
    fn default() -> Self {
        PushArgs {
            url: None,
            schema: Vec::new(),
            dry_run: false,
            force: false,
            strict: false,
            json: false,
            verbose: false,
            lock_timeout: Duration::from_secs(5),
            renames: RenameDecisions::default(),
        }
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
    mut prompter: Option<&mut dyn Prompter>,
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
    let (client, server) =
        super::connect_configured(args.url.as_deref(), config, cwd, env, args.verbose, err).await?;
    let everything = Filter {
        schemas: user_schemas(&client)
            .await
            .map_err(|e| Error::Database(format!("reading the catalog: {e}")))?,
        tables: Vec::new(),
    };
    let mut live = introspect(&client, &everything)
        .await
        .map_err(|e| Error::Database(format!("reading the catalog: {e}")))?
        .schema;
    let desired = loading
        .await
        .map_err(|e| Error::Refused(format!("reading the sources: {e}")))??;
    let filter = Filter::configured(config, Some(&desired));
    filter.restrict(&mut live);

    let mut options = PushOptions {
        filter,
        renames: args.renames.clone(),
        dry_run: args.dry_run,
        force: args.force,
        lock_timeout: args.lock_timeout,
    };
    let planned: Plan = loop {
        match plan_with_live(&client, &desired, live.clone(), &options).await {
            Ok(p) => break p,
            Err(PlanError::Ambiguous(a)) => match prompter.as_deref_mut() {
                Some(p) => renames_cli::ask(&a, p, &mut options.renames)?,
                None => {
                    if args.json {
                        let _ = writeln!(out, "{}", PlanReport::of_ambiguities(&a).to_json());
                    }
                    return Err(renames_cli::refusal(&a));
                }
            },
            Err(e) => return Err(e.into()),
        }
    };

    let facts = crate::push::facts::facts(&client, &planned, server.version_num)
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
    if args.json {
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
    if planned.is_empty() || args.dry_run {
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
        Some(p) if hazardous && !args.force => {
            let question = "The plan has hazards (see above). Apply it?";
            if p.choose(question, &["No, abort".into(), "Yes, apply".into()])
                .map_err(io)?
                != 1
            {
                return Err(Error::Refused("aborted; nothing was applied".into()));
            }
        }
        None if hazardous && !args.force => {
            return Err(Error::Refused(
                "the plan has hazards and there is no terminal to confirm them; nothing was applied\n  \
                 help: review the plan above and run again with --force"
                    .into(),
            ));
        }
        _ => {}
    }
    apply(&client, &desired, &planned, &options).await?;
    if !args.json {
        let _ = writeln!(out, "[✓] Changes applied");
    }
    Ok(())
}

fn io(e: std::io::Error) -> Error {
    Error::Refused(format!("could not ask for confirmation: {e}"))
}
