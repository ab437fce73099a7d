//! `vitaes-migrate pull`: write the live database as annotated Rust (see
//! [`crate::pull`]), one file per PostgreSQL schema, refusing to overwrite
//! a file unless `--force`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::flags::{Database, Force};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::introspect::{introspect, user_schemas, Filter};

/// `pull`'s flags.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Examples:
  vitaes-migrate pull --url postgresql://localhost:5432/vitaes --out-code src/schema
  vitaes-migrate pull --out-code src/schema --force")]
pub struct PullArgs {
    /// `--url` and `--verbose`.
    #[command(flatten)]
    pub database: Database,
    /// Where the Rust files go (default: ./src/schema).
    #[arg(long, value_name = "DIR")]
    pub out_code: Option<PathBuf>,
    /// `--force`: overwrite files that are there.
    #[command(flatten)]
    pub force: Force,
}

impl Default for PullArgs {
    fn default() -> Self {
        super::flags::defaults()
    }
}

/// Reads the database and writes the files; prints what it wrote.
pub async fn run(
    args: &PullArgs,
    config: &Config,
    cwd: &Path,
    env: impl Fn(&str) -> Option<String>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<()> {
    let dir = cwd.join(args.out_code.as_deref().unwrap_or(Path::new("src/schema")));
    let (client, _) = super::connect_configured(&args.database, config, cwd, env, err).await?;
    // `schema_filter`, else every user schema but the migrations table's.
    let mut filter = Filter::configured(config, None);
    if config.file.schema_filter.is_none() {
        let bookkeeping = config.migrations_table().schema;
        filter.schemas = user_schemas(&client)
            .await
            .map_err(|e| Error::Database(format!("reading the catalog: {e}")))?
            .into_iter()
            .filter(|s| *s != bookkeeping)
            .collect();
    }
    let mut live = introspect(&client, &filter)
        .await
        .map_err(|e| Error::Database(format!("reading the catalog: {e}")))?;
    config.scope().shown(&mut live.schema);
    let header = header(&live.schema, &live.not_managed);
    let files = crate::pull::render::files(&live.schema, &header);
    let existing: Vec<String> = files
        .iter()
        .map(|(name, _)| dir.join(name))
        .filter(|p| p.exists())
        .map(|p| p.display().to_string())
        .collect();
    if !existing.is_empty() && !*args.force {
        return Err(Error::Refused(format!(
            "pull would overwrite {}; nothing was written\n  help: pull into another --out-code folder, or pass --force",
            existing.join(", ")
        )));
    }
    std::fs::create_dir_all(&dir).map_err(Error::io(&dir))?;
    for (name, text) in &files {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(Error::io(&path))?;
        let _ = writeln!(out, "wrote {}", path.display());
    }
    let _ = writeln!(
        out,
        "{} tables, {} enums",
        live.schema.tables.len(),
        live.schema.enums.len()
    );
    Ok(())
}

/// The top-of-file lines: where it came from and, with counts, what the
/// structs do not express, so nothing is left out silently.
fn header(schema: &vitaes_schema_core::Schema, not_managed: &[String]) -> Vec<String> {
    let mut lines =
        vec!["Written by `vitaes-migrate pull` from the database's catalog.".to_string()];
    let mut left: BTreeMap<String, usize> = BTreeMap::new();
    for item in not_managed {
        let kind = item
            .rsplit_once(' ')
            .map(|(k, _)| k)
            .unwrap_or(item.as_str());
        // "extension public.pg_trgm 1.6" has a version after the name.
        let kind = kind.split(' ').next().unwrap_or(kind);
        *left.entry(kind.to_string()).or_default() += 1;
    }
    let not_yet = [
        ("role", schema.roles.len()),
        (
            "table with row-level security off despite its policies",
            schema.tables.iter().filter(|t| t.rls_off).count(),
        ),
    ];
    for (kind, n) in not_yet {
        if n > 0 {
            *left.entry(kind.to_string()).or_default() += n;
        }
    }
    if left.is_empty() {
        lines.push("Everything the database holds in these schemas is below.".into());
    } else {
        let said: Vec<String> = left.iter().map(|(k, n)| format!("{n} × {k}")).collect();
        lines.push(format!(
            "Not written below (left in the database as they are): {}.",
            said.join(", ")
        ));
    }
    lines
}
