//! `vitaes-migrate migrate`: apply the folder's pending migrations (see
//! [`crate::migrator`]), with progress on a terminal.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::flags::{Database, DryRun, LockTimeout, LockWait, MigrationsFolder};
use vitaes_schema_core::folder::{Contents, DEFAULT};

use crate::check::Concern;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::migrator::{Event, MigrateReport, Migrator, RunOptions};

/// `migrate`'s flags.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Examples:
  vitaes-migrate migrate
  vitaes-migrate migrate --dry-run
  vitaes-migrate migrate --baseline 0003_add_users   # a database built by push
  vitaes-migrate migrate --lock-wait 2m --url postgresql://localhost:5432/vitaes")]
pub struct MigrateArgs {
    /// `--out`: the folder to apply.
    #[command(flatten)]
    pub out: MigrationsFolder,
    /// `--url` and `--verbose`.
    #[command(flatten)]
    pub database: Database,
    /// `--dry-run`: show the pending migrations, apply none.
    #[command(flatten)]
    pub dry_run: DryRun,
    /// Record every migration up to this tag as applied without running it (for a database built by push).
    #[arg(long, value_name = "TAG")]
    pub baseline: Option<String>,
    /// `--lock-wait`: for another migrate or push holding the schema lock.
    #[command(flatten)]
    pub lock_wait: LockWait,
    /// `--lock-timeout`: for each statement's table locks.
    #[command(flatten)]
    pub lock_timeout: LockTimeout,
}

impl Default for MigrateArgs {
    fn default() -> Self {
        super::flags::defaults()
    }
}

/// A journal check calls broken (two entries with one idx, a gap, one `when`
/// twice) is refused before anything connects: which migrations are pending
/// is then a guess. Only the journal is read; snapshots are generate's.
fn refuse_broken_journal(dir: &Path) -> Result<()> {
    let path = dir.join(DEFAULT.journal_file());
    let journal = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        // No journal: from_dir has said what that means.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(&path)(e)),
    };
    let contents = Contents {
        journal: Some(journal),
        ..Contents::default()
    };
    match crate::check::refusal(&contents, &[Concern::Journal], "migrate") {
        Some(message) => Err(Error::MigrationsFolder {
            path: dir.to_path_buf(),
            message,
        }),
        None => Ok(()),
    }
}

/// Applies the pending migrations, reporting progress on `out` and connection details on `err`.
pub async fn run(
    args: &MigrateArgs,
    config: &Config,
    cwd: &Path,
    env: impl Fn(&str) -> Option<String>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<()> {
    let dir = config.out_dir(args.out.as_deref(), cwd);
    let migrator = Migrator::from_dir(&dir)?.with_table(config.migrations_table());
    refuse_broken_journal(&dir)?;
    let (mut client, _) = super::connect_configured(&args.database, config, cwd, env, err).await?;
    let options = RunOptions {
        dry_run: *args.dry_run,
        baseline: args.baseline.clone(),
        lock_wait: *args.lock_wait,
        lock_timeout: Some(*args.lock_timeout),
    };
    let bar = progress_bar();
    // Each line goes out (flushed) as it happens, above the bar on a
    // terminal: a log piped elsewhere has what was applied even if the
    // process is killed.
    let mut say = |line: String| {
        bar.suspend(|| {
            let _ = writeln!(out, "{line}");
            let _ = out.flush();
        })
    };
    let result = migrator
        .run_with(&mut client, &options, &mut |event| match event {
            Event::WaitingForLock { holder } => {
                let by = holder
                    .map(|p| format!(" (backend pid {p})"))
                    .unwrap_or_default();
                bar.suspend(|| {
                    let _ = writeln!(
                        std::io::stderr(),
                        "waiting for the migration lock held by another migrate or push{by}, up to {:?}",
                        *args.lock_wait
                    );
                });
                say(format!("waited for the migration lock{by}"));
            }
            Event::Applying {
                migration,
                position,
                total,
            } => {
                bar.set_length(total as u64);
                bar.set_position(position as u64 - 1);
                bar.set_message(migration.tag.clone());
            }
            Event::Applied {
                migration,
                statements,
                elapsed,
            } => {
                bar.inc(1);
                say(format!(
                    "applied {} ({statements} statement{}, {} ms)",
                    migration.tag,
                    if statements == 1 { "" } else { "s" },
                    elapsed.as_millis()
                ));
            }
        })
        .await;
    bar.finish_and_clear();
    let report = result?;
    print_report(&report, args, &dir, out);
    Ok(())
}

/// A bar on a terminal's stderr; nothing elsewhere (CI logs get the lines).
fn progress_bar() -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed}] {pos}/{len} {wide_msg}")
            .expect("a valid template"),
    );
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

fn print_report(report: &MigrateReport, args: &MigrateArgs, dir: &Path, out: &mut dyn Write) {
    for tag in &report.out_of_order {
        let _ =
            writeln!(
            out,
            "note: {tag} is older than the newest applied migration (merged from a branch?); {}",
            if *args.dry_run { "it would be applied" } else { "it was applied" }
        );
    }
    for row in &report.missing {
        let _ = writeln!(
            out,
            "note: the database records a migration no journal entry has (id {}, created_at {}): a file deleted, or applied from another branch",
            row.id,
            row.created_at.map_or("NULL".to_string(), |c| c.to_string())
        );
    }
    let verb = if *args.dry_run {
        "would record"
    } else {
        "recorded"
    };
    for tag in &report.baselined {
        let _ = writeln!(
            out,
            "{verb} {tag} as applied (baseline), without running it"
        );
    }
    if *args.dry_run {
        for tag in &report.pending {
            let _ = writeln!(out, "would apply {tag}");
        }
    }
    let n = if *args.dry_run {
        report.pending.len()
    } else {
        report.applied.len()
    };
    let _ = if n == 0 && report.baselined.is_empty() {
        writeln!(
            out,
            "Nothing to migrate: {} migration{} of {} already applied",
            report.already_applied,
            if report.already_applied == 1 { "" } else { "s" },
            dir.display()
        )
    } else if *args.dry_run {
        writeln!(
            out,
            "Dry run: {n} migration{} pending; nothing changed",
            if n == 1 { "" } else { "s" }
        )
    } else {
        writeln!(
            out,
            "Applied {n} migration{}",
            if n == 1 { "" } else { "s" }
        )
    };
}
