//! `vitaes-migrate check`: the migrations folder's health and whether the
//! code is in it (see `crate::check`). No database; exit 1 on any error
//! finding, warnings alone exit 0.

use std::io::Write;
use std::path::Path;

use super::flags::{Json, MigrationsFolder, SchemaSources};
use crate::check::{findings, read, Severity};
use crate::config::Config;
use crate::error::{Error, Result};

/// `check`'s flags.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Examples:
  vitaes-migrate check
  vitaes-migrate check --out migrations --schema src/schema
  vitaes-migrate check --json")]
pub struct CheckArgs {
    /// `--schema`: the code to look for in the folder.
    #[command(flatten)]
    pub schema: SchemaSources,
    /// `--out`: the folder to check.
    #[command(flatten)]
    pub out: MigrationsFolder,
    /// `--json`: print the findings as JSON.
    #[command(flatten)]
    pub json: Json,
}

impl Default for CheckArgs {
    fn default() -> Self {
        super::flags::defaults()
    }
}

/// Checks the folder (and, with schema sources, that the code matches its last snapshot); writes the findings to `out`.
pub fn run(args: &CheckArgs, config: &Config, cwd: &Path, out: &mut dyn Write) -> Result<()> {
    let dir = config.out_dir(args.out.as_deref(), cwd);
    if !dir.is_dir() {
        return Err(Error::MigrationsFolder {
            path: dir,
            message: "no migrations folder here: point --out (or `out` in vitaes.toml) at it"
                .into(),
        });
    }
    let folder = read(&dir).map_err(Error::io(&dir))?;
    let code = super::code_if_configured(config, &args.schema, cwd)?;
    let found = findings(&folder, code.as_ref());
    let errors = found
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    if *args.json {
        let _ = writeln!(
            out,
            "{}",
            serde_json::json!({ "version": 1, "folder": dir, "findings": found })
        );
    } else {
        for f in &found {
            let _ = writeln!(out, "{f}");
        }
        if code.is_none() {
            let _ = writeln!(
                out,
                "note: no schema sources (--schema or `schema` in vitaes.toml), so the code was not compared"
            );
        }
    }
    if errors > 0 {
        return Err(Error::Refused(format!(
            "{errors} problem{} in {}",
            if errors == 1 { "" } else { "s" },
            dir.display()
        )));
    }
    if !*args.json {
        let _ = writeln!(
            out,
            "{} is consistent{}",
            dir.display(),
            if code.is_some() {
                " and matches the code"
            } else {
                ""
            }
        );
    }
    Ok(())
}
