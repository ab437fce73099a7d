//! A project's own development server (`vitaes-migrate db`): unlike the
//! throwaway [`super::Cluster`], its data lives in a folder of the project
//! (`.vitaes/postgres`), it keeps running after the command exits, and it
//! listens on the port, with the role and password, of the project's
//! `DATABASE_URL` — on loopback only, with password authentication.

use std::fs;
use std::io;
use std::net::{Ipv4Addr, TcpListener};
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use super::{find_bindir, run_as_for_current_user, shell_quote, tail, LocalPgError, Runner, HOST};

/// Who connects, where: from the project's URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerSettings {
    /// The TCP port on 127.0.0.1.
    pub port: u16,
    /// The superuser `initdb` creates.
    pub user: String,
    /// Its password (scram-sha-256); none means trust on loopback.
    pub password: Option<String>,
}

/// The project's data folder and the server binaries that run it.
#[derive(Debug)]
pub struct ProjectCluster {
    root: PathBuf,
    runner: Runner,
}

/// What [`ProjectCluster::start`] found or did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Started {
    /// It was already running; nothing was done.
    AlreadyRunning,
    /// Started on the existing data.
    Started,
    /// A new data folder was made, then started.
    Created,
}

impl ProjectCluster {
    /// The cluster whose data lives in `root` (created on first start), run
    /// by the binaries in `bindir` or found as the tests find them.
    pub fn new(root: &Path, bindir: Option<PathBuf>) -> Result<ProjectCluster, LocalPgError> {
        let bindir = match bindir {
            Some(dir) => {
                super::check_bindir(&dir).map_err(|why| LocalPgError::BinariesNotFound {
                    looked: vec![format!("[db] bin_dir = {}: {why}", dir.display())],
                })?;
                dir
            }
            None => find_bindir()?,
        };
        Ok(ProjectCluster {
            root: root.to_path_buf(),
            runner: Runner {
                bindir,
                run_as: run_as_for_current_user()?,
                cwd: std::env::temp_dir(),
            },
        })
    }

    /// The data folder's root (`.vitaes/postgres`).
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn data(&self) -> PathBuf {
        self.root.join("data")
    }

    fn socket_dir(&self) -> PathBuf {
        self.root.join("sock")
    }

    /// The server log.
    pub fn log_file(&self) -> PathBuf {
        self.root.join("server.log")
    }

    /// The directory of the server binaries used.
    pub fn bindir(&self) -> &Path {
        &self.runner.bindir
    }

    /// The major version the data folder was made by, if there is one.
    pub fn data_version(&self) -> Option<String> {
        fs::read_to_string(self.data().join("PG_VERSION"))
            .ok()
            .map(|v| v.trim().to_string())
    }

    /// The binaries' major version (`postgres --version`).
    pub fn binaries_version(&self) -> Result<String, LocalPgError> {
        let mut cmd = self.runner.command("postgres");
        cmd.arg("--version");
        let out = self.runner.run("postgres --version", &mut cmd)?;
        // "postgres (PostgreSQL) 17.10"
        let text = String::from_utf8_lossy(&out.stdout);
        Ok(text
            .split_whitespace()
            .nth(2)
            .and_then(|v| v.split('.').next())
            .unwrap_or("?")
            .to_string())
    }

    /// Whether the server of this data folder is running.
    pub fn is_running(&self) -> bool {
        if !self.data().join("postmaster.pid").exists() {
            return false;
        }
        let mut cmd = self.runner.command("pg_ctl");
        cmd.arg("-D").arg(self.data()).arg("status");
        cmd.stdout(Stdio::null()).stderr(Stdio::null());
        cmd.status().is_ok_and(|s| s.success())
    }

    /// Makes the data folder if there is none, and starts the server in the
    /// background unless it runs; waits until it accepts connections.
    pub fn start(&self, settings: &ServerSettings) -> Result<Started, LocalPgError> {
        if self.is_running() {
            return Ok(Started::AlreadyRunning);
        }
        let binaries = self.binaries_version()?;
        let created = match self.data_version() {
            Some(data) if data != binaries => {
                return Err(LocalPgError::Project(format!(
                    "{} holds data of PostgreSQL {data}, and the server binaries ({}) are PostgreSQL {binaries}: point `[db] bin_dir` at PostgreSQL {data}'s binaries, or delete the data with `vitaes-migrate db down`",
                    self.root.display(),
                    self.runner.bindir.display()
                )));
            }
            Some(_) => false,
            None => {
                self.init(settings)?;
                true
            }
        };
        port_is_free(settings.port)?;
        let mut cmd = self.runner.command("pg_ctl");
        let options = [
            format!("listen_addresses={HOST}"),
            format!("port={}", settings.port),
            format!("unix_socket_directories={}", self.socket_dir().display()),
        ]
        .iter()
        .map(|o| format!("-c {}", shell_quote(o)))
        .collect::<Vec<_>>()
        .join(" ");
        cmd.arg("-D")
            .arg(self.data())
            .arg("-l")
            .arg(self.log_file())
            .args(["-w", "-t", "60", "-o"])
            .arg(options)
            .arg("start");
        // The server outlives this process: its output goes to the log,
        // not to our pipes.
        cmd.stdout(Stdio::null()).stderr(Stdio::piped());
        let out = cmd.output().map_err(|source| LocalPgError::Spawn {
            program: "pg_ctl".into(),
            source,
        })?;
        if !out.status.success() {
            let log = fs::read_to_string(self.log_file()).unwrap_or_default();
            return Err(LocalPgError::CommandFailed {
                step: "pg_ctl start",
                status: out.status.to_string(),
                output: format!(
                    "{}\n--- server log ---\n{}",
                    String::from_utf8_lossy(&out.stderr).trim(),
                    tail(&log, 20)
                ),
            });
        }
        Ok(if created {
            Started::Created
        } else {
            Started::Started
        })
    }

    /// `initdb` with the URL's role and password (scram-sha-256; trust when
    /// the URL has no password, which only loopback can reach).
    fn init(&self, settings: &ServerSettings) -> Result<(), LocalPgError> {
        let io = |what: &str| LocalPgError::io(format!("{what} {}", self.root.display()));
        // The folders above keep the usual mode (the `postgres` user must
        // pass through them when we are root); the data folder is private.
        if let Some(parent) = self.root.parent() {
            fs::create_dir_all(parent).map_err(io("creating the folder of"))?;
        }
        fs::DirBuilder::new()
            .mode(0o700)
            .create(&self.root)
            .map_err(io("creating"))?;
        fs::DirBuilder::new()
            .mode(0o700)
            .create(self.socket_dir())
            .or_else(|e| {
                if e.kind() == io::ErrorKind::AlreadyExists {
                    Ok(())
                } else {
                    Err(e)
                }
            })
            .map_err(io("creating the socket folder in"))?;
        if let Some(user) = &self.runner.run_as {
            for dir in [self.root.clone(), self.socket_dir()] {
                std::os::unix::fs::chown(&dir, Some(user.uid), Some(user.gid))
                    .map_err(LocalPgError::io(format!("chown {}", dir.display())))?;
            }
        }
        let mut cmd = self.runner.command("initdb");
        cmd.arg("-D")
            .arg(self.data())
            .args(["--no-locale", "-E", "UTF8", "-U", &settings.user]);
        let pwfile = self.root.join("pwfile");
        match &settings.password {
            Some(password) => {
                fs::write(&pwfile, password).map_err(io("writing the password file in"))?;
                if let Some(user) = &self.runner.run_as {
                    std::os::unix::fs::chown(&pwfile, Some(user.uid), Some(user.gid))
                        .map_err(LocalPgError::io(format!("chown {}", pwfile.display())))?;
                }
                cmd.arg("--auth=scram-sha-256")
                    .arg(format!("--pwfile={}", pwfile.display()));
            }
            None => {
                cmd.arg("--auth=trust");
            }
        }
        let result = self.runner.run("initdb", &mut cmd);
        let _ = fs::remove_file(&pwfile);
        result.map(drop).map_err(|e| match e {
            LocalPgError::CommandFailed { output, .. } if output.contains("Permission denied") => {
                LocalPgError::Project(format!(
                    "the server runs as the `postgres` user (PostgreSQL refuses root), and it cannot reach {}: make the folders above it traversable for it (chmod o+x), or set `[db] data_dir` to a folder it can reach",
                    self.root.display()
                ))
            }
            other => other,
        })
    }

    /// Stops the server (a clean, fast shutdown: the data is kept). False
    /// when it was not running.
    pub fn stop(&self) -> Result<bool, LocalPgError> {
        if !self.is_running() {
            return Ok(false);
        }
        let mut cmd = self.runner.command("pg_ctl");
        cmd.arg("-D")
            .arg(self.data())
            .args(["-m", "fast", "-w", "-t", "60", "stop"]);
        self.runner.run("pg_ctl stop", &mut cmd).map(|_| true)
    }

    /// Stops the server and deletes the data folder. False when there was none.
    pub fn remove(&self) -> Result<bool, LocalPgError> {
        self.stop()?;
        if !self.root.exists() {
            return Ok(false);
        }
        fs::remove_dir_all(&self.root).map_err(LocalPgError::io(format!(
            "removing {}",
            self.root.display()
        )))?;
        Ok(true)
    }

    /// The data folder's size in bytes.
    pub fn size(&self) -> u64 {
        fn walk(dir: &Path) -> u64 {
            fs::read_dir(dir)
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| match e.metadata() {
                    Ok(m) if m.is_dir() => walk(&e.path()),
                    Ok(m) => m.len(),
                    Err(_) => 0,
                })
                .sum()
        }
        walk(&self.root)
    }
}

/// Refuses a port another program listens on, before the server tries.
fn port_is_free(port: u16) -> Result<(), LocalPgError> {
    match TcpListener::bind((Ipv4Addr::LOCALHOST, port)) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AddrInUse => Err(LocalPgError::Project(format!(
            "port {port} on {HOST} is in use by another program (another PostgreSQL?): stop it, or put another port in DATABASE_URL"
        ))),
        Err(e) => Err(LocalPgError::io(format!("probing port {port}"))(e)),
    }
}
