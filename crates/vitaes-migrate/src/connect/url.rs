//! Connection URLs, parsed here rather than by tokio-postgres.
//!
//! tokio-postgres 0.7 knows only `sslmode=disable|prefer|require` and rejects
//! libpq's `sslrootcert`, so a URL copied from `psql` or a hosting provider
//! (`?sslmode=verify-full&sslrootcert=ca.pem`) would not even parse. We take
//! the URL apart ourselves (percent-decoding user, password, database, hosts
//! and parameters), keep the TLS parameters for our own rustls set-up, and
//! hand everything else to a [`tokio_postgres::Config`] built
//! programmatically.
//!
//! Passwords never leave this module in text form: [`ConnectUrl`]'s `Debug`
//! omits it, error reasons never quote parts of the URL, and [`mask_url`]
//! gives the printable form used in every message.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

/// PostgreSQL's default port, used for every host that names none.
pub const DEFAULT_PORT: u16 = 5432;

/// Host used when the URL names none (`postgresql:///db`). libpq would use
/// its compiled-in socket directory, which differs between distributions;
/// `localhost` behaves the same everywhere.
pub const DEFAULT_HOST: &str = "localhost";

/// How long to wait for a server when the URL has no `connect_timeout`: the
/// command line must never hang on an unreachable host (libpq waits forever).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// `application_name` sent when the URL sets none, so a DBA can tell our
/// sessions apart in `pg_stat_activity`.
pub const DEFAULT_APPLICATION_NAME: &str = "vitaes-migrate";

/// libpq's `sslmode`, all the modes that make sense for a migration tool.
///
/// `allow` is not supported (it prefers plain text, then retries with TLS).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SslMode {
    /// Never TLS.
    Disable,
    /// TLS when the server offers it, else plain text; no verification
    /// unless `sslrootcert` is given (then the chain is verified, as libpq does).
    #[default]
    Prefer,
    /// TLS or fail; no verification unless `sslrootcert` is given (then the
    /// chain is verified, as libpq does).
    Require,
    /// TLS, and the certificate chain must lead to `sslrootcert`.
    VerifyCa,
    /// `VerifyCa`, and the certificate must name the host connected to.
    VerifyFull,
}

impl SslMode {
    /// The libpq spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }

    fn parse(value: &str) -> Option<Self> {
        Some(match value {
            "disable" => SslMode::Disable,
            "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            _ => return None,
        })
    }

    /// What tokio-postgres is told: it only decides whether to ask for TLS;
    /// the verification level lives in our rustls verifier.
    fn driver_mode(self) -> tokio_postgres::config::SslMode {
        use tokio_postgres::config::SslMode as Driver;
        match self {
            SslMode::Disable => Driver::Disable,
            SslMode::Prefer => Driver::Prefer,
            SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => Driver::Require,
        }
    }
}

impl fmt::Display for SslMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A parsed `postgres://` / `postgresql://` URL, ready to connect with.
///
/// Built by [`ConnectUrl::parse`]; the password is kept private and is not
/// in `Debug`.
#[derive(Clone)]
pub struct ConnectUrl {
    masked: String,
    /// Host names, IP addresses or unix socket directories (starting with `/`).
    pub hosts: Vec<String>,
    /// One port per host.
    pub ports: Vec<u16>,
    /// The user name (from the userinfo or `?user=`), percent-decoded.
    pub user: Option<String>,
    /// The database (the path or `?dbname=`); `None` means the user name, as in PostgreSQL.
    pub dbname: Option<String>,
    /// `sslmode` (default `prefer`).
    pub sslmode: SslMode,
    /// CA certificate(s) (PEM) to verify the server against.
    pub sslrootcert: Option<PathBuf>,
    /// Client certificate (PEM), for `cert` authentication.
    pub sslcert: Option<PathBuf>,
    /// Client private key (PEM), for `cert` authentication.
    pub sslkey: Option<PathBuf>,
    /// `None` waits forever (`connect_timeout=0`, as libpq).
    pub connect_timeout: Option<Duration>,
    /// Everything else, with tokio-postgres's validation applied.
    driver: tokio_postgres::Config,
}

impl fmt::Debug for ConnectUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConnectUrl")
            .field("url", &self.masked)
            .field("hosts", &self.hosts)
            .field("ports", &self.ports)
            .field("user", &self.user)
            .field("dbname", &self.dbname)
            .field("sslmode", &self.sslmode)
            .field("sslrootcert", &self.sslrootcert)
            .field("connect_timeout", &self.connect_timeout)
            .finish_non_exhaustive()
    }
}

/// A URL [`ConnectUrl::parse`] refused: the masked URL and why (becomes
/// [`super::ConnectError::InvalidUrl`]).
#[derive(Debug, Clone, thiserror::Error)]
#[error("invalid database URL {url}: {reason}")]
pub struct InvalidUrl {
    /// The URL with its password masked.
    pub url: String,
    /// What is wrong, in words.
    pub reason: String,
}

impl ConnectUrl {
    /// Parses a libpq-style URL:
    /// `postgres[ql]://[user[:password]@][host][:port][,host[:port]...][/dbname][?param=value&...]`.
    ///
    /// Query parameters win over the URL's parts, as in libpq. Errors never
    /// quote the URL's text beyond its masked form.
    pub fn parse(url: &str) -> Result<Self, InvalidUrl> {
        let masked = mask_url(url);
        let invalid = |reason: String| InvalidUrl {
            url: masked.clone(),
            reason,
        };
        let Some((scheme, rest)) = url.split_once("://") else {
            return Err(invalid(
                "expected a postgres:// or postgresql:// URL".to_owned(),
            ));
        };
        if scheme != "postgres" && scheme != "postgresql" {
            return Err(invalid(
                "expected a postgres:// or postgresql:// URL".to_owned(),
            ));
        }
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(authority_end);
        let (path, query) = match tail.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (tail, None),
        };
        if path.contains('@') {
            return Err(invalid(MISPLACED.to_owned()));
        }

        let mut parts = Parts {
            // With an `@` in the query, the query may be the end of a password
            // holding `?` unencoded (the masked URL hides it): nothing of it is
            // quoted back then.
            quote: !query.is_some_and(|q| q.contains('@')),
            ..Parts::default()
        };
        let hostlist = match authority.rsplit_once('@') {
            Some((userinfo, hosts)) => {
                let (user, password) = match userinfo.split_once(':') {
                    Some((u, p)) => (u, Some(p)),
                    None => (userinfo, None),
                };
                parts.user = Some(decode_text(user, "the user name").map_err(&invalid)?)
                    .filter(|u| !u.is_empty());
                parts.password = password
                    .map(|p| percent_decode(p).ok_or("the password"))
                    .transpose()
                    .map_err(|what| invalid(bad_encoding(what)))?;
                hosts
            }
            None => authority,
        };
        parse_hostlist(hostlist, &mut parts).map_err(&invalid)?;
        let path = path.strip_prefix('/').unwrap_or(path);
        if !path.is_empty() {
            parts.dbname = Some(decode_text(path, "the database name").map_err(&invalid)?);
        }
        for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
            // Neither keys nor values are quoted back unless they look like
            // plain words: with an unencoded `?` in the password, the "query"
            // starts inside the password.
            let Some((key, value)) = pair.split_once('=') else {
                return Err(invalid(format!(
                    "a query parameter without `=value` (parameters are `key=value`, joined by \
                     `&`); {MISPLACED}"
                )));
            };
            if !is_word(key) {
                return Err(invalid(format!("a malformed parameter name; {MISPLACED}")));
            }
            let key = key.to_owned();
            if key == "password" {
                parts.password = Some(
                    percent_decode(value)
                        .ok_or_else(|| invalid(bad_encoding("the password parameter")))?,
                );
                continue;
            }
            let what = if parts.quote {
                format!("parameter `{key}`")
            } else {
                "a parameter".to_owned()
            };
            let value = decode_text(value, &what).map_err(&invalid)?;
            parts.set_param(key, value).map_err(&invalid)?;
        }
        parts.finish(masked)
    }

    /// The URL with its password masked; safe to print.
    pub fn masked(&self) -> &str {
        &self.masked
    }

    /// Whether the URL carries a password (the password itself is not exposed).
    pub fn has_password(&self) -> bool {
        self.driver.get_password().is_some()
    }

    /// The user name the server will see (tokio-postgres needs one).
    pub fn user_name(&self) -> &str {
        self.user.as_deref().unwrap_or("")
    }

    /// The database the server will open: the URL's, else the user name (as PostgreSQL does).
    pub fn database_name(&self) -> &str {
        self.dbname.as_deref().unwrap_or(self.user_name())
    }

    /// `host:port` of every target, for messages: `127.0.0.1:5432`,
    /// `[::1]:5432`, or `/run/postgresql/.s.PGSQL.5432` for a socket.
    pub fn targets(&self) -> Vec<String> {
        self.hosts
            .iter()
            .zip(&self.ports)
            .map(|(host, port)| {
                if host.starts_with('/') {
                    format!("{}/.s.PGSQL.{port}", host.trim_end_matches('/'))
                } else if host.contains(':') {
                    format!("[{host}]:{port}")
                } else {
                    format!("{host}:{port}")
                }
            })
            .collect()
    }

    /// The tokio-postgres configuration: everything but TLS verification.
    pub fn driver_config(&self) -> &tokio_postgres::Config {
        &self.driver
    }

    /// The same server, role and TLS settings, another database (a shadow
    /// database made next to the URL's).
    pub fn with_database(&self, name: &str) -> ConnectUrl {
        let mut url = self.clone();
        url.dbname = Some(name.to_owned());
        url.driver.dbname(name);
        url.masked = format!("{} (database {name})", self.masked);
        url
    }
}

/// What the URL said, before validation.
#[derive(Default)]
struct Parts {
    hosts: Vec<String>,
    ports: Vec<Option<u16>>,
    user: Option<String>,
    password: Option<Vec<u8>>,
    dbname: Option<String>,
    sslmode: Option<SslMode>,
    sslrootcert: Option<String>,
    sslcert: Option<String>,
    sslkey: Option<String>,
    connect_timeout: Option<Option<Duration>>,
    application_name: Option<String>,
    /// Parameters passed on to tokio-postgres untouched.
    rest: Vec<(String, String)>,
    /// Whether messages may quote parameter names and values.
    quote: bool,
}

impl Parts {
    fn set_param(&mut self, key: String, value: String) -> Result<(), String> {
        match key.as_str() {
            "host" => self.hosts = value.split(',').map(str::to_owned).collect(),
            "port" => {
                let ports = value
                    .split(',')
                    .map(|p| parse_port(p).map(Some))
                    .collect::<Result<Vec<_>, _>>()?;
                self.ports = ports;
            }
            "user" => self.user = Some(value),
            "dbname" => self.dbname = Some(value),
            "sslmode" => {
                self.sslmode = Some(SslMode::parse(&value).ok_or_else(|| {
                    let shown = if self.quote && is_word(&value) {
                        format!(" `{value}`")
                    } else {
                        String::new()
                    };
                    format!(
                        "sslmode{shown} is not supported; use disable, prefer, require, \
                         verify-ca or verify-full"
                    )
                })?);
            }
            "sslrootcert" => self.sslrootcert = Some(value),
            "sslcert" => self.sslcert = Some(value),
            "sslkey" => self.sslkey = Some(value),
            "connect_timeout" => {
                let secs: i64 = value
                    .trim()
                    .parse()
                    .map_err(|_| "connect_timeout must be a whole number of seconds".to_owned())?;
                // As libpq: zero or negative waits forever; 1 is raised to 2.
                self.connect_timeout =
                    Some((secs > 0).then(|| Duration::from_secs(secs.max(2).unsigned_abs())));
            }
            "application_name" => self.application_name = Some(value),
            // Everything else is tokio-postgres's to accept or reject.
            _ => {
                self.rest.retain(|(k, _)| *k != key);
                self.rest.push((key, value));
            }
        }
        Ok(())
    }

    fn finish(self, masked: String) -> Result<ConnectUrl, InvalidUrl> {
        let invalid = |reason: String| InvalidUrl {
            url: masked.clone(),
            reason,
        };
        // The rest goes through tokio-postgres's own key=value parser, so
        // every parameter it supports keeps working and unknown ones are
        // rejected as libpq rejects them.
        let mut driver = if self.rest.is_empty() {
            tokio_postgres::Config::new()
        } else {
            let conninfo = self
                .rest
                .iter()
                .map(|(k, v)| format!("{k}={}", quote_conninfo(v)))
                .collect::<Vec<_>>()
                .join(" ");
            tokio_postgres::Config::from_str(&conninfo).map_err(|e| {
                if !self.quote {
                    return invalid(format!("an unsupported parameter; {MISPLACED}"));
                }
                let why = std::error::Error::source(&e)
                    .map(ToString::to_string)
                    .unwrap_or_else(|| e.to_string());
                invalid(format!("unsupported parameter: {why}"))
            })?
        };
        let mut hosts: Vec<String> = self.hosts.into_iter().filter(|h| !h.is_empty()).collect();
        if hosts.is_empty() {
            hosts.push(DEFAULT_HOST.to_owned());
        }
        let ports: Vec<u16> = match self.ports.as_slice() {
            [] => vec![DEFAULT_PORT; hosts.len()],
            [one] => vec![one.unwrap_or(DEFAULT_PORT); hosts.len()],
            many if many.len() == hosts.len() => {
                many.iter().map(|p| p.unwrap_or(DEFAULT_PORT)).collect()
            }
            many => {
                return Err(invalid(format!(
                    "{} ports for {} hosts; give one port, or one per host",
                    many.len(),
                    hosts.len()
                )))
            }
        };
        for (host, port) in hosts.iter().zip(&ports) {
            driver.host(host);
            driver.port(*port);
        }
        let Some(user) = self.user.filter(|u| !u.is_empty()) else {
            return Err(invalid(
                "no user name (postgresql://USER[:PASSWORD]@HOST/DB)".to_owned(),
            ));
        };
        driver.user(&user);
        if let Some(password) = &self.password {
            driver.password(password);
        }
        if let Some(db) = &self.dbname {
            driver.dbname(db);
        }
        let sslmode = self.sslmode.unwrap_or_default();
        // As libpq: TLS is never used over unix sockets, whatever sslmode says.
        let all_sockets = hosts.iter().all(|h| h.starts_with('/'));
        driver.ssl_mode(if all_sockets {
            tokio_postgres::config::SslMode::Disable
        } else {
            sslmode.driver_mode()
        });
        let connect_timeout = self
            .connect_timeout
            .unwrap_or(Some(DEFAULT_CONNECT_TIMEOUT));
        if let Some(t) = connect_timeout {
            driver.connect_timeout(t);
        }
        driver.application_name(
            self.application_name
                .as_deref()
                .unwrap_or(DEFAULT_APPLICATION_NAME),
        );
        Ok(ConnectUrl {
            masked,
            hosts,
            ports,
            user: Some(user),
            dbname: self.dbname,
            sslmode,
            sslrootcert: self.sslrootcert.map(PathBuf::from),
            sslcert: self.sslcert.map(PathBuf::from),
            sslkey: self.sslkey.map(PathBuf::from),
            connect_timeout,
            driver,
        })
    }
}

/// `host[:port]` entries joined by `,`; IPv6 addresses in brackets.
fn parse_hostlist(list: &str, parts: &mut Parts) -> Result<(), String> {
    if list.is_empty() {
        return Ok(());
    }
    for entry in list.split(',') {
        let (host, port) = if let Some(bracketed) = entry.strip_prefix('[') {
            let Some((addr, after)) = bracketed.split_once(']') else {
                return Err("an IPv6 address without its closing `]`".to_owned());
            };
            match after {
                "" => (addr.to_owned(), None),
                _ => match after.strip_prefix(':') {
                    Some(p) => (addr.to_owned(), Some(parse_port(p)?)),
                    None => return Err("unexpected text after an IPv6 address".to_owned()),
                },
            }
        } else {
            match entry.rsplit_once(':') {
                Some((h, p)) => (decode_text(h, "a host name")?, Some(parse_port(p)?)),
                None => (decode_text(entry, "a host name")?, None),
            }
        };
        parts.hosts.push(host);
        parts.ports.push(port);
    }
    Ok(())
}

/// A port number 1..=65535. The text is not quoted back: in a URL with an
/// unencoded `/` in the password, the "port" is part of the password.
fn parse_port(text: &str) -> Result<u16, String> {
    match text.trim().parse::<u16>() {
        Ok(p) if p > 0 => Ok(p),
        _ => Err(
            "a port that is not a number from 1 to 65535 (if the password contains \
                  `/`, `?`, `#` or `@`, percent-encode it)"
                .to_owned(),
        ),
    }
}

/// The usual cause of a URL that does not split into its parts.
const MISPLACED: &str = "a password containing `/`, `?`, `#` or `@` must be percent-encoded \
                         (e.g. `/` as %2F, `@` as %40)";

/// Letters, digits, `_` and `-`: safe to quote back in a message.
fn is_word(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

fn bad_encoding(what: &str) -> String {
    format!("invalid percent-encoding in {what}")
}

fn decode_text(text: &str, what: &str) -> Result<String, String> {
    let bytes = percent_decode(text).ok_or_else(|| bad_encoding(what))?;
    String::from_utf8(bytes).map_err(|_| format!("{what} is not valid UTF-8"))
}

/// `%XX` → byte; `None` on a malformed escape. `+` stays `+` (libpq does
/// not treat it as a space).
fn percent_decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

/// A value for tokio-postgres's `key=value` syntax: single-quoted, with `\`
/// and `'` escaped.
fn quote_conninfo(value: &str) -> String {
    format!("'{}'", value.replace('\\', r"\\").replace('\'', r"\'"))
}

/// `url` with every password replaced by `***`: the `user:password@` part
/// and `password=` / `sslpassword=` parameters, in URLs and in `key=value`
/// connection strings. Safe to print; the one masking implementation
/// (`testing::mask_password` calls it).
///
/// It errs on the side of masking: a password with an unencoded `/`, `?` or
/// `@` (invalid, but a common mistake) is still masked, because the user
/// part is taken to end at the last `@` before the first `?` (or the last
/// `@` at all if there is none before it). Such a URL reads two ways (is
/// that `@` in the user info or in a `password=` value?), so what either
/// reading calls a password is masked, on the text as given.
pub fn mask_url(url: &str) -> String {
    let mut hidden: Vec<(usize, usize)> = userinfo_password(url)
        .into_iter()
        .chain(param_passwords(url))
        .collect();
    hidden.sort_unstable();
    let mut out = String::with_capacity(url.len());
    let mut shown_to = 0;
    let mut current: Option<(usize, usize)> = None;
    for (start, end) in hidden {
        match &mut current {
            Some((_, cur_end)) if start <= *cur_end => *cur_end = (*cur_end).max(end),
            _ => {
                if let Some((s, e)) = current.replace((start, end)) {
                    out.push_str(&url[shown_to..s]);
                    out.push_str("***");
                    shown_to = e;
                }
            }
        }
    }
    if let Some((s, e)) = current {
        out.push_str(&url[shown_to..s]);
        out.push_str("***");
        shown_to = e;
    }
    out.push_str(&url[shown_to..]);
    out
}

/// The byte range of the `user:password@` part's password.
fn userinfo_password(url: &str) -> Option<(usize, usize)> {
    let (scheme, rest) = url.split_once("://")?;
    // The password may hold any delimiter (`@`, `?`, `/`, `#`) unencoded and
    // the host never holds `@`, so everything up to the last `@` is user
    // info. (An `@` in the query then masks more than the password, never
    // less.)
    let at = rest.rfind('@')?;
    let colon = rest[..at].find(':')?;
    let base = scheme.len() + "://".len();
    Some((base + colon + 1, base + at))
}

/// The byte ranges of `password=value` (also `sslpassword=`) values in URL
/// query strings (values end at `&`: [`ConnectUrl::parse`] keeps `#`,
/// spaces and quotes in them) and `key=value` strings (values end at a
/// space, or are single-quoted).
fn param_passwords(text: &str) -> Vec<(usize, usize)> {
    const KEY: &str = "password=";
    let in_url = text.contains("://");
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find(KEY) {
        let start = from + i + KEY.len();
        let value = &text[start..];
        let len = if in_url {
            value.find('&').unwrap_or(value.len())
        } else if let Some(quoted) = value.strip_prefix('\'') {
            closing_quote(quoted).map_or(value.len(), |end| end + 2)
        } else {
            value.find(' ').unwrap_or(value.len())
        };
        out.push((start, start + len));
        from = start + len;
    }
    out
}

/// Byte index of the closing `'` in a single-quoted value (after the opening quote).
fn closing_quote(quoted: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in quoted.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '\'' => return Some(i),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(url: &str) -> ConnectUrl {
        ConnectUrl::parse(url).unwrap_or_else(|e| panic!("{e}"))
    }

    fn reason(url: &str) -> String {
        match ConnectUrl::parse(url) {
            Err(InvalidUrl { reason, .. }) => reason,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_password_of_any_delimiter_is_masked_whole() {
        for d in [
            "@", "?", "#", "/", ":", "&", "=", "%", "+", ";", "[", "]", "!", "$", ",", "'", " ",
            "@?", "?@/", "/@#",
        ] {
            let password = format!("Mark{d}er-{d}pw");
            for url in [
                format!("postgres://u:{password}@host.example/db"),
                format!("postgres://u:{password}@host.example:5433/db?sslmode=require"),
                format!("postgresql://u:{password}@host.example"),
            ] {
                let masked = mask_url(&url);
                assert!(
                    !masked.contains("Mark") && !masked.contains("pw"),
                    "{url} -> {masked}"
                );
                assert!(masked.contains("host.example"), "{url} -> {masked}");
                assert!(
                    masked.starts_with("postgres") && masked.contains("u:***@"),
                    "{url} -> {masked}"
                );
            }
        }
        assert_eq!(
            mask_url("postgres://u:S3cret@?tail@host/db"),
            "postgres://u:***@host/db"
        );
        // An `@` after the host masks more, never less.
        let masked = mask_url("postgres://u:Marker@host/db?application_name=a@b");
        assert!(!masked.contains("Marker"), "{masked}");
    }

    #[test]
    fn parses_parts_and_decodes() {
        let u = parse("postgresql://us%40er:p%2Fw%3F@db.example.com:6543/my%20db?sslmode=verify-full&sslrootcert=%2Ftmp%2Fca.pem&application_name=x");
        assert_eq!(u.hosts, ["db.example.com"]);
        assert_eq!(u.ports, [6543]);
        assert_eq!(u.user.as_deref(), Some("us@er"));
        assert_eq!(u.dbname.as_deref(), Some("my db"));
        assert_eq!(u.sslmode, SslMode::VerifyFull);
        assert_eq!(u.sslrootcert, Some(PathBuf::from("/tmp/ca.pem")));
        assert_eq!(u.driver_config().get_password(), Some(&b"p/w?"[..]));
        assert_eq!(u.driver_config().get_application_name(), Some("x"));
        assert_eq!(u.masked(), "postgresql://us%40er:***@db.example.com:6543/my%20db?sslmode=verify-full&sslrootcert=%2Ftmp%2Fca.pem&application_name=x");
        assert!(!format!("{u:?}").contains("p/w"));
    }

    #[test]
    fn defaults_hosts_ports_and_ipv6() {
        let u = parse("postgres://u@/db");
        assert_eq!(
            (u.hosts.clone(), u.ports.clone()),
            (vec!["localhost".to_owned()], vec![5432])
        );
        assert_eq!(u.sslmode, SslMode::Prefer);
        assert_eq!(u.connect_timeout, Some(DEFAULT_CONNECT_TIMEOUT));
        assert_eq!(
            u.driver_config().get_application_name(),
            Some(DEFAULT_APPLICATION_NAME)
        );
        assert_eq!(u.database_name(), "db");
        let u = parse("postgres://u@[::1]:5433,h2,h3:7/db?connect_timeout=0");
        assert_eq!(u.hosts, ["::1", "h2", "h3"]);
        assert_eq!(u.ports, [5433, 5432, 7]);
        assert_eq!(u.targets(), ["[::1]:5433", "h2:5432", "h3:7"]);
        assert_eq!(u.connect_timeout, None);
        let u = parse("postgres://u@ignored/db?host=%2Frun%2Fpg&port=6000&sslmode=require");
        assert_eq!(u.targets(), ["/run/pg/.s.PGSQL.6000"]);
        // No TLS over unix sockets, as libpq.
        assert_eq!(
            u.driver_config().get_ssl_mode(),
            tokio_postgres::config::SslMode::Disable
        );
        let u = parse(
            "postgres://h/db?user=u&password=s%26cret&keepalives=0&target_session_attrs=read-write",
        );
        assert_eq!(u.user_name(), "u");
        assert_eq!(u.driver_config().get_password(), Some(&b"s&cret"[..]));
        assert!(!u.driver_config().get_keepalives());
    }

    #[test]
    fn rejects_what_libpq_rejects_without_quoting_secrets() {
        assert!(reason("mysql://u@h/db").contains("postgres://"));
        assert!(reason("postgres://u@h/db?sslmode=allow").contains("verify-full"));
        assert!(reason("postgres://u@h/db?frobnicate=1").contains("frobnicate"));
        assert!(reason("postgres://u@h/db?connect_timeout=soon").contains("connect_timeout"));
        assert!(reason("postgres://h/db").contains("no user name"));
        assert!(reason("postgres://u@h,h2/db?port=1,2,3").contains("3 ports for 2 hosts"));
        let r = reason("postgres://u:Sec?ret@h/db?sslmode=require");
        assert!(r.contains("percent-encode") && !r.contains("Sec"), "{r}");
        let r = reason("postgres://u:Sec/ret@h/db");
        assert!(r.contains("percent-encode") && !r.contains("Sec"), "{r}");
        let r = reason("postgres://u:Sec%zzret@h/db");
        assert!(r.contains("password") && !r.contains("Sec"), "{r}");
        // A password with `?` and an `@` after it: the "parameters" are the
        // password's, so none is quoted back.
        for url in [
            "postgres://:@?Secret=@h/db",
            "postgres://u:1?sslmode=Secret&x@h/db",
            "postgres://u:1?Secret=%zz@h/db",
        ] {
            let r = reason(url);
            assert!(!r.contains("Secret"), "{url}: {r}");
        }
        let err = ConnectUrl::parse("postgres://u:Sec:ret@h:99999/db").unwrap_err();
        assert!(!err.to_string().contains("Sec") && !format!("{err:?}").contains("Sec"));
    }

    #[test]
    fn masks_every_password_form() {
        let cases = [
            (
                "postgresql://u:s3cret@h:5432/db?sslmode=disable",
                "postgresql://u:***@h:5432/db?sslmode=disable",
            ),
            ("postgres://u@h/db", "postgres://u@h/db"),
            (
                "postgres://h/db?user=u&password=s3cret&x=1",
                "postgres://h/db?user=u&password=***&x=1",
            ),
            (
                "host=h password=s3cret user=u",
                "host=h password=*** user=u",
            ),
            (
                "host=h password='s3 c\\'ret' user=u",
                "host=h password=*** user=u",
            ),
            ("postgres://u:s3/cr?et@h/db", "postgres://u:***@h/db"),
            // An `@` after the host: everything before the last `@` could be
            // password, so all of it is masked.
            ("postgres://u:s3@cret@h/db?opt=a@b", "postgres://u:***@b"),
            (
                "postgres://h/db?sslpassword=s3cret",
                "postgres://h/db?sslpassword=***",
            ),
            ("not a url", "not a url"),
            // The parser keeps `#` and spaces in a query value.
            (
                "postgres://u@h/db?password=#s3cret&sslmode=x",
                "postgres://u@h/db?password=***&sslmode=x",
            ),
            (
                "postgres://u@h/db?password=s3 cret",
                "postgres://u@h/db?password=***",
            ),
            (
                "postgres://u@h/db?password=''s3cret&sslmode=x",
                "postgres://u@h/db?password=***&sslmode=x",
            ),
            // Either reading of an `@` in a query password masks it all.
            ("postgres://u:pw@h/db?password=p@ss", "postgres://u:***"),
            (
                "postgres://u@h/db?a=b:c&password=@s3cret&x=1",
                "postgres://u@h/db?a=b:***&x=1",
            ),
            ("postgres://u:s3cretpassword=x@h", "postgres://u:***"),
            (
                "host=h password=s3&cret user=u",
                "host=h password=*** user=u",
            ),
        ];
        for (url, want) in cases {
            assert_eq!(mask_url(url), want, "{url}");
        }
    }
}
