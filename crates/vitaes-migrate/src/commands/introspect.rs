//! `vitaes-migrate introspect`: read the live database (drizzle-kit's
//! `introspect`, first half): a summary, or with `--json` the live schema as
//! a drizzle-kit snapshot. Read-only; the first command that connects.

use std::io::Write;
use std::path::Path;

use vitaes_schema_core::snapshot::{self, Snapshot, ZERO_ID};

use super::flags::{Database, Json, SchemaSources};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::introspect::{introspect, Filter};
use crate::source::load_schema;

/// `introspect`'s flags.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Examples:
  vitaes-migrate introspect --verbose
  vitaes-migrate introspect --url postgresql://localhost:5432/vitaes
  vitaes-migrate introspect --json > live_snapshot.json")]
pub struct IntrospectArgs {
    /// `--url` and `--verbose`.
    #[command(flatten)]
    pub database: Database,
    /// `--schema`: the code, whose schemas are read unless vitaes.toml has a `schema_filter`.
    #[command(flatten)]
    pub schema: SchemaSources,
    /// `--json`: print the live schema as a drizzle-kit snapshot.
    #[command(flatten)]
    pub json: Json,
}

impl Default for IntrospectArgs {
    fn default() -> Self {
        super::flags::defaults()
    }
}

/// Connects, reads the managed schemas and prints them. `env` looks up
/// environment variables (the process environment in the binary).
pub async fn run(
    args: &IntrospectArgs,
    config: &Config,
    cwd: &Path,
    env: impl Fn(&str) -> Option<String>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<()> {
    let filter = filter(args, config, cwd)?;
    let (client, _) = super::connect_configured(&args.database, config, cwd, env, err).await?;
    if args.database.verbose {
        let _ = writeln!(err, "schemas: {}", filter.schemas.join(", "));
    }
    let mut live = introspect(&client, &filter)
        .await
        .map_err(|e| Error::Database(format!("reading the catalog: {e}")))?;
    config.scope().shown(&mut live.schema);
    if *args.json {
        let snap = Snapshot {
            id: ZERO_ID.to_string(),
            prev_id: ZERO_ID.to_string(),
            schema: live.schema,
        };
        let _ = writeln!(out, "{}", snapshot::to_json(&snap));
        return Ok(());
    }
    let s = &live.schema;
    let _ = writeln!(
        out,
        "{} tables, {} enums, {} schemas besides public",
        s.tables.len(),
        s.enums.len(),
        s.schemas.len()
    );
    for t in &s.tables {
        let _ = writeln!(
            out,
            "  {}.{}: {} columns, {} indexes, {} foreign keys{}",
            t.schema,
            t.name,
            t.columns.len(),
            t.indexes.len()
                + t.uniques.len()
                + usize::from(t.primary_key.is_some() || t.columns.iter().any(|c| c.primary_key)),
            t.foreign_keys.len(),
            rls_summary(t)
        );
    }
    for q in &s.sequences {
        let _ = writeln!(
            out,
            "  sequence {}.{}: {} from {} by {}",
            q.schema, q.name, q.data_type, q.options.start_with, q.options.increment
        );
    }
    for v in &s.views {
        let _ = writeln!(
            out,
            "  {} {}.{}: {} columns",
            if v.materialized {
                "materialized view"
            } else {
                "view"
            },
            v.schema,
            v.name,
            v.columns.len()
        );
    }
    for item in &live.not_managed {
        let _ = writeln!(out, "  not managed: {item}");
    }
    Ok(())
}

/// `, row-level security (forced), 2 policies` for a table that has any.
fn rls_summary(t: &vitaes_schema_core::TableDef) -> String {
    let mut said = String::new();
    if t.rls || t.force_rls {
        said.push_str(", row-level security");
        if !t.rls {
            said.push_str(" off");
        }
        if t.force_rls {
            said.push_str(" (forced)");
        }
    } else if !t.policies.is_empty() {
        said.push_str(", row-level security off");
    }
    match t.policies.len() {
        0 => {}
        1 => said.push_str(", 1 policy"),
        n => said.push_str(&format!(", {n} policies")),
    }
    said
}

/// The configured filter; the code is read only when vitaes.toml names no
/// `schema_filter` and there are schema sources.
fn filter(args: &IntrospectArgs, config: &Config, cwd: &Path) -> Result<Filter> {
    let code = match (
        &config.file.schema_filter,
        config.schema_paths(&args.schema, cwd),
    ) {
        (None, Ok(paths)) => Some(load_schema(&paths)?),
        _ => None,
    };
    Ok(Filter::configured(config, code.as_ref()))
}
