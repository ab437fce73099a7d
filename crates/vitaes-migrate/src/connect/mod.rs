//! Connecting to PostgreSQL: which URL ([`resolve_url`]), how to read it
//! ([`ConnectUrl`]), TLS as libpq's `sslmode` means it (rustls with the ring
//! provider), and failures as one-line [`ConnectError`]s (exit code 3) that
//! never show a password.
//!
//! ```no_run
//! # async fn run() -> Result<(), vitaes_migrate::connect::ConnectError> {
//! let (client, server) =
//!     vitaes_migrate::connect::connect("postgresql://app@db.internal/app?sslmode=verify-full&sslrootcert=ca.pem").await?;
//! assert!(server.version_num >= 120000);
//! # Ok(()) }
//! ```

mod errors;
#[cfg(feature = "cli")]
mod resolve;
mod tls;
mod url;

pub use errors::CertCheck;
pub use errors::ConnectError;
#[cfg(feature = "cli")]
pub use resolve::{resolve_url, ResolvedUrl, UrlSource, DEFAULT_ENV_FILE, DEFAULT_URL_ENV};
pub use url::{
    mask_url, ConnectUrl, SslMode, DEFAULT_APPLICATION_NAME, DEFAULT_CONNECT_TIMEOUT, DEFAULT_HOST,
    DEFAULT_PORT,
};

use tokio_postgres::Client;

/// What the server said about itself right after connecting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerInfo {
    /// `server_version_num`, e.g. `150004`; what version checks compare.
    pub version_num: i32,
    /// `server_version`, e.g. `15.4 (Debian 15.4-1)`.
    pub version: String,
    /// `current_user`.
    pub user: String,
    /// `current_database()`.
    pub database: String,
    /// Whether this session is encrypted (`pg_stat_ssl`); tells `prefer`'s
    /// outcome. Through a connection pooler it describes the pooler's link.
    pub tls: bool,
}

/// Parses `url` and connects; see [`connect_to`].
pub async fn connect(url: &str) -> Result<(Client, ServerInfo), ConnectError> {
    connect_to(&ConnectUrl::parse(url)?).await
}

/// Connects, spawning the connection task on the current tokio runtime,
/// and reads [`ServerInfo`].
///
/// The whole start-up (TCP, TLS, authentication) is bounded by the URL's
/// `connect_timeout` (default [`DEFAULT_CONNECT_TIMEOUT`]) per host, so a
/// server that accepts but never answers cannot hang the command.
pub async fn connect_to(url: &ConnectUrl) -> Result<(Client, ServerInfo), ConnectError> {
    let tls = tls::make_connector(url)?;
    let connecting = url.driver_config().connect(tls);
    let connected = match url.connect_timeout {
        Some(per_host) => {
            let deadline = per_host * u32::try_from(url.hosts.len()).unwrap_or(u32::MAX);
            tokio::time::timeout(deadline, connecting)
                .await
                .map_err(|_| ConnectError::timed_out(url, per_host))?
        }
        None => connecting.await,
    };
    let (client, connection) = connected.map_err(|e| errors::classify(&e, url))?;
    // Errors after start-up surface on the client's next call.
    tokio::spawn(async move {
        let _ = connection.await;
    });
    let info = server_info(&client)
        .await
        .map_err(|e| ConnectError::Other {
            url: url.masked().to_owned(),
            detail: format!(
                "connected, but reading the server version failed: {}",
                e.as_db_error()
                    .map_or_else(|| e.to_string(), |db| db.message().to_owned())
            ),
        })?;
    Ok((client, info))
}

async fn server_info(client: &Client) -> Result<ServerInfo, tokio_postgres::Error> {
    let row = client
        .query_one(
            "SELECT current_setting('server_version_num')::int4, \
                    current_setting('server_version'), \
                    current_user::text, current_database()::text, \
                    coalesce((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false)",
            &[],
        )
        .await?;
    Ok(ServerInfo {
        version_num: row.get(0),
        version: row.get(1),
        user: row.get(2),
        database: row.get(3),
        tls: row.get(4),
    })
}
