//! The crate's error: what went wrong, with the file, object or statement
//! it is about. The command line's exit codes are the binary's business
//! (`exit_code.rs`).

use std::path::PathBuf;

use vitaes_schema_core::folder::FolderError;

/// A located message from reading schema sources: `file:line:column: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceMessage {
    /// The file, as shown in messages.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong there.
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

/// What went wrong in a command or a library call.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A mistake in how the tool was called (a flag, a missing setting).
    #[error("{0}")]
    Usage(String),
    /// `vitaes.toml` or the env file cannot be read or parsed.
    #[error("{path}: {message}")]
    Config {
        /// The file (with `:line` for an env file line).
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// Mistakes in the schema sources, one message each.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Source(Vec<SourceMessage>),
    /// A file or folder could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The migrations folder is inconsistent or unreadable.
    #[error("{path}: {message}")]
    MigrationsFolder {
        /// The file or folder at fault.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// An action declined: hazards not confirmed, ambiguous renames, no terminal to ask on.
    #[error("{0}")]
    Refused(String),
    /// Connecting failed.
    #[error(transparent)]
    Connect(#[from] crate::connect::ConnectError),
    /// Applying migrations failed.
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

/// The crate's result, [`Error`] by default.
pub type Result<T, E = Error> = std::result::Result<T, E>;
