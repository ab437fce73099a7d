//! Applying a migrations folder to a database, compatible with drizzle-orm's
//! migrator (same table, same rows) and safe to run from many places at once.
//!
//! ```no_run
//! # async fn start(client: &mut tokio_postgres::Client) -> Result<(), vitaes_migrate::migrator::MigrateError> {
//! let migrator = vitaes_migrate::migrator::Migrator::from_dir("migrations")?;
//! migrator.run(client).await?;
//! # Ok(()) }
//! ```
//!
//! Differences from drizzle-orm's migrator, each on purpose: an advisory lock
//! (see [`lock`]); every journal entry without a row is pending, not only the
//! newer ones (`history`); an applied file whose hash changed stops the run;
//! each migration commits on its own with its row, so a failure names the file
//! and statement and keeps the migrations before it.
//!
//! If the future of [`Migrator::run`] is dropped mid-run, the open transaction
//! and the lock stay with the session until the client is dropped.

pub(crate) mod apply;
pub(crate) mod history;
pub mod lock;
mod migration;

use std::path::{Path, PathBuf};
use std::time::Duration;

use tokio_postgres::Client;
use vitaes_schema_core::folder::{Folder, FolderError, DEFAULT};

pub use history::{AppliedRow, History};
pub use migration::{
    runs_outside_transaction, sha256_hex, Migration, Statement, BREAKPOINT, NO_TRANSACTION,
};

/// Where applied migrations are recorded (`[migrations]` in vitaes.toml).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationsTable {
    /// The table's schema (`drizzle` by default).
    pub schema: String,
    /// The table's name (`__drizzle_migrations` by default).
    pub table: String,
}

impl Default for MigrationsTable {
    /// drizzle-orm's: `"drizzle"."__drizzle_migrations"`.
    fn default() -> Self {
        MigrationsTable {
            schema: "drizzle".into(),
            table: "__drizzle_migrations".into(),
        }
    }
}

/// Why applying (or reading the state of) migrations failed.
#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    /// The migrations folder cannot be read, or is inconsistent.
    #[error("{path}: {message}")]
    Folder {
        /// The file or folder at fault.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// `--baseline` names a tag the journal does not have.
    #[error("--baseline {0}: no migration in the journal has that tag")]
    UnknownBaseline(String),
    /// Applied migrations whose files changed since; nothing was run.
    #[error(
        "{} changed after being applied (the recorded hash is not the file's): restore the file as it was applied (see its history in git) and put the change in a new migration",
        .tags.join(", ")
    )]
    Modified {
        /// The changed migrations' tags.
        tags: Vec<String>,
    },
    /// Another session held the migration lock for all of `lock_wait`.
    #[error(
        "another migrate or push holds the migration lock{}; gave up after {waited:?} (raise --lock-wait, or see what that backend is doing in pg_stat_activity)",
        .holder.map(|p| format!(" (backend pid {p})")).unwrap_or_default()
    )]
    LockTimeout {
        /// How long it waited.
        waited: Duration,
        /// The lock holder's backend pid, if visible.
        holder: Option<i32>,
    },
    /// A migration's statement (or recording its row) failed; the migrations before it stay applied.
    #[error("{}", failed_message(.tag, *.statement, *.line, .message, .code, *.transactional, .blockers))]
    Failed {
        /// The migration's tag.
        tag: String,
        /// 1-based piece of the file; `None` when recording or committing failed.
        statement: Option<u32>,
        /// 1-based line of the file where the statement starts; `None` with `statement`.
        line: Option<u32>,
        /// The server's message.
        message: String,
        /// SQLSTATE.
        code: String,
        /// Whether the migration ran in a transaction (so none of it was kept).
        transactional: bool,
        /// When the statement gave up waiting for a lock (55P03): the other
        /// sessions' locks on the tables it names (`"note" (AccessExclusiveLock,
        /// backend pid 4242, idle in transaction)`).
        blockers: Box<[String]>,
    },
    /// The connection dropped while a migration ran: whether it was applied is unknown.
    #[error(
        "lost the connection while applying {tag} ({message}); whether it was applied is unknown: run `vitaes-migrate status`"
    )]
    ConnectionLost {
        /// The migration that was running.
        tag: String,
        /// The driver's message.
        message: String,
    },
    /// A query of the migrator's own (the table, the lock) failed.
    #[error("{context}: {message}")]
    Database {
        /// What was being done (`releasing the migration lock`).
        context: &'static str,
        /// The server's message and SQLSTATE.
        message: String,
    },
}

fn failed_message(
    tag: &str,
    statement: Option<u32>,
    line: Option<u32>,
    message: &str,
    code: &str,
    transactional: bool,
    blockers: &[String],
) -> String {
    let at = match (statement, line) {
        (Some(s), Some(l)) => format!("statement {s} (line {l}) of {tag}.sql"),
        _ => format!("recording {tag}"),
    };
    let kept = if transactional {
        format!("migrations before it stay applied; nothing of {tag} was kept")
    } else {
        format!(
            "migrations before it stay applied; {tag} runs outside a transaction, so its statements before this one stay"
        )
    };
    // 25001: active_sql_transaction, e.g. CREATE INDEX CONCURRENTLY in a transaction.
    let hint = match (code == "25001", transactional) {
        (true, true) => format!("\n  help: the statement cannot run in a transaction: make `{NO_TRANSACTION}` the first line of {tag}.sql"),
        // Several statements sent at once run as one implicit transaction.
        (true, false) => format!("\n  help: give the statement a piece of its own, between `{BREAKPOINT}` lines"),
        (false, _) => String::new(),
    };
    // 55P03: lock_not_available, the lock timeout ran out; the file is fine.
    if code == "55P03" {
        let held = if blockers.is_empty() {
            "a lock another session holds".to_string()
        } else {
            format!("a lock on {}", blockers.join(", "))
        };
        return format!("migration {tag} failed at {at}: it waited longer than the lock timeout for {held} ({message}, {code})\n  {kept}; nothing is wrong with the file: run migrate again once that session has finished (see pg_stat_activity), or raise --lock-timeout");
    }
    format!("migration {tag} failed at {at}: {message} ({code})\n  {kept}; fix the file and run migrate again{hint}")
}

/// A file of the folder that cannot be read, named.
impl From<FolderError> for MigrateError {
    fn from(e: FolderError) -> MigrateError {
        MigrateError::Folder {
            path: e.path().to_path_buf(),
            message: e.message(),
        }
    }
}

impl MigrateError {
    pub(crate) fn database(context: &'static str, e: tokio_postgres::Error) -> MigrateError {
        MigrateError::Database {
            context,
            message: describe_db_error(&e),
        }
    }
}

/// A database error with its SQLSTATE message, on one line.
fn describe_db_error(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(d) => format!("{} ({})", d.message(), d.code().code()),
        None => e.to_string(),
    }
}

/// What happened during a run, for progress output.
#[derive(Debug)]
pub enum Event<'a> {
    /// The lock is held by another session (its pid if visible); polling.
    WaitingForLock {
        /// The holder's backend pid, if visible.
        holder: Option<i32>,
    },
    /// About to run migration `position` (1-based) of `total` pending.
    Applying {
        /// The migration.
        migration: &'a Migration,
        /// 1-based among the pending.
        position: usize,
        /// How many are pending.
        total: usize,
    },
    /// Migration applied and recorded.
    Applied {
        /// The migration.
        migration: &'a Migration,
        /// How many statements (pieces between breakpoints) ran.
        statements: usize,
        /// How long it took, commit included.
        elapsed: Duration,
    },
}

/// How [`Migrator::run`] behaves.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Read and report; change nothing, take no lock.
    pub dry_run: bool,
    /// Record every migration up to this tag as applied without running it.
    pub baseline: Option<String>,
    /// How long to wait for another migrate to finish.
    pub lock_wait: Duration,
    /// `lock_timeout` for the migrations' statements: how long one may wait
    /// for a table lock another session holds (`None`: the server's setting,
    /// by default forever).
    pub lock_timeout: Option<Duration>,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            dry_run: false,
            baseline: None,
            lock_wait: Duration::from_secs(60),
            lock_timeout: None,
        }
    }
}

/// What a run did (or, dry, would do). Tags throughout.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct MigrateReport {
    /// Pending once the lock was held, in the order they run.
    pub pending: Vec<String>,
    /// Run and recorded (empty on a dry run).
    pub applied: Vec<String>,
    /// Recorded without running (`--baseline`).
    pub baselined: Vec<String>,
    /// Pending although older than the newest applied: merged from a branch.
    pub out_of_order: Vec<String>,
    /// Rows no journal entry matches.
    pub missing: Vec<AppliedRow>,
    /// How many were applied before this run.
    pub already_applied: usize,
    /// Whether another session held the lock first.
    pub waited_for_lock: bool,
}

/// Where one migration stands on a database (`status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    /// Applied, with the recorded hash.
    Applied,
    /// Not applied yet.
    Pending,
    /// Pending, and older than the newest applied.
    OutOfOrder,
    /// Applied, but the file changed since.
    Modified,
    /// Recorded, but no journal entry matches.
    Missing,
}

/// One line of `status`: a migration or an unmatched row, and its state.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MigrationStatus {
    /// `None` for a [`State::Missing`] row.
    pub tag: Option<String>,
    /// The journal's `when` (or the row's `created_at`), milliseconds since the epoch.
    pub when: Option<i64>,
    /// Where it stands.
    pub state: State,
    /// When it was applied (UTC, RFC 3339), if recorded.
    pub applied_at: Option<String>,
}

/// A migrations folder, ready to apply.
#[derive(Debug, Clone)]
pub struct Migrator {
    migrations: Vec<Migration>,
    table: MigrationsTable,
}

impl Migrator {
    /// Reads `dir` (drizzle-kit's layout: `meta/_journal.json` and
    /// `<tag>.sql`, see [`vitaes_schema_core::folder`]).
    pub fn from_dir(dir: impl AsRef<Path>) -> Result<Migrator, MigrateError> {
        let folder = Folder::open(dir.as_ref()).map_err(MigrateError::from)?;
        let journal_path = folder.journal_path();
        if !folder.has_journal() {
            return Err(MigrateError::Folder {
                path: journal_path,
                message: "no journal here: point --out (or `out` in vitaes.toml) at the migrations folder"
                    .into(),
            });
        }
        let mut migrations = Vec::new();
        for e in folder.entries() {
            let sql = e.read_sql()?;
            let j = &e.journal;
            migrations.push(Migration::new(
                j.idx,
                &j.tag,
                when(j.when, &journal_path)?,
                sql,
            ));
        }
        Migrator::new(migrations, &journal_path)
    }

    /// The migrations `embed_migrations!` compiled in, listed by
    /// [`vitaes_schema_core::folder`] as [`Migrator::from_dir`] lists them:
    /// every entry's `(idx, tag, when, file's text)`, in the journal's order.
    /// The macro checked them at compile time.
    pub fn embedded(migrations: &[(u32, &str, i64, &str)]) -> Migrator {
        let migrations = migrations
            .iter()
            .map(|&(idx, tag, when, sql)| Migration::new(idx, tag, when, sql))
            .collect();
        Migrator::new(migrations, Path::new(DEFAULT.journal_file()))
            .expect("embed_migrations! checked the journal at compile time")
    }

    /// Checks what the matching relies on: one entry per `when`.
    fn new(migrations: Vec<Migration>, journal: &Path) -> Result<Migrator, MigrateError> {
        let mut seen = std::collections::HashMap::new();
        for m in &migrations {
            if let Some(other) = seen.insert(m.when, &m.tag) {
                return Err(MigrateError::Folder {
                    path: journal.to_path_buf(),
                    message: format!(
                        "`{other}` and `{}` have the same `when` ({}); the migrations table tells migrations apart by it, so give one of them a new value",
                        m.tag, m.when
                    ),
                });
            }
        }
        Ok(Migrator {
            migrations,
            table: MigrationsTable::default(),
        })
    }

    /// Records in another table than drizzle-orm's default.
    pub fn with_table(mut self, table: MigrationsTable) -> Migrator {
        self.table = table;
        self
    }

    /// The folder's migrations, in journal order.
    pub fn migrations(&self) -> &[Migration] {
        &self.migrations
    }

    /// Where applied migrations are recorded.
    pub fn table(&self) -> &MigrationsTable {
        &self.table
    }

    /// Each migration's state on the database, then the recorded rows no
    /// entry matches. Reads only; takes no lock.
    pub async fn status(&self, client: &Client) -> Result<Vec<MigrationStatus>, MigrateError> {
        let rows = apply::read_rows(client, &self.table).await?;
        Ok(self.statuses(&rows))
    }

    fn statuses(&self, rows: &[AppliedRow]) -> Vec<MigrationStatus> {
        let h = history::compare(&self.migrations, rows);
        let mut out: Vec<MigrationStatus> = self
            .migrations
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let state = if h.modified.contains(&i) {
                    State::Modified
                } else if h.out_of_order.contains(&i) {
                    State::OutOfOrder
                } else if h.pending.contains(&i) {
                    State::Pending
                } else {
                    State::Applied
                };
                MigrationStatus {
                    tag: Some(m.tag.clone()),
                    when: Some(m.when),
                    state,
                    applied_at: rows
                        .iter()
                        .find(|r| r.created_at == Some(m.when))
                        .and_then(|r| r.applied_at.clone()),
                }
            })
            .collect();
        out.extend(h.missing.iter().map(|r| MigrationStatus {
            tag: None,
            when: r.created_at,
            state: State::Missing,
            applied_at: r.applied_at.clone(),
        }));
        out
    }

    /// Applies every pending migration (what application start-up wants).
    pub async fn run(&self, client: &mut Client) -> Result<MigrateReport, MigrateError> {
        self.run_with(client, &RunOptions::default(), &mut |_| {})
            .await
    }

    /// [`Migrator::run`] with options and progress events.
    pub async fn run_with(
        &self,
        client: &mut Client,
        options: &RunOptions,
        events: &mut dyn FnMut(Event<'_>),
    ) -> Result<MigrateReport, MigrateError> {
        let baseline = match &options.baseline {
            Some(tag) => Some(
                self.migrations
                    .iter()
                    .position(|m| &m.tag == tag)
                    .ok_or_else(|| MigrateError::UnknownBaseline(tag.clone()))?,
            ),
            None => None,
        };
        if options.dry_run {
            let rows = apply::read_rows(client, &self.table).await?;
            return self.plan(&rows, baseline).map(|(report, _)| report);
        }
        // A killed migrator's long statement then stops within a second,
        // releasing its transaction and lock (PostgreSQL 14+; older servers
        // notice at their next write).
        let _ = client
            .batch_execute("SET client_connection_check_interval = '1s'")
            .await;
        if let Some(timeout) = options.lock_timeout {
            client
                .batch_execute(&format!(
                    "SET lock_timeout = {}",
                    timeout.as_millis().max(1)
                ))
                .await
                .map_err(|e| MigrateError::database("setting lock_timeout", e))?;
        }
        let key = lock::lock_key(&self.table);
        let mut waited = false;
        let locked = lock::acquire(client, key, options.lock_wait, &mut |holder| {
            waited = true;
            events(Event::WaitingForLock { holder });
        })
        .await;
        // Whatever happens once the lock is held, it is released.
        let result = match locked {
            Ok(()) => {
                let result = self.run_locked(client, baseline, events).await;
                let released = lock::release(client, key).await;
                result.and_then(|report| released.map(|()| report))
            }
            Err(e) => Err(e),
        };
        let _ = client
            .batch_execute("RESET client_connection_check_interval; RESET lock_timeout")
            .await;
        let mut report = result?;
        report.waited_for_lock = waited;
        Ok(report)
    }

    async fn run_locked(
        &self,
        client: &Client,
        baseline: Option<usize>,
        events: &mut dyn FnMut(Event<'_>),
    ) -> Result<MigrateReport, MigrateError> {
        apply::ensure_table(client, &self.table).await?;
        // Read once the lock is held: another migrate may just have finished.
        let rows = apply::read_rows(client, &self.table).await?;
        let (mut report, Split { base, run }) = self.plan(&rows, baseline)?;
        if !base.is_empty() {
            let ms: Vec<&Migration> = base.iter().map(|&i| &self.migrations[i]).collect();
            apply::record_all(client, &self.table, &ms).await?;
        }
        for (n, &i) in run.iter().enumerate() {
            let m = &self.migrations[i];
            events(Event::Applying {
                migration: m,
                position: n + 1,
                total: run.len(),
            });
            let (elapsed, statements) = apply::apply(client, &self.table, m).await?;
            events(Event::Applied {
                migration: m,
                statements,
                elapsed,
            });
            report.applied.push(m.tag.clone());
        }
        Ok(report)
    }

    /// The report before anything runs, and which pending migrations are
    /// recorded (`base`, up to the baseline) or run; refuses modified files.
    fn plan(
        &self,
        rows: &[AppliedRow],
        baseline: Option<usize>,
    ) -> Result<(MigrateReport, Split), MigrateError> {
        let history = history::compare(&self.migrations, rows);
        if !history.modified.is_empty() {
            return Err(MigrateError::Modified {
                tags: self.tags(&history.modified),
            });
        }
        let (base, run): (Vec<usize>, Vec<usize>) = history
            .pending
            .iter()
            .partition(|&&i| baseline.is_some_and(|b| i <= b));
        let report = MigrateReport {
            pending: self.tags(&run),
            applied: Vec::new(),
            baselined: self.tags(&base),
            out_of_order: self.tags(
                &history
                    .out_of_order
                    .iter()
                    .copied()
                    .filter(|i| !base.contains(i))
                    .collect::<Vec<_>>(),
            ),
            missing: history.missing.clone(),
            already_applied: history.applied.len(),
            waited_for_lock: false,
        };
        Ok((report, Split { base, run }))
    }

    fn tags(&self, indexes: &[usize]) -> Vec<String> {
        indexes
            .iter()
            .map(|&i| self.migrations[i].tag.clone())
            .collect()
    }
}

/// Pending migrations (indexes) to record as a baseline, and to run.
struct Split {
    base: Vec<usize>,
    run: Vec<usize>,
}

fn when(w: u64, journal: &Path) -> Result<i64, MigrateError> {
    i64::try_from(w).map_err(|_| MigrateError::Folder {
        path: journal.to_path_buf(),
        message: format!("`when` {w} does not fit the migrations table's bigint"),
    })
}
