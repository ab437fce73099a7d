//! `vitaes-migrate diagram`: the schema as an entity-relationship diagram
//! for a README or a pull request, as SVG or as a mermaid `erDiagram` (see
//! [`crate::diagram`]). Of the code by default (`--schema`, else `schema` in
//! vitaes.toml), or with `--url` of a live database, read by the same
//! introspection as `introspect` and `pull`: `schema_filter`, else every
//! user schema but the migrations table's, narrowed by `tables_filter`.
//! Printed, or written to `--output FILE`. Read-only.

use std::io::Write;
use std::path::{Path, PathBuf};

use vitaes_schema_core::Schema;

use super::flags::{Database, Format, SchemaSources};
use crate::config::Config;
use crate::diagram::{mermaid, svg};
use crate::error::{Error, Result};
use crate::introspect::{introspect, user_schemas, Filter};
use crate::source::load_schema;

/// What `diagram --format` prints.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiagramFormat {
    /// A self-contained SVG picture.
    #[default]
    Svg,
    /// A mermaid erDiagram, which GitHub renders in a ```mermaid block.
    Mermaid,
}

/// `diagram`'s flags.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Examples:
  vitaes-migrate diagram --output schema.svg
  vitaes-migrate diagram --format mermaid > schema.mmd
  vitaes-migrate diagram --schema src/schema --format mermaid --output docs/schema.mmd
  vitaes-migrate diagram --url postgresql://localhost:5432/vitaes --output live.svg")]
pub struct DiagramArgs {
    /// `--format`: `svg` (the default) or `mermaid`.
    #[command(flatten)]
    pub format: Format<DiagramFormat>,
    /// Write the diagram to FILE (replacing it) instead of printing it.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// `--schema`: the code to draw.
    #[command(flatten)]
    pub schema: SchemaSources,
    /// `--url` (draw that database instead of the code) and `--verbose`.
    #[command(flatten)]
    pub database: Database,
}

impl Default for DiagramArgs {
    fn default() -> Self {
        super::flags::defaults()
    }
}

/// Reads the schema, draws it, and prints it or writes `--output`.
/// `env` looks up environment variables (the process environment in the
/// binary); a database is read only with `--url`.
pub fn run(
    args: &DiagramArgs,
    config: &Config,
    cwd: &Path,
    env: impl Fn(&str) -> Option<String>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<()> {
    let schema = match args.database.url.as_deref() {
        Some(_) if !args.schema.is_empty() => {
            return Err(Error::Usage(
                "diagram draws one schema: --url (a database) or --schema (code), not both".into(),
            ))
        }
        Some(_) => super::block_on(live(args, config, cwd, env, err))??,
        None => load_schema(&config.schema_paths(&args.schema, cwd)?)?,
    };
    let text = draw(&schema, args.format.get());
    match &args.output {
        Some(file) => {
            let path = cwd.join(file);
            std::fs::write(&path, &text).map_err(Error::io(&path))?;
            let _ = writeln!(
                out,
                "wrote {} ({} tables, {} foreign keys)",
                path.display(),
                schema.tables.len() + schema.external.len(),
                schema
                    .tables
                    .iter()
                    .chain(&schema.external)
                    .map(|t| t.foreign_keys.len())
                    .sum::<usize>()
            );
        }
        None => {
            let _ = out.write_all(text.as_bytes());
        }
    }
    Ok(())
}

/// `schema` drawn in `format`.
pub fn draw(schema: &Schema, format: DiagramFormat) -> String {
    match format {
        DiagramFormat::Svg => svg(schema),
        DiagramFormat::Mermaid => mermaid(schema),
    }
}

/// The database at `--url`, as pull reads it.
async fn live(
    args: &DiagramArgs,
    config: &Config,
    cwd: &Path,
    env: impl Fn(&str) -> Option<String>,
    err: &mut dyn Write,
) -> Result<Schema> {
    let (client, _) = super::connect_configured(&args.database, config, cwd, env, err).await?;
    let catalog = |e: tokio_postgres::Error| Error::Database(format!("reading the catalog: {e}"));
    let mut filter = Filter::configured(config, None);
    if config.file.schema_filter.is_none() {
        let bookkeeping = config.migrations_table().schema;
        filter.schemas = user_schemas(&client)
            .await
            .map_err(catalog)?
            .into_iter()
            .filter(|s| *s != bookkeeping)
            .collect();
    }
    if args.database.verbose {
        let _ = writeln!(err, "schemas: {}", filter.schemas.join(", "));
    }
    Ok(introspect(&client, &filter).await.map_err(catalog)?.schema)
}
