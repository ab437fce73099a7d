//! Which database URL a command uses (DESIGN.md, "The command line"):
//! `--url`, else the `url_env` variable (default `DATABASE_URL`) from the
//! process environment, then from the env file (default `.env` beside
//! `vitaes.toml`), else `[database] url`, else exit 2 naming all three.
//!
//! The environment is passed in as a lookup function, so tests (and
//! embedding applications) never depend on, or touch, the real process
//! environment; the env file is parsed with `dotenvy` without loading it
//! into the environment.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::config::{Config, CONFIG_FILE};
use crate::error::{Error, Result};

use super::url::mask_url;

/// The variable read when `[database] url_env` is not set.
pub const DEFAULT_URL_ENV: &str = "DATABASE_URL";

/// The env file read when `[database] env_file` is not set.
pub const DEFAULT_ENV_FILE: &str = ".env";

/// Where a URL came from, for messages such as "connecting to ... (from .env)".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlSource {
    /// `--url`.
    Flag,
    /// The process environment.
    Environment {
        /// The variable's name.
        var: String,
    },
    /// A line of the env file.
    EnvFile {
        /// The env file.
        path: PathBuf,
        /// The variable's name.
        var: String,
    },
    /// `[database] url` in the config file.
    ConfigFile {
        /// The config file.
        path: PathBuf,
    },
}

impl fmt::Display for UrlSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UrlSource::Flag => f.write_str("--url"),
            UrlSource::Environment { var } => write!(f, "${var}"),
            UrlSource::EnvFile { path, var } => write!(f, "{var} in {}", path.display()),
            UrlSource::ConfigFile { path } => write!(f, "[database] url in {}", path.display()),
        }
    }
}

/// A URL and where it came from. `Debug` masks the password.
#[derive(Clone, PartialEq, Eq)]
pub struct ResolvedUrl {
    /// The URL as given; may contain a password, so print [`mask_url`] of it.
    pub url: String,
    /// Where it came from.
    pub source: UrlSource,
}

impl fmt::Debug for ResolvedUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResolvedUrl")
            .field("url", &mask_url(&self.url))
            .field("source", &self.source)
            .finish()
    }
}

/// Picks the database URL; see the module docs for the order.
///
/// `cwd` anchors the env file when there is no config file; `env` looks up
/// a process environment variable (`|k| std::env::var(k).ok()` in the CLI).
/// Empty values count as unset. A malformed env file is an error (exit 2)
/// only when it has to be read, i.e. when the flag and the environment gave
/// nothing.
pub fn resolve_url(
    flag: Option<&str>,
    config: &Config,
    cwd: &Path,
    env: impl Fn(&str) -> Option<String>,
) -> Result<ResolvedUrl> {
    if let Some(url) = flag.filter(|u| !u.is_empty()) {
        return Ok(ResolvedUrl {
            url: url.to_owned(),
            source: UrlSource::Flag,
        });
    }
    let db = &config.file.database;
    let var = db.url_env.as_deref().unwrap_or(DEFAULT_URL_ENV);
    if let Some(url) = env(var).filter(|u| !u.is_empty()) {
        return Ok(ResolvedUrl {
            url,
            source: UrlSource::Environment {
                var: var.to_owned(),
            },
        });
    }
    let base = config.path.as_deref().and_then(Path::parent).unwrap_or(cwd);
    let env_file = base.join(db.env_file.as_deref().unwrap_or(DEFAULT_ENV_FILE));
    if let Some(url) = read_env_file(&env_file, var)? {
        return Ok(ResolvedUrl {
            url,
            source: UrlSource::EnvFile {
                path: env_file,
                var: var.to_owned(),
            },
        });
    }
    if let (Some(url), Some(path)) = (db.url.as_deref().filter(|u| !u.is_empty()), &config.path) {
        return Ok(ResolvedUrl {
            url: url.to_owned(),
            source: UrlSource::ConfigFile { path: path.clone() },
        });
    }
    let config_place = match &config.path {
        Some(path) => format!("set `url` under [database] in {}", path.display()),
        None => format!("set `url` under [database] in a {CONFIG_FILE} (none was found)"),
    };
    let env_file_note = if env_file.is_file() {
        String::new()
    } else {
        " (which does not exist)".to_owned()
    };
    Err(Error::Usage(format!(
        "no database URL: pass --url URL, set {var} in the environment or in {}{env_file_note}, \
         or {config_place}",
        env_file.display()
    )))
}

/// `var`'s value in the env file at `path`; `None` if the file does not
/// exist or does not set it. The first definition wins, as when dotenvy
/// loads a file. Parse errors give the line number, never the line (it may
/// hold a secret).
fn read_env_file(path: &Path, var: &str) -> Result<Option<String>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(Error::Io {
                path: path.to_owned(),
                source,
            })
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    for item in dotenvy::from_read_iter(text.as_bytes()) {
        match item {
            Ok((key, value)) if key == var => return Ok(Some(value).filter(|v| !v.is_empty())),
            Ok(_) => {}
            Err(dotenvy::Error::LineParse(line, _)) => {
                let number = text
                    .lines()
                    .position(|l| l.trim() == line.trim() || l.contains(line.trim()))
                    .map_or_else(String::new, |i| format!(":{}", i + 1));
                return Err(Error::Config {
                    path: PathBuf::from(format!("{}{number}", path.display())),
                    message: "cannot parse this line as KEY=value (the line is not shown: it may \
                              hold a secret)"
                        .to_owned(),
                });
            }
            Err(other) => {
                return Err(Error::Config {
                    path: path.to_owned(),
                    message: format!("cannot read it: {other}"),
                })
            }
        }
    }
    Ok(None)
}
