//! Typed errors with the exit codes of the command line (DESIGN.md):
//! 1 finding or refusal, 2 usage/config/schema source, 3 cannot connect,
//! 4 the database rejected a statement.

use std::path::PathBuf;

use vitaes_schema_core::folder::FolderError;

/// A located message from reading schema sources: `file:line:column: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceMessage {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for SourceMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file.display(),
            self.line,
            self.column,
            self.message
        )
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Usage(String),
    #[error("{path}: {message}")]
    Config { path: PathBuf, message: String },
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Source(Vec<SourceMessage>),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    MigrationsFolder { path: PathBuf, message: String },
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Connect(#[from] crate::connect::ConnectError),
    #[error(transparent)]
    Migrate(#[from] crate::migrator::MigrateError),
    /// The database rejected a statement (exit code 4).
    #[error("the database rejected a statement: {0}")]
    Database(String),
    /// Planning a push failed.
    #[cfg(feature = "push")]
    #[error(transparent)]
    Plan(#[from] crate::push::PlanError),
    /// Applying a push was refused or failed.
    #[cfg(feature = "push")]
    #[error(transparent)]
    Apply(#[from] crate::push::ApplyError),
}

impl Error {
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Refused(_) => 1,
            Error::Connect(e) => e.exit_code(),
            Error::Migrate(e) => e.exit_code(),
            Error::Database(_) => 4,
            #[cfg(feature = "push")]
            Error::Plan(e) => plan_exit_code(e),
            #[cfg(feature = "push")]
            Error::Apply(e) => match e {
                crate::push::ApplyError::Hazardous(_)
                | crate::push::ApplyError::ChangedSincePlan => 1,
                crate::push::ApplyError::Replan(e) => plan_exit_code(e).max(4),
                _ => 4,
            },
            Error::Usage(_)
            | Error::Config { .. }
            | Error::Source(_)
            | Error::Io { .. }
            | Error::MigrationsFolder { .. } => 2,
        }
    }

    pub fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Error {
        let path = path.into();
        move |source| Error::Io { path, source }
    }
}

#[cfg(feature = "push")]
fn plan_exit_code(e: &crate::push::PlanError) -> i32 {
    match e {
        crate::push::PlanError::Ambiguous(_) => 1,
        crate::push::PlanError::Database { .. } => 4,
    }
}

/// An I/O failure stays [`Error::Io`]; anything else about the folder's
/// files is [`Error::MigrationsFolder`], naming the file.
impl From<FolderError> for Error {
    fn from(e: FolderError) -> Error {
        match e {
            FolderError::Io { path, source } => Error::Io { path, source },
            other => Error::MigrationsFolder {
                path: other.path().to_path_buf(),
                message: other.message(),
            },
        }
    }
}

/// A database error with its SQLSTATE message, on one line.
pub fn describe_db_error(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(d) => format!("{} ({})", d.message(), d.code().code()),
        None => e.to_string(),
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
