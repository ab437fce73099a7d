//! `vitaes-migrate pull`: write the live database as annotated Rust (see
//! [`crate::pull`]), one file per PostgreSQL schema, refusing to overwrite
//! a file unless `--force`; and, in a migrations folder with no migrations
//! yet, the baseline migration of that schema (drizzle-kit's commented-out
//! `0000`, or with `--baseline` a real one recorded as applied, as
//! drizzle-kit 1.0's `pull --init`).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::flags::{Database, Force, MigrationsFolder};
use crate::config::Config;
use crate::diff::phases::phases;
use crate::error::{Error, Result};
use crate::introspect::introspect;
use crate::migrations_dir::MigrationsDir;
use crate::migrator::{Migrator, RunOptions};
use crate::pull::render::Split;
use crate::source::load_texts;
use crate::sql;

/// `pull`'s flags.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Examples:
  vitaes-migrate pull --url postgresql://localhost:5432/vitaes --out-code src/schema
  vitaes-migrate pull --out-code src/schema --split tables --force
  vitaes-migrate pull --out-code src/schema --out migrations --baseline")]
pub struct PullArgs {
    /// `--url` and `--verbose`.
    #[command(flatten)]
    pub database: Database,
    /// Where the Rust files go (default: ./src/schema).
    #[arg(long, value_name = "DIR")]
    pub out_code: Option<PathBuf>,
    /// `--out`: the migrations folder the baseline goes in (a folder that
    /// has migrations gets none).
    #[command(flatten)]
    pub out: MigrationsFolder,
    /// Write the baseline as a real migration and record it as applied in
    /// the migrations table; refused when the folder or the table already
    /// has migrations.
    #[arg(long)]
    pub baseline: bool,
    /// One file per PostgreSQL schema (`schemas`, the default) or per table
    /// (`tables`).
    #[arg(long, value_enum, default_value_t = Split::Schemas)]
    pub split: Split,
    /// `--force`: overwrite files that are there.
    #[command(flatten)]
    pub force: Force,
}

impl Default for PullArgs {
    fn default() -> Self {
        super::flags::defaults()
    }
}

/// drizzle-kit's words around the SQL of a pulled baseline, which leave it
/// commented out: the database already has the schema.
const COMMENTED_OUT: (&str, &str) = (
    "-- Current sql file was generated after introspecting the database\n\
     -- If you want to run this migration please uncomment this code before executing migrations\n/*\n",
    "\n*/",
);

/// The baseline's tag suffix (`0000_baseline.sql`).
const BASELINE_TAG: &str = "baseline";

/// Reads the database and writes the files; prints what it wrote. Every
/// refusal comes before anything is written.
pub async fn run(
    args: &PullArgs,
    config: &Config,
    cwd: &Path,
    env: impl Fn(&str) -> Option<String>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<()> {
    let dir = cwd.join(args.out_code.as_deref().unwrap_or(Path::new("src/schema")));
    let (mut client, _) = super::connect_configured(&args.database, config, cwd, env, err).await?;
    let filter = super::shown_schemas(config, &client).await?;
    let mut live = introspect(&client, &filter)
        .await
        .map_err(|e| Error::Database(format!("reading the catalog: {e}")))?;
    config.scope().shown(&mut live.schema);
    let header = header(&live.schema, &live.not_managed);
    let files = crate::pull::render::files(&live.schema, &header, args.split);
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

    let out_dir = config.out_dir(args.out.as_deref(), cwd);
    let mut folder = MigrationsDir::open(&out_dir, config.file.migrations.prefix)?;
    let folder_has_migrations = !folder.folder().journal().entries.is_empty();
    let table = config.migrations_table();
    if args.baseline {
        refuse_over_a_history(&client, &table, &out_dir, folder_has_migrations).await?;
    }

    let code = write_code(&dir, files, out, err)?;
    let _ = writeln!(
        out,
        "{} tables, {} enums",
        live.schema.tables.len(),
        live.schema.enums.len()
    );
    if folder_has_migrations {
        let _ = writeln!(
            out,
            "No baseline written: {} already has migrations",
            out_dir.display()
        );
        return Ok(());
    }
    let tag = write_baseline(&mut folder, code, config, args.baseline, out)?;
    if args.baseline {
        let migrator = Migrator::from_dir(&out_dir)?.with_table(table);
        let options = RunOptions {
            baseline: Some(tag.clone()),
            ..RunOptions::default()
        };
        if let Err(e) = migrator.run_with(&mut client, &options, &mut |_| {}).await {
            // The folder goes back to empty, as the table is.
            let _ = folder.drop_last();
            return Err(e.into());
        }
        let _ = writeln!(
            out,
            "recorded {tag} as applied (baseline), without running it"
        );
    }
    Ok(())
}

/// `--baseline` starts a history: refused when the folder or the
/// migrations table already has one.
async fn refuse_over_a_history(
    client: &tokio_postgres::Client,
    table: &crate::migrator::MigrationsTable,
    out_dir: &Path,
    folder_has_migrations: bool,
) -> Result<()> {
    if folder_has_migrations {
        return Err(Error::Refused(format!(
            "--baseline: {} already has migrations; nothing was written\n  help: a baseline starts a history: pull into an empty --out folder, or leave out --baseline",
            out_dir.display()
        )));
    }
    let rows = crate::migrator::apply::read_rows(client, table).await?;
    if !rows.is_empty() {
        return Err(Error::Refused(format!(
            "--baseline: the migrations table {}.{} already records {} migration(s); nothing was written\n  help: this database's history is kept elsewhere: pull without --baseline",
            table.schema,
            table.table,
            rows.len()
        )));
    }
    Ok(())
}

/// Writes the pulled files into `dir`, laid out by rustfmt where it runs,
/// and returns the schema they say as the resolver reads them (what the
/// baseline's snapshot holds, so `generate` on them then has nothing to do).
/// The reading back comes first: code that would not read back is not
/// written.
fn write_code(
    dir: &Path,
    files: Vec<(String, String)>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<vitaes_schema_core::Schema> {
    let one_by_one = files.len() <= FORMAT_ONE_BY_ONE;
    let formatting = one_by_one.then(|| {
        let (files, at) = (files.clone(), existing_ancestor(dir));
        std::thread::spawn(move || {
            files
                .iter()
                .map(|(name, text)| Some((name.clone(), rustfmt_text(text, &at)?)))
                .collect::<Option<Vec<_>>>()
        })
    });
    let code = read_back(dir, &files)?;
    let formatted = formatting.and_then(|f| f.join().ok().flatten());
    let laid_out = formatted.is_some();
    let files = formatted.unwrap_or(files);
    std::fs::create_dir_all(dir).map_err(Error::io(dir))?;
    let mut written = Vec::with_capacity(files.len());
    for (name, text) in &files {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(Error::io(&path))?;
        let _ = writeln!(out, "wrote {}", path.display());
        written.push(path);
    }
    let laid_out = laid_out || (!one_by_one && rustfmt_in_place(&written));
    if !laid_out {
        let _ = writeln!(
            err,
            "note: rustfmt did not run; the files are as prettyplease prints them"
        );
    }
    Ok(code)
}

/// Writes the baseline of `code` into the (empty) folder: the whole schema
/// from nothing, commented out unless `real`; returns its tag.
fn write_baseline(
    folder: &mut MigrationsDir,
    code: vitaes_schema_core::Schema,
    config: &Config,
    real: bool,
    out: &mut dyn Write,
) -> Result<String> {
    let (mut empty, mut desired) = (vitaes_schema_core::Schema::default(), code);
    config.scope().apply(&mut empty, &mut desired);
    let plan = crate::diff::diff(&empty, &desired).expect("nothing to rename from an empty schema");
    // From nothing there are no enum values to add apart nor indexes built
    // concurrently (introspection never says CONCURRENTLY): one file.
    let statements: Vec<String> = phases(&empty, &desired, &plan)
        .iter()
        .flat_map(|p| sql::render(&p.plan))
        .collect();
    let mut text = sql::migration_file(&statements);
    if !real {
        text = format!("{}{text}{}", COMMENTED_OUT.0, COMMENTED_OUT.1);
    }
    let (sql_path, _) =
        folder.write_migration(BASELINE_TAG, &text, &desired, None, super::now_ms())?;
    let _ = writeln!(out, "wrote {} (baseline)", sql_path.display());
    Ok(folder
        .folder()
        .last()
        .map(|e| e.tag().to_string())
        .expect("just written"))
}

/// Formats `paths` in place with rustfmt, in one run; it reads the
/// project's rustfmt.toml. False when rustfmt is not installed or failed.
fn rustfmt_in_place(paths: &[PathBuf]) -> bool {
    std::process::Command::new("rustfmt")
        .args(["--edition", "2021", "--quiet"])
        .args(paths)
        .stdin(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// `text` as rustfmt lays it out, run in `at` (so that folder's
/// rustfmt.toml applies); `None` when rustfmt is not installed or failed.
fn rustfmt_text(text: &str, at: &Path) -> Option<String> {
    use std::process::{Command, Stdio};
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2021", "--emit", "stdout", "--quiet"])
        .current_dir(at)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let mut stdin = child.stdin.take()?;
    let text = text.to_string();
    // Written from a thread of its own: rustfmt answers while it reads.
    let writer = std::thread::spawn(move || stdin.write_all(text.as_bytes()));
    let output = child.wait_with_output().ok()?;
    writer.join().ok()?.ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8(output.stdout).ok())
        .flatten()
}

/// The nearest folder of `dir` that exists (rustfmt runs there).
fn existing_ancestor(dir: &Path) -> PathBuf {
    dir.ancestors()
        .find(|d| d.is_dir())
        .unwrap_or(Path::new("."))
        .to_path_buf()
}

/// Files up to this many are laid out by rustfmt one by one, while the
/// source reader reads them back; more (`--split tables`) in one run after
/// they are written.
const FORMAT_ONE_BY_ONE: usize = 16;

/// The pulled files as the source reader reads them once they are in `dir`.
fn read_back(dir: &Path, files: &[(String, String)]) -> Result<vitaes_schema_core::Schema> {
    let texts: Vec<(PathBuf, String)> = files
        .iter()
        .map(|(name, text)| (dir.join(name), text.clone()))
        .collect();
    load_texts(&texts).map_err(|e| {
        Error::Usage(format!(
            "the pulled code does not read back ({e}); nothing was written\n  help: this is a bug in pull: please report it with the table it names"
        ))
    })
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
    let rls_off = schema.tables.iter().filter(|t| t.rls_off).count();
    if rls_off > 0 {
        *left
            .entry("table with row-level security off despite its policies".into())
            .or_default() += rls_off;
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
