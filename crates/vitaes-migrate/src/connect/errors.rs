//! Why a connection failed, in one line a user can act on.
//!
//! tokio-postgres reports most start-up failures as "db error" or "error
//! connecting to server" with the useful part buried in its source chain;
//! [`classify`] digs it out into a [`ConnectError`] kind. Every variant
//! carries the URL only in masked form, and no variant quotes a server
//! message or driver text that could contain the password (none of them
//! do: PostgreSQL never echoes a password, and URL parse errors name parts,
//! never their text), so `Display` and `Debug` are both safe to print.

use std::error::Error as StdError;
use std::fmt;
use std::io;
use std::time::Duration;

use rustls::CertificateError;
use tokio_postgres::error::SqlState;

use super::url::{ConnectUrl, InvalidUrl, SslMode};

/// A connection that could not be made: the server's answer classified, or
/// a URL or TLS file the user has to fix first.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum ConnectError {
    /// The URL does not parse (or names an unsupported parameter).
    #[error("invalid database URL {url}: {reason}")]
    InvalidUrl {
        /// The URL, password masked.
        url: String,
        /// Which part is wrong.
        reason: String,
    },

    /// `sslrootcert`/`sslcert`/`sslkey` missing, unreadable or unusable, or
    /// a verifying sslmode without `sslrootcert`.
    #[error("cannot connect to {url}: {reason}")]
    TlsFiles {
        /// The URL, password masked.
        url: String,
        /// Which file, and what is wrong with it.
        reason: String,
    },

    /// Nothing answered: connection refused, timeout, unknown host.
    #[error("cannot connect to {url}: {target} is unreachable: {reason}")]
    Unreachable {
        /// The URL, password masked.
        url: String,
        /// `host:port` (several, comma-separated, for a multi-host URL).
        target: String,
        /// Why, in words (refused, timed out, no such socket, ...).
        reason: String,
    },

    /// Wrong password, no such role, or the server wants a password the URL lacks.
    #[error("cannot connect to {url}: authentication failed for user \"{user}\": {reason}")]
    AuthFailed {
        /// The URL, password masked.
        url: String,
        /// The role connected as.
        user: String,
        /// The server's message and SQLSTATE, or that the URL has no password.
        reason: String,
    },

    /// SQLSTATE 3D000.
    #[error("cannot connect to {url}: database \"{database}\" does not exist")]
    NoDatabase {
        /// The URL, password masked.
        url: String,
        /// The database the URL names.
        database: String,
    },

    /// pg_hba.conf has only `hostssl` entries for this connection.
    #[error(
        "cannot connect to {url}: the server requires TLS for this connection (pg_hba.conf \
         has no entry for it without encryption); use sslmode=require or stronger"
    )]
    TlsRequired {
        /// The URL, password masked.
        url: String,
    },

    /// `sslmode=require` or stronger, and the server has `ssl = off`.
    #[error(
        "cannot connect to {url}: the server does not support TLS, and sslmode={sslmode} \
         requires it (turn on `ssl` on the server, or use sslmode=prefer)"
    )]
    TlsUnsupported {
        /// The URL, password masked.
        url: String,
        /// The sslmode that requires TLS.
        sslmode: SslMode,
    },

    /// Our verifier rejected the server's certificate.
    #[error("cannot connect to {url}: certificate verification failed ({check}, sslmode={sslmode}): {detail}")]
    Certificate {
        /// The URL, password masked.
        url: String,
        /// The sslmode in effect.
        sslmode: SslMode,
        /// The step that failed.
        check: CertCheck,
        /// What the verifier said.
        detail: String,
    },

    /// Any other TLS handshake failure (protocol, alert from the server, ...).
    #[error("cannot connect to {url}: TLS handshake failed: {detail}")]
    Tls {
        /// The URL, password masked.
        url: String,
        /// What the TLS library said.
        detail: String,
    },

    /// The server refused the session for another reason (too many
    /// connections, starting up, ...).
    #[error(
        "cannot connect to {url}: the server refused the connection: {message} (SQLSTATE {code})"
    )]
    Rejected {
        /// The URL, password masked.
        url: String,
        /// The SQLSTATE.
        code: String,
        /// The server's message.
        message: String,
    },

    /// Anything else (e.g. the connection dropped during start-up).
    #[error("cannot connect to {url}: {detail}")]
    Other {
        /// The URL, password masked.
        url: String,
        /// The driver's message.
        detail: String,
    },
}

impl ConnectError {
    /// The masked URL the error is about.
    pub fn url(&self) -> &str {
        match self {
            ConnectError::InvalidUrl { url, .. }
            | ConnectError::TlsFiles { url, .. }
            | ConnectError::Unreachable { url, .. }
            | ConnectError::AuthFailed { url, .. }
            | ConnectError::NoDatabase { url, .. }
            | ConnectError::TlsRequired { url }
            | ConnectError::TlsUnsupported { url, .. }
            | ConnectError::Certificate { url, .. }
            | ConnectError::Tls { url, .. }
            | ConnectError::Rejected { url, .. }
            | ConnectError::Other { url, .. } => url,
        }
    }

    /// No answer within `after` (our overall start-up deadline).
    pub(crate) fn timed_out(target: &ConnectUrl, after: Duration) -> Self {
        ConnectError::Unreachable {
            url: target.masked().to_owned(),
            target: target.targets().join(", "),
            reason: format!(
                "no answer within {}s (connect_timeout; is the host and port right?)",
                after.as_secs()
            ),
        }
    }
}

/// Turns a tokio-postgres start-up error into the kind the user needs.
pub(crate) fn classify(err: &tokio_postgres::Error, target: &ConnectUrl) -> ConnectError {
    let url = target.masked().to_owned();
    if let Some(db) = err.as_db_error() {
        return classify_server(db, target, url);
    }
    if let Some(tls) = find_rustls_error(err) {
        return match tls {
            rustls::Error::InvalidCertificate(CertificateError::Other(other)) => {
                match other.0.downcast_ref::<CertFailure>() {
                    Some(f) => ConnectError::Certificate {
                        url,
                        sslmode: target.sslmode,
                        check: f.check,
                        detail: f.detail.clone(),
                    },
                    None => ConnectError::Tls {
                        url,
                        detail: tls.to_string(),
                    },
                }
            }
            other => ConnectError::Tls {
                url,
                detail: other.to_string(),
            },
        };
    }
    // tokio-postgres's error kinds are private; its Display per kind is stable.
    let kind = err.to_string();
    let chain = source_chain(err);
    match kind.as_str() {
        "error performing TLS handshake" if chain.contains("server does not support TLS") => {
            ConnectError::TlsUnsupported {
                url,
                sslmode: target.sslmode,
            }
        }
        "error performing TLS handshake" => ConnectError::Tls { url, detail: chain },
        "error connecting to server" => ConnectError::Unreachable {
            url,
            target: target.targets().join(", "),
            reason: unreachable_reason(err, &chain),
        },
        "invalid configuration" if chain.contains("password missing") => ConnectError::AuthFailed {
            url,
            user: target.user_name().to_owned(),
            reason: "the server asks for a password and the URL has none".to_owned(),
        },
        "error communicating with the server" | "connection closed" => ConnectError::Other {
            url,
            detail: format!(
                "the connection broke during start-up: {}",
                with_chain(&kind, &chain)
            ),
        },
        _ => ConnectError::Other {
            url,
            detail: with_chain(&kind, &chain),
        },
    }
}

fn classify_server(
    db: &tokio_postgres::error::DbError,
    target: &ConnectUrl,
    url: String,
) -> ConnectError {
    let code = db.code();
    let message = db.message();
    if *code == SqlState::INVALID_PASSWORD {
        return ConnectError::AuthFailed {
            url,
            user: target.user_name().to_owned(),
            reason: format!("{message} (SQLSTATE 28P01)"),
        };
    }
    if *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION {
        // PostgreSQL 12+: `..., no encryption`; older: `..., SSL off`.
        if message.contains("no encryption") || message.contains("SSL off") {
            return ConnectError::TlsRequired { url };
        }
        return ConnectError::AuthFailed {
            url,
            user: target.user_name().to_owned(),
            reason: format!("{message} (SQLSTATE 28000)"),
        };
    }
    if *code == SqlState::INVALID_CATALOG_NAME {
        return ConnectError::NoDatabase {
            url,
            database: target.database_name().to_owned(),
        };
    }
    ConnectError::Rejected {
        url,
        code: code.code().to_owned(),
        message: message.to_owned(),
    }
}

/// Why a TCP or socket connect failed, in words.
fn unreachable_reason(err: &tokio_postgres::Error, chain: &str) -> String {
    let io = walk(err).find_map(|e| e.downcast_ref::<io::Error>());
    match io.map(io::Error::kind) {
        Some(io::ErrorKind::ConnectionRefused) => {
            "connection refused (is the server running and listening there?)".to_owned()
        }
        Some(io::ErrorKind::TimedOut) => {
            "timed out (connect_timeout; is the host and port right?)".to_owned()
        }
        Some(io::ErrorKind::NotFound) => format!("no such socket ({chain})"),
        _ => chain.to_owned(),
    }
}

/// The rustls error inside a TLS failure. tokio-rustls wraps it in an
/// `io::Error`, whose `source()` skips the wrapped error itself, so each
/// `io::Error` in the chain is also looked into with `get_ref`.
fn find_rustls_error(err: &tokio_postgres::Error) -> Option<&rustls::Error> {
    walk(err).find_map(|e| {
        e.downcast_ref::<rustls::Error>().or_else(|| {
            e.downcast_ref::<io::Error>()
                .and_then(|io| io.get_ref())
                .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        })
    })
}

/// `err` and its sources.
fn walk<'a>(
    err: &'a (dyn StdError + 'static),
) -> impl Iterator<Item = &'a (dyn StdError + 'static)> {
    std::iter::successors(Some(err), |&e| e.source())
}

/// The sources of `err` (not `err` itself), joined with `: `.
fn source_chain(err: &tokio_postgres::Error) -> String {
    walk(err)
        .skip(1)
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(": ")
}

fn with_chain(kind: &str, chain: &str) -> String {
    if chain.is_empty() {
        kind.to_owned()
    } else {
        format!("{kind}: {chain}")
    }
}

/// Which verification step rejected the server's certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertCheck {
    /// The chain does not lead to a certificate in `sslrootcert`.
    Chain,
    /// The certificate does not name the host connected to (`verify-full`).
    HostName,
    /// The certificate has expired or is not valid yet.
    Validity,
}

impl fmt::Display for CertCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CertCheck::Chain => "chain check against sslrootcert",
            CertCheck::HostName => "host name check",
            CertCheck::Validity => "validity period check",
        })
    }
}

/// A certificate rejected by our verifier: which check, and why in words.
#[derive(Debug, Clone)]
pub struct CertFailure {
    pub check: CertCheck,
    pub detail: String,
}

impl fmt::Display for CertFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.check, self.detail)
    }
}

impl std::error::Error for CertFailure {}

impl From<InvalidUrl> for ConnectError {
    fn from(e: InvalidUrl) -> Self {
        ConnectError::InvalidUrl {
            url: e.url,
            reason: e.reason,
        }
    }
}
