//! The crate's error: what went wrong, with the file, object or statement
//! it is about. The command line's exit codes are the binary's business
//! (`exit_code.rs`).

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
    /// For `map_err`: an I/O failure on `path`.
    pub fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Error {
        let path = path.into();
        move |source| Error::Io { path, source }
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

pub type Result<T, E = Error> = std::result::Result<T, E>;
