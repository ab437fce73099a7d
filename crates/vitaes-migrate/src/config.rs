//! `vitaes.toml`: defaults for every command, found in the current directory
//! or its nearest ancestor, like `drizzle.config.ts`. Paths in it are relative
//! to the file; flags win over it. Unknown keys are errors.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use vitaes_schema_core::folder::Prefix;
use vitaes_schema_core::parse::describe_toml_error;

use crate::error::{Error, Result};

/// The config file's name, looked for from the current directory upwards.
pub const CONFIG_FILE: &str = "vitaes.toml";

/// The file as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// `schema`: one source path or a list (`.rs` files or folders), relative to the file.
    #[serde(default)]
    pub schema: Option<OneOrMany>,
    /// `out`: the migrations folder, relative to the file.
    pub out: Option<String>,
    /// `schema_filter`: the schemas introspection reads (default: `public` and the code's).
    pub schema_filter: Option<Vec<String>>,
    /// `tables_filter`: globs narrowing the tables read (`"!legacy_*"` excludes).
    pub tables_filter: Option<Vec<String>>,
    /// serde's `rename_all` for every table's columns (a struct's own
    /// `#[table(rename_all)]` wins). Read where the structs are parsed, by
    /// `vitaes_schema_core::parse::project_rename_all`; listed here so the
    /// key is known.
    pub rename_all: Option<String>,
    /// `comments`: doc comments become database comments (`COMMENT ON`);
    /// default false, as drizzle-kit keeps none.
    pub comments: Option<bool>,
    /// `[database]`: where the URL comes from.
    #[serde(default)]
    pub database: DatabaseSection,
    /// `[migrations]`: where migrate records what it applied.
    #[serde(default)]
    pub migrations: MigrationsSection,
    /// `[db]`: the development database of `vitaes-migrate db`.
    #[serde(default)]
    pub db: DbSection,
    /// `[roles]`: which roles are created, altered and dropped.
    #[serde(default)]
    pub roles: RolesSection,
}

/// `[roles]`: which roles are managed (see [`crate::roles`]).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RolesSection {
    /// Roles are managed at all (drizzle-kit's `entities.roles`); default false.
    #[serde(default)]
    pub manage: bool,
    /// `supabase` or `neon`: their built-in roles are left alone.
    pub provider: Option<crate::roles::Provider>,
    /// Roles dropped when the code does not declare them.
    #[serde(default)]
    pub include: Vec<String>,
    /// Roles never created, altered or dropped.
    #[serde(default)]
    pub exclude: Vec<String>,
}

/// `[db]` in `vitaes.toml`: how `vitaes-migrate db` runs the development
/// database. Paths are relative to the file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DbSection {
    /// The compose file to use when a Docker engine runs (default `docker-compose.yml`).
    pub compose_file: Option<String>,
    /// The PostgreSQL server binaries (initdb, pg_ctl, postgres) of the local server.
    pub bin_dir: Option<String>,
    /// The local server's data folder (default `.vitaes/postgres`).
    pub data_dir: Option<String>,
}

/// A TOML value given as one string or an array of them.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    /// A single string.
    One(String),
    /// An array of strings.
    Many(Vec<String>),
}

/// `[database]` in `vitaes.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSection {
    /// The environment variable holding the URL (default `DATABASE_URL`).
    pub url_env: Option<String>,
    /// The env file to read that variable from, relative to the config file (default `.env`).
    pub env_file: Option<String>,
    /// A URL to use when the variable is not set.
    pub url: Option<String>,
}

/// `[migrations]` in `vitaes.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MigrationsSection {
    /// The schema of the migrations table (default drizzle-orm's `drizzle`).
    pub schema: Option<String>,
    /// The migrations table's name (default drizzle-orm's `__drizzle_migrations`).
    pub table: Option<String>,
    /// drizzle-kit's `migrations.prefix`: how `generate` tags new files
    /// (`index`, `timestamp`, `supabase`, `unix`, `none`).
    pub prefix: Option<Prefix>,
}

/// The configuration in effect: file values with paths made absolute.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file it came from, if any.
    pub path: Option<PathBuf>,
    /// The file's `schema` paths, made absolute.
    pub schema: Vec<PathBuf>,
    /// The file's `out`, made absolute.
    pub out: Option<PathBuf>,
    /// The file's values as written.
    pub file: ConfigFile,
}

impl Config {
    /// Loads `explicit` if given, else the nearest `vitaes.toml` from `cwd`
    /// upwards; no file is an empty config.
    pub fn load(explicit: Option<&Path>, cwd: &Path) -> Result<Config> {
        let path = match explicit {
            Some(p) => {
                let p = cwd.join(p);
                if !p.is_file() {
                    return Err(Error::Usage(format!(
                        "config file {} does not exist",
                        p.display()
                    )));
                }
                Some(p)
            }
            None => find_upwards(cwd),
        };
        let Some(path) = path else {
            return Ok(Config::default());
        };
        let text = std::fs::read_to_string(&path).map_err(Error::io(&path))?;
        // Never toml's own text: it quotes the line, which may hold a password.
        let file: ConfigFile = toml::from_str(&text).map_err(|e| Error::Config {
            path: path.clone(),
            message: format!(
                "{}\n  help: see the README's vitaes.toml section for the keys",
                describe_toml_error(&text, &e)
            ),
        })?;
        let empty = [
            ("[database] url_env", file.database.url_env.as_deref()),
            ("[database] env_file", file.database.env_file.as_deref()),
            ("[database] url", file.database.url.as_deref()),
            ("[migrations] schema", file.migrations.schema.as_deref()),
            ("[migrations] table", file.migrations.table.as_deref()),
            ("out", file.out.as_deref()),
        ];
        if let Some((key, _)) = empty
            .iter()
            .find(|(_, v)| v.is_some_and(|v| v.trim().is_empty()))
        {
            return Err(Error::Config {
                path: path.clone(),
                message: format!(
                    "`{key}` is empty\n  help: give it a value, or remove the line for the default"
                ),
            });
        }
        let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
        Ok(Config {
            schema: file
                .schema
                .as_ref()
                .map(|s| match s {
                    OneOrMany::One(p) => vec![dir.join(p)],
                    OneOrMany::Many(v) => v.iter().map(|p| dir.join(p)).collect(),
                })
                .unwrap_or_default(),
            out: file.out.as_ref().map(|o| dir.join(o)),
            path: Some(path),
            file,
        })
    }

    /// Schema sources: `--schema` flags (relative to `cwd`) win over the file.
    pub fn schema_paths(&self, flags: &[PathBuf], cwd: &Path) -> Result<Vec<PathBuf>> {
        if !flags.is_empty() {
            return Ok(flags.iter().map(|p| cwd.join(p)).collect());
        }
        if !self.schema.is_empty() {
            return Ok(self.schema.clone());
        }
        Err(Error::Usage(format!(
            "no schema sources: pass --schema <file or folder>, or set `schema = [...]` in {CONFIG_FILE}"
        )))
    }

    /// The roles compared with the code, from `[roles]`.
    pub fn role_scope(&self) -> crate::roles::RoleScope {
        let r = &self.file.roles;
        crate::roles::RoleScope {
            manage: r.manage,
            provider: r.provider,
            include: r.include.clone(),
            exclude: r.exclude.clone(),
        }
    }

    /// What comparisons cover beyond the objects: the `[roles]` scope and
    /// `comments`.
    pub fn scope(&self) -> crate::scope::Scope {
        crate::scope::Scope {
            roles: self.role_scope(),
            comments: self.file.comments.unwrap_or(false),
        }
    }

    /// Where migrate records what it applied: `[migrations]`, else drizzle-orm's table.
    pub fn migrations_table(&self) -> crate::migrator::MigrationsTable {
        let default = crate::migrator::MigrationsTable::default();
        let section = &self.file.migrations;
        crate::migrator::MigrationsTable {
            schema: section.schema.clone().unwrap_or(default.schema),
            table: section.table.clone().unwrap_or(default.table),
        }
    }

    /// The migrations folder: `--out` wins, then the file's `out`, else `./drizzle` as drizzle-kit.
    pub fn out_dir(&self, flag: Option<&Path>, cwd: &Path) -> PathBuf {
        match (flag, &self.out) {
            (Some(p), _) => cwd.join(p),
            (None, Some(p)) => p.clone(),
            (None, None) => cwd.join("drizzle"),
        }
    }
}

fn find_upwards(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|d| d.join(CONFIG_FILE))
        .find(|p| p.is_file())
}
