//! `vitaes-migrate check`: the migrations folder's health and whether the
//! code is in it (see `crate::check`). No database; exit 1 on any error
//! finding, warnings alone exit 0.

use std::io::Write;
use std::path::Path;

use super::flags::{Json, MigrationsFolder, SchemaSources, ShadowUrl};
use crate::check::{findings, read, Concern, Finding, Severity};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::migrator::Migrator;
use crate::shadow::{self, ShadowServer, Verdict};

/// `check`'s flags.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Examples:
  vitaes-migrate check
  vitaes-migrate check --out migrations --schema src/schema
  vitaes-migrate check --json
  vitaes-migrate check --shadow   # apply the whole folder to a throwaway database and compare")]
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
    /// Also apply every migration to a throwaway database and compare the result with the code (as push compares).
    #[arg(long)]
    pub shadow: bool,
    /// `--shadow-url`: where that database is made.
    #[command(flatten)]
    pub shadow_url: ShadowUrl,
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
    let mut found = findings(&folder, code.as_ref(), &config.scope());
    if args.shadow {
        let Some(code) = &code else {
            return Err(Error::Usage(
                "--shadow compares what the migrations build with the code: give --schema (or `schema` in vitaes.toml)".into(),
            ));
        };
        let migrator = Migrator::from_dir(&dir)?.with_table(config.migrations_table());
        found.extend(shadow_findings(
            &migrator,
            code,
            &config.scope(),
            args.shadow_url.shadow_url.as_deref(),
        )?);
    }
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

/// The shadow database's verdict as findings: none when the chain produces
/// the code.
pub(crate) fn shadow_findings(
    migrator: &Migrator,
    code: &vitaes_schema_core::Schema,
    scope: &crate::scope::Scope,
    shadow_url: Option<&str>,
) -> Result<Vec<Finding>> {
    let server = ShadowServer::open(shadow_url)?;
    let verdict = super::block_on(shadow::verify(&server, migrator, code, scope))??;
    let finding = |message: String, fix: &str| Finding {
        severity: Severity::Error,
        concern: Concern::Code,
        // The chain as a whole: the journal lists it.
        file: std::path::PathBuf::from(vitaes_schema_core::folder::DEFAULT.journal_file()),
        message,
        fix: Some(fix.to_string()),
    };
    Ok(match verdict {
        Verdict::Matches => Vec::new(),
        Verdict::Differs(lines) => vec![finding(
            format!(
                "applied in order to an empty database, the migrations do not build the code; what differs:\n  {}",
                lines.join("\n  ")
            ),
            "a migration was edited or lost: restore it from version control, or run `vitaes-migrate generate` to write what is missing",
        )],
        Verdict::Failed(e) => vec![finding(
            format!("applied in order to an empty database, a migration fails: {e}"),
            "fix the migration (before it is applied anywhere) or add one that works after it",
        )],
    })
}
