//! `vitaes-migrate drop`: remove the newest migration (file, snapshot,
//! journal entry), as `drizzle-kit drop` but only the last one — dropping
//! one from the middle would leave the snapshots after it describing changes
//! no file makes. Refused when the configured database has applied it.

use std::io::Write;
use std::path::Path;

use vitaes_schema_core::folder::Folder;

use super::flags::{DatabaseUrl, Force, MigrationsFolder};
use crate::check::Concern;
use crate::config::Config;
use crate::connect::{connect, mask_url, resolve_url};
use crate::error::{Error, Result};
use crate::migrator::apply::read_rows;
use crate::renames_cli::Prompter;

/// `drop`'s flags.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Examples:
  vitaes-migrate drop
  vitaes-migrate drop --out migrations --force   # no terminal, or no database to check
  vitaes-migrate drop --force --never-applied    # the configured database is out of reach")]
pub struct DropArgs {
    /// `--out`: the folder to drop from.
    #[command(flatten)]
    pub out: MigrationsFolder,
    /// `--url`: the database asked whether the migration is applied.
    #[command(flatten)]
    pub url: DatabaseUrl,
    /// `--force`: drop without asking, even when no database could be checked.
    #[command(flatten)]
    pub force: Force,
    /// Drop even when the configured database cannot be reached to check: you know the migration was never applied anywhere.
    #[arg(long)]
    pub never_applied: bool,
}

impl Default for DropArgs {
    fn default() -> Self {
        super::flags::defaults()
    }
}

/// Whether the database has the migration, if we could ask it.
enum Applied {
    Yes(String),
    No(String),
    Unknown(String),
}

/// Removes the newest migration unless the database has applied it, asking first when `prompter` is given and `--force` is not.
pub async fn run(
    args: &DropArgs,
    config: &Config,
    cwd: &Path,
    env: impl Fn(&str) -> Option<String>,
    out: &mut dyn Write,
    prompter: Option<&mut dyn Prompter>,
) -> Result<()> {
    let dir = config.out_dir(args.out.as_deref(), cwd);
    let mut folder = Folder::open(&dir)?;
    // On a journal check calls broken (two entries with one idx share one
    // snapshot name) "the newest migration's files" may be another's. (A
    // stray file or a fork is no reason not to drop the newest: dropping is
    // how a fork is mended.)
    let contents = crate::check::read(&dir).map_err(Error::io(&dir))?;
    if let Some(message) = crate::check::refusal(&contents, &[Concern::Journal], "drop") {
        return Err(Error::MigrationsFolder {
            path: dir.clone(),
            message,
        });
    }
    let Some(last) = folder.journal().entries.last().cloned() else {
        let _ = writeln!(out, "No migrations in {} to drop", dir.display());
        return Ok(());
    };
    let applied = match resolve_url(args.url.as_deref(), config, cwd, env) {
        // Nothing configured; a broken configuration is an error as anywhere.
        Err(Error::Usage(_)) => Applied::Unknown("no database is configured".into()),
        Err(e) => return Err(e),
        Ok(resolved) => {
            let masked = mask_url(&resolved.url);
            match connect(&resolved.url).await {
                Ok((client, _)) => {
                    let table = config.migrations_table();
                    let rows = read_rows(&client, &table).await?;
                    if rows.iter().any(|r| r.created_at == Some(last.when as i64)) {
                        Applied::Yes(masked)
                    } else {
                        Applied::No(masked)
                    }
                }
                // Unreachable is not "not applied": only the user can say so.
                Err(e) if args.never_applied => Applied::Unknown(format!("{masked}: {e}")),
                Err(e) => {
                    let _ = writeln!(
                        out,
                        "cannot check whether {} is applied to {masked}; nothing was dropped (if it was never applied anywhere, pass --never-applied)",
                        last.tag
                    );
                    return Err(e.into());
                }
            }
        }
    };
    match &applied {
        Applied::Yes(db) => {
            return Err(Error::Refused(format!(
                "{} is applied to {db}: dropping its file would leave the database ahead of the folder; write a new migration that undoes it instead",
                last.tag
            )))
        }
        Applied::No(db) => {
            let _ = writeln!(out, "{} is not applied to {db}", last.tag);
        }
        Applied::Unknown(why) => {
            let _ = writeln!(
                out,
                "could not check whether {} is applied anywhere ({why})",
                last.tag
            );
        }
    }
    if !*args.force {
        let Some(prompter) = prompter else {
            return Err(Error::Refused(format!(
                "dropping {} needs confirmation: run it on a terminal, or pass --force",
                last.tag
            )));
        };
        let question = format!(
            "Drop {} (its .sql file, snapshot and journal entry)?",
            last.tag
        );
        let choice = prompter
            .choose(&question, &["no, keep it".into(), "yes, drop it".into()])
            .map_err(Error::io("terminal"))?;
        if choice != 1 {
            let _ = writeln!(out, "Kept {}", last.tag);
            return Ok(());
        }
    }
    folder.drop_last()?;
    let layout = folder.layout();
    let _ = writeln!(
        out,
        "Dropped {} ({}, {} and its journal entry)",
        last.tag,
        layout.sql_file(&last.tag),
        layout.snapshot_file(&last)
    );
    Ok(())
}
