//! One module per subcommand; each takes its parsed flags and returns what
//! happened, leaving printing of errors and exit codes to `main.rs`.

pub mod check;
pub mod completions;
#[cfg(unix)]
pub mod db;
pub mod diagram;
pub mod diff;
pub mod drop;
pub mod flags;
pub mod generate;
pub mod introspect;
pub mod migrate;
pub mod pull;
pub mod push;
pub mod status;
pub mod studio;

use std::io::Write;
use std::path::Path;

use crate::config::Config;
use crate::connect::{connect, mask_url, resolve_url, ServerInfo};
use crate::error::{Error, Result};

/// The code's schema when there is one to compare with (`--schema` or
/// `schema` in vitaes.toml); `None` when neither names any.
pub(crate) fn code_if_configured(
    config: &Config,
    flags: &[std::path::PathBuf],
    cwd: &Path,
) -> Result<Option<vitaes_schema_core::Schema>> {
    match config.schema_paths(flags, cwd) {
        Ok(paths) => crate::source::load_schema(&paths).map(Some),
        Err(_) => Ok(None),
    }
}

/// Runs `future` on a runtime of its own, for the commands that are
/// otherwise synchronous (check, generate) when an option needs a database.
pub(crate) fn block_on<F: std::future::Future>(future: F) -> Result<F::Output> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(crate::error::Error::io("tokio runtime"))?
        .block_on(future))
}

/// Resolves the URL (`--url`, environment, env file, vitaes.toml) and
/// connects; with `--verbose`, says where and to what on `err`, the password
/// masked.
pub(crate) async fn connect_configured(
    flags: &flags::Database,
    config: &Config,
    cwd: &Path,
    env: impl Fn(&str) -> Option<String>,
    err: &mut dyn Write,
) -> Result<(tokio_postgres::Client, ServerInfo)> {
    let verbose = flags.verbose;
    let resolved = resolve_url(flags.url.as_deref(), config, cwd, env)?;
    if verbose {
        let _ = writeln!(
            err,
            "connecting to {} (from {})",
            mask_url(&resolved.url),
            resolved.source
        );
    }
    let (client, server) = connect(&resolved.url).await?;
    if verbose {
        let _ = writeln!(
            err,
            "connected: PostgreSQL {} as {} to {}{}",
            server.version,
            server.user,
            server.database,
            if server.tls { " over TLS" } else { "" }
        );
    }
    Ok((client, server))
}

/// Milliseconds since the epoch: a journal entry's `when`.
pub(crate) fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// The schemas a command that reads a whole database shows: `schema_filter`,
/// else every user schema but the migrations table's (`pull`, `studio`).
pub(crate) async fn shown_schemas(
    config: &Config,
    client: &tokio_postgres::Client,
) -> Result<crate::introspect::Filter> {
    let mut filter = crate::introspect::Filter::configured(config, None);
    if config.file.schema_filter.is_none() {
        let bookkeeping = config.migrations_table().schema;
        filter.schemas = crate::introspect::user_schemas(client)
            .await
            .map_err(|e| Error::Database(format!("reading the catalog: {e}")))?
            .into_iter()
            .filter(|s| *s != bookkeeping)
            .collect();
    }
    Ok(filter)
}
