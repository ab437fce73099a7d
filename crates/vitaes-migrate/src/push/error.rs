//! Why a push did not plan or did not apply: planning errors apart from
//! applying errors, each database failure with its SQLSTATE and statement.

use crate::diff::{Ambiguities, Plan};

/// A database error as the server sent it: message and SQLSTATE, or the
/// client's description when there was no answer (the connection is gone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DbFailure {
    /// The server's message, or the client's when the server gave none.
    pub message: String,
    /// The five-character SQLSTATE (`23505`), when the server answered.
    pub sqlstate: Option<String>,
    /// The connection is gone: no answer came, or the server ended the
    /// session (SQLSTATE class 57P, an administrator or a shutdown).
    pub lost: bool,
}

impl DbFailure {
    pub(crate) fn of(e: &tokio_postgres::Error) -> DbFailure {
        match e.as_db_error() {
            Some(d) => DbFailure {
                message: d.message().to_string(),
                sqlstate: Some(d.code().code().to_string()),
                lost: d.code().code().starts_with("57P"),
            },
            None => DbFailure {
                message: e.to_string(),
                sqlstate: None,
                lost: true,
            },
        }
    }
}

impl std::fmt::Display for DbFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.sqlstate {
            Some(code) => write!(f, "{} ({code})", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// Why no plan could be made.
#[derive(Debug)]
pub enum PlanError {
    /// Renames to decide first (`--rename`, `--no-rename`, a hint, a prompt).
    Ambiguous(Ambiguities),
    /// Tables the code declares `external` are missing from the database, or
    /// lack the columns or key the code's foreign keys need; one line each.
    External(Vec<String>),
    /// The code declares virtual generated columns and the server is older
    /// than PostgreSQL 18, which introduced them.
    VirtualGenerated {
        /// `schema.table.column` of each virtual column.
        columns: Vec<String>,
        /// The server's `server_version` (`17.10`).
        server_version: String,
    },
    /// Policies name roles the database does not have and the push would
    /// not create (roles not managed, or `existing`): `(schema.table.policy,
    /// role)` each.
    AbsentRoles(Vec<(String, String)>),
    /// Views whose declared fields are not the columns their query yields:
    /// one line each.
    ViewColumns(Vec<String>),
    /// Reading the catalog or canonicalising the code's fragments failed.
    Database {
        /// What was being done (`reading the catalog`, `canonicalising`).
        context: &'static str,
        /// What the server said.
        failure: DbFailure,
    },
}

impl std::fmt::Display for PlanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PlanError::Ambiguous(a) => f.write_str(&a.refusal()),
            PlanError::External(problems) => {
                write!(
                    f,
                    "the database does not have what the code only references:"
                )?;
                for p in problems {
                    write!(f, "\n  - {p}")?;
                }
                write!(f, "\n  help: create it first (it is not the code's to create), or fix the `#[table(external)]` struct")
            }
            PlanError::VirtualGenerated {
                columns,
                server_version,
            } => {
                write!(
                    f,
                    "virtual generated columns need PostgreSQL 18 or newer; this server is PostgreSQL {server_version}:"
                )?;
                for c in columns {
                    write!(f, "\n  - {c}")?;
                }
                write!(f, "\n  help: declare them `generated = \"...\"` (stored), or push to a PostgreSQL 18 server")
            }
            PlanError::AbsentRoles(absent) => {
                write!(f, "policies name roles the database does not have:")?;
                for (policy, role) in absent {
                    write!(f, "\n  - policy {policy} is to role \"{role}\"")?;
                }
                write!(f, "\n  help: create the roles first, or set `[roles] manage = true` in vitaes.toml and declare them with #[derive(PgRole)]")
            }
            PlanError::ViewColumns(problems) => {
                write!(f, "views declare other columns than their queries yield:")?;
                for p in problems {
                    write!(f, "\n  - {p}")?;
                }
                write!(f, "\n  help: make the struct's fields the query's columns, in order, with their types (or `type = \"...\"`)")
            }
            PlanError::Database { context, failure } => {
                write!(f, "the database rejected a statement: {context}: {failure}")
            }
        }
    }
}

impl std::error::Error for PlanError {}

/// Why a planned push was refused or failed while applying.
#[derive(Debug)]
pub enum ApplyError {
    /// The plan has hazards and `force` was not given: nothing was applied.
    Hazardous(Plan),
    /// The database changed between the plan and its transaction: rolled back.
    ChangedSincePlan,
    /// Planning again inside the transaction failed.
    Replan(PlanError),
    /// A statement of the plan was rejected; its phase rolled back (unless it
    /// ran outside a transaction).
    StatementFailed {
        /// The statement as sent.
        statement: String,
        /// What the server said.
        failure: DbFailure,
    },
    /// After applying, the database still differs from the code.
    Residual {
        /// The statements that would still be needed.
        statements: Vec<String>,
        /// Whether the phase was rolled back (a transactional phase).
        rolled_back: bool,
    },
    /// `BEGIN`, `COMMIT` or a session setting failed.
    Transaction {
        /// The command that failed.
        context: &'static str,
        /// What the server said.
        failure: DbFailure,
    },
    /// The connection was lost while applying.
    ConnectionLost {
        /// The statement or command that was running.
        during: String,
        /// What the driver said.
        failure: DbFailure,
        /// What is known of the phase that was running.
        outcome: LostOutcome,
    },
    /// A phase failed after earlier phases had committed: what they did stays.
    AfterCommitted {
        /// The committed phases' statements, in order.
        committed: Vec<String>,
        /// Whether all of them add enum values (which nothing uses yet).
        only_enum_values: bool,
        /// Why the later phase failed.
        error: Box<ApplyError>,
    },
}

/// What is known when the connection drops in the middle of a phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LostOutcome {
    /// In a transaction whose COMMIT was not sent: the server rolls it back.
    RolledBack,
    /// The COMMIT was sent and no answer came: it may or may not have taken.
    CommitUnknown,
    /// Outside a transaction: the statements before it stay; this one's
    /// effect is unknown.
    StatementUnknown,
}

impl ApplyError {
    /// The failure, when it is the connection's loss rather than the
    /// server's answer.
    pub(crate) fn lost(&self) -> Option<(&str, &DbFailure)> {
        match self {
            ApplyError::StatementFailed { statement, failure } if failure.lost => {
                Some((statement.as_str(), failure))
            }
            ApplyError::Transaction { context, failure } if failure.lost => {
                Some((context, failure))
            }
            ApplyError::Replan(PlanError::Database { context, failure }) if failure.lost => {
                Some((context, failure))
            }
            _ => None,
        }
    }
}

impl std::fmt::Display for ApplyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApplyError::Hazardous(_) => f.write_str("the plan has hazards; confirm or pass --force"),
            ApplyError::ChangedSincePlan => {
                f.write_str("the database changed since the plan; run push again")
            }
            ApplyError::Replan(e) => e.fmt(f),
            ApplyError::StatementFailed { statement, failure } => write!(
                f,
                "the database rejected a statement: {}: {failure}",
                statement.trim()
            ),
            ApplyError::Residual {
                statements,
                rolled_back,
            } => write!(
                f,
                "the database rejected a statement: after applying, the database still differs from the code{}. Left over:\n{}",
                if *rolled_back { "; rolled back" } else { "" },
                statements.join("\n")
            ),
            ApplyError::Transaction { context, failure } => {
                write!(f, "the database rejected a statement: {context}: {failure}")
            }
            ApplyError::ConnectionLost {
                during,
                failure,
                outcome,
            } => {
                write!(
                    f,
                    "lost the connection while running {}: {failure}\n  ",
                    during.trim()
                )?;
                f.write_str(match outcome {
                    LostOutcome::RolledBack => "its transaction had not been committed, so the server rolls it back: nothing of it was applied",
                    LostOutcome::CommitUnknown => "the COMMIT was sent but not answered: whether it was applied is unknown",
                    LostOutcome::StatementUnknown => "it ran outside a transaction: the statements before it stay, and whether this one was applied is unknown",
                })?;
                f.write_str("\n  help: run `vitaes-migrate push --dry-run` to see what is left, then push again")
            }
            ApplyError::AfterCommitted {
                committed,
                only_enum_values,
                error,
            } => {
                write!(f, "{error}\n  kept: earlier phases had committed, and these stay applied:")?;
                for s in committed {
                    write!(f, "\n    {}", s.trim())?;
                }
                if *only_enum_values {
                    f.write_str("\n  (an enum value nothing uses yet is harmless; the next push uses it)")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for ApplyError {}

/// Why [`crate::push::push`] did not apply: it plans, then applies.
#[derive(Debug)]
pub enum PushError {
    /// No plan could be made.
    Plan(PlanError),
    /// The plan was refused or failed.
    Apply(ApplyError),
}

impl std::fmt::Display for PushError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PushError::Plan(e) => e.fmt(f),
            PushError::Apply(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for PushError {}

impl From<PlanError> for PushError {
    fn from(e: PlanError) -> Self {
        PushError::Plan(e)
    }
}

impl From<ApplyError> for PushError {
    fn from(e: ApplyError) -> Self {
        PushError::Apply(e)
    }
}
