//! `vitaes-migrate db start | stop | status | logs | down | url`: the
//! project's development database, as the guide's `db:start`, `db:stop`,
//! `db:watch` and `db:down` scripts. With a running Docker engine and a
//! compose file, `docker compose`; otherwise (or `--local`) a server from
//! the installed PostgreSQL binaries with its data in the project
//! (`.vitaes/postgres`, see [`crate::local_pg::ProjectCluster`]). Port,
//! role, password and database come from the configured URL.

use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use super::flags::Force;
use crate::config::Config;
use crate::connect::{
    connect_to, mask_url, resolve_url, ConnectUrl, DEFAULT_ENV_FILE, DEFAULT_URL_ENV,
};
use crate::error::{Error, Result};
use crate::local_pg::{LocalPgError, ProjectCluster, ServerSettings, Started};
use crate::renames_cli::Prompter;

/// The guide's seed URL, used when none is configured.
pub const DEFAULT_URL: &str = "postgresql://postgres:password@localhost:5432/vitaes";

/// Where the local server keeps its data, relative to the project.
pub const DEFAULT_DATA_DIR: &str = ".vitaes/postgres";

/// `db`'s subcommands.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Examples:
  vitaes-migrate db start            # docker compose, else a local server
  vitaes-migrate db start --local --write-env
  vitaes-migrate db logs --follow
  vitaes-migrate db down --force     # delete the data
  vitaes-migrate db url             # psql \"$(vitaes-migrate db url)\"")]
pub struct DbArgs {
    /// Use the installed PostgreSQL binaries even when Docker is available.
    #[arg(long, global = true)]
    pub local: bool,
    /// What to do.
    #[command(subcommand)]
    pub action: DbAction,
}

/// `db start`, `stop`, `status`, `logs`, `down`, `url`.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum DbAction {
    /// Start the development database (idempotent) and wait until it accepts connections.
    Start {
        /// Write DATABASE_URL to the env file when it has none.
        #[arg(long)]
        write_env: bool,
    },
    /// Stop it; the data is kept.
    Stop,
    /// Say whether it runs, its version, URL (password masked), data folder and size.
    Status,
    /// Print the server log.
    Logs {
        /// Keep printing what the server writes (Ctrl-C to stop).
        #[arg(long)]
        follow: bool,
    },
    /// Stop it and delete its data.
    Down {
        /// `--force`: delete without asking.
        #[command(flatten)]
        force: Force,
    },
    /// Print the URL (for scripts: `psql "$(vitaes-migrate db url)"`).
    Url,
}

/// The project's URL and what the server is made from.
struct Target {
    url: String,
    parsed: ConnectUrl,
    configured: bool,
    project: PathBuf,
}

impl Target {
    fn resolve(
        config: &Config,
        cwd: &Path,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Target> {
        let (url, configured) = match resolve_url(None, config, cwd, env) {
            Ok(r) => (r.url, true),
            Err(Error::Usage(_)) => (DEFAULT_URL.to_string(), false),
            Err(e) => return Err(e),
        };
        let parsed = ConnectUrl::parse(&url).map_err(crate::connect::ConnectError::from)?;
        let host = parsed
            .hosts
            .first()
            .map(String::as_str)
            .unwrap_or("localhost");
        if !matches!(host, "localhost" | "127.0.0.1" | "::1") {
            return Err(Error::Usage(format!(
                "the configured URL {} points at {host}, not this machine: `db` runs a development server on localhost only",
                mask_url(&url)
            )));
        }
        let project = config
            .path
            .as_deref()
            .and_then(Path::parent)
            .unwrap_or(cwd)
            .to_path_buf();
        Ok(Target {
            url,
            parsed,
            configured,
            project,
        })
    }

    fn settings(&self) -> ServerSettings {
        let password = self
            .parsed
            .driver_config()
            .get_password()
            .map(|p| String::from_utf8_lossy(p).into_owned());
        ServerSettings {
            port: self.parsed.ports.first().copied().unwrap_or(5432),
            user: self.parsed.user_name().to_string(),
            password,
        }
    }
}

/// Runs one `db` action.
pub async fn run(
    args: &DbArgs,
    config: &Config,
    cwd: &Path,
    env: impl Fn(&str) -> Option<String>,
    out: &mut dyn Write,
    prompter: Option<&mut dyn Prompter>,
) -> Result<()> {
    let target = Target::resolve(config, cwd, &env)?;
    if let DbAction::Url = args.action {
        let _ = writeln!(out, "{}", target.url);
        return Ok(());
    }
    let local = args.local;
    if let (false, Some(compose)) = (local, compose_file(config, &target.project)) {
        if docker_engine_runs() {
            return compose_action(&args.action, &compose, &target, out);
        }
    }
    let cluster = project_cluster(config, &target.project)?;
    match &args.action {
        DbAction::Start { write_env, .. } => {
            start(&cluster, &target, config, *write_env, out).await
        }
        DbAction::Stop => {
            let stopped = cluster.stop().map_err(local_error)?;
            let _ = writeln!(
                out,
                "{}",
                if stopped {
                    "Stopped (the data is kept; `db start` starts it again)"
                } else {
                    "Not running"
                }
            );
            Ok(())
        }
        DbAction::Status => {
            let running = cluster.is_running();
            let _ = writeln!(out, "{}", if running { "running" } else { "not running" });
            let _ = writeln!(
                out,
                "version: PostgreSQL {} (binaries in {})",
                cluster
                    .data_version()
                    .unwrap_or_else(|| cluster.binaries_version().unwrap_or_else(|_| "?".into())),
                cluster.bindir().display()
            );
            let _ = writeln!(out, "url: {}", mask_url(&target.url));
            let _ = writeln!(
                out,
                "data: {} ({})",
                cluster.root().display(),
                match cluster.data_version() {
                    Some(_) => human_size(cluster.size()),
                    None => "none yet".into(),
                }
            );
            Ok(())
        }
        DbAction::Logs { follow, .. } => logs(&cluster.log_file(), *follow, out),
        DbAction::Down { force, .. } => {
            if !**force {
                let question = format!(
                    "Delete the development database's data in {}?",
                    cluster.root().display()
                );
                match prompter {
                    Some(p) => {
                        if p.choose(&question, &["No, keep it".into(), "Yes, delete it".into()])
                            .map_err(|e| Error::Refused(format!("could not ask: {e}")))?
                            != 1
                        {
                            return Err(Error::Refused("kept; nothing was deleted".into()));
                        }
                    }
                    None => {
                        return Err(Error::Refused(format!(
                            "`db down` deletes the data in {} and there is no terminal to confirm it; run again with --force",
                            cluster.root().display()
                        )))
                    }
                }
            }
            let removed = cluster.remove().map_err(local_error)?;
            let _ = writeln!(
                out,
                "{}",
                if removed {
                    format!(
                        "Deleted {} (`db start` makes a new, empty database)",
                        cluster.root().display()
                    )
                } else {
                    "No data to delete".to_string()
                }
            );
            Ok(())
        }
        DbAction::Url => unreachable!("answered above"),
    }
}

async fn start(
    cluster: &ProjectCluster,
    target: &Target,
    config: &Config,
    write_env: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let settings = target.settings();
    let started = cluster.start(&settings).map_err(local_error)?;
    // The URL's database, made once the server answers.
    let admin = target.parsed.with_database("postgres");
    let (client, info) = connect_to(&admin).await?;
    let name = target.parsed.database_name().to_string();
    let exists = client
        .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])
        .await
        .map_err(|e| Error::Database(format!("looking for database {name}: {e}")))?
        .is_some();
    if !exists {
        client
            .batch_execute(&format!(
                "CREATE DATABASE {}",
                vitaes_schema_core::naming::quote_ident(&name)
            ))
            .await
            .map_err(|e| Error::Database(format!("creating database {name}: {e}")))?;
    }
    let _ = writeln!(
        out,
        "{} PostgreSQL {} on {} (data in {})",
        match started {
            Started::AlreadyRunning => "Already running:",
            Started::Started => "Started:",
            Started::Created => "Created and started:",
        },
        info.version,
        mask_url(&target.url),
        cluster.root().display()
    );
    if !target.configured {
        let _ = writeln!(out, "DATABASE_URL={}", target.url);
        if write_env {
            write_env_file(config, target)?;
            let _ = writeln!(out, "(written to the env file)");
        } else {
            let _ = writeln!(
                out,
                "note: no DATABASE_URL is configured; `db start --write-env` writes this one to the env file"
            );
        }
    }
    Ok(())
}

/// Appends `DATABASE_URL=...` (or the configured variable) to the env file.
fn write_env_file(config: &Config, target: &Target) -> Result<()> {
    let db = &config.file.database;
    let var = db.url_env.as_deref().unwrap_or(DEFAULT_URL_ENV);
    let path = target
        .project
        .join(db.env_file.as_deref().unwrap_or(DEFAULT_ENV_FILE));
    let mut text = std::fs::read_to_string(&path).unwrap_or_default();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(&format!("{var}={}\n", target.url));
    std::fs::write(&path, text).map_err(Error::io(&path))
}

fn project_cluster(config: &Config, project: &Path) -> Result<ProjectCluster> {
    let db = &config.file.db;
    let data = project.join(db.data_dir.as_deref().unwrap_or(DEFAULT_DATA_DIR));
    let bindir = db.bin_dir.as_deref().map(|d| project.join(d));
    ProjectCluster::new(&data, bindir).map_err(local_error)
}

/// A local server problem: exit 2 when the user must change something here
/// (binaries, port, folder), 3 when the server itself failed.
fn local_error(e: LocalPgError) -> Error {
    match e {
        LocalPgError::BinariesNotFound { .. }
        | LocalPgError::NoPostgresUser
        | LocalPgError::Project(_) => Error::Usage(e.to_string()),
        other => Error::Connect(crate::connect::ConnectError::Other {
            url: "the local development server".into(),
            detail: other.to_string(),
        }),
    }
}

/// Prints the log; with `follow`, keeps printing what is appended.
fn logs(path: &Path, follow: bool, out: &mut dyn Write) -> Result<()> {
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !follow => {
            let _ = writeln!(
                out,
                "No server log yet ({}); `db start` first",
                path.display()
            );
            return Ok(());
        }
        Err(e) => return Err(Error::io(path)(e)),
    };
    let mut buf = Vec::new();
    loop {
        buf.clear();
        file.read_to_end(&mut buf).map_err(Error::io(path))?;
        out.write_all(&buf).map_err(Error::io("stdout"))?;
        let _ = out.flush();
        if !follow {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(250));
        // A log rotated or cut by `db down`: read from its new end.
        let len = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        let at = file.stream_position().map_err(Error::io(path))?;
        if len < at {
            file.seek(SeekFrom::Start(0)).map_err(Error::io(path))?;
        }
    }
}

fn human_size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 30 => format!("{:.1} GiB", b as f64 / (1u64 << 30) as f64),
        b if b >= 1 << 20 => format!("{:.1} MiB", b as f64 / (1u64 << 20) as f64),
        b => format!("{:.1} KiB", b as f64 / 1024.0),
    }
}

// ---- docker compose -------------------------------------------------------

/// `[db] compose_file`, else the project's `docker-compose.yml`, if it exists.
fn compose_file(config: &Config, project: &Path) -> Option<PathBuf> {
    let file = project.join(
        config
            .file
            .db
            .compose_file
            .as_deref()
            .unwrap_or("docker-compose.yml"),
    );
    file.is_file().then_some(file)
}

/// Whether `docker info` reaches an engine.
pub fn docker_engine_runs() -> bool {
    Command::new("docker")
        .arg("info")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn compose_action(
    action: &DbAction,
    file: &Path,
    target: &Target,
    out: &mut dyn Write,
) -> Result<()> {
    let mut cmd = Command::new("docker");
    cmd.arg("compose").arg("-f").arg(file);
    match action {
        DbAction::Start { .. } => cmd.args(["up", "-d", "--wait"]),
        DbAction::Stop => cmd.arg("stop"),
        DbAction::Status => cmd.arg("ps"),
        DbAction::Logs { follow, .. } => {
            cmd.arg("logs");
            if *follow {
                cmd.arg("--follow");
            }
            &mut cmd
        }
        DbAction::Down { force, .. } => {
            if !**force {
                return Err(Error::Refused(
                    "`db down` deletes the compose project's volumes: run again with --force"
                        .into(),
                ));
            }
            cmd.args(["down", "--volumes"])
        }
        DbAction::Url => unreachable!("answered before"),
    };
    let status = cmd.status().map_err(Error::io("docker"))?;
    if !status.success() {
        return Err(Error::Connect(crate::connect::ConnectError::Other {
            url: file.display().to_string(),
            detail: format!("docker compose failed ({status})"),
        }));
    }
    if matches!(action, DbAction::Start { .. } | DbAction::Status) {
        let _ = writeln!(
            out,
            "url: {} (docker compose, {})",
            mask_url(&target.url),
            file.display()
        );
    }
    Ok(())
}
