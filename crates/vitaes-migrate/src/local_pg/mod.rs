//! Local PostgreSQL servers from the installed binaries: a throwaway
//! cluster (the tests, `check --shadow`) and the project's development
//! server (`vitaes-migrate db`).
//!
//! [`Cluster::start`] runs `initdb` into a fresh directory under `/tmp`,
//! starts a server on a free `127.0.0.1` port with durability switched off
//! (the data is disposable, so `fsync` & co. only cost time), and hands back a
//! handle that knows how to reach it. It backs the test harness
//! (`vitaes-test-support`) and `check --shadow`; [`ProjectCluster`] is the
//! project's own development server of `vitaes-migrate db`, on the same
//! binaries finder and runner.
//!
//! # Cleanup that survives crashes
//!
//! Test harnesses keep the cluster in a process-wide static, and Rust never
//! drops statics, so `Drop` alone cannot be relied on. Neither can it help
//! after a panic with `panic = "abort"`, a `SIGKILL`, or an OOM kill. So every
//! cluster gets a *guard*: a tiny `sh` child, in its own process group, that
//! blocks on `read` from a pipe whose write end only this process holds.
//! However this process ends, the kernel closes that write end, `read`
//! returns, and the guard runs `pg_ctl stop -m immediate` and deletes the
//! directory. Std opens pipes with `O_CLOEXEC`, so neither the server nor any
//! other child inherits the write end and keeps the guard waiting.
//!
//! # Running as root
//!
//! PostgreSQL refuses to run as root. When the current effective uid is 0
//! (typical in containers and CI), every PostgreSQL program, and the guard,
//! runs as the `postgres` system user instead, and the directory is chowned
//! to it.

mod project;

pub use project::{ProjectCluster, ServerSettings, Started};

use std::fs;
use std::io::{self, Read, Seek, SeekFrom};
use std::net::{Ipv4Addr, TcpListener};
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Output, Stdio};
use std::time::Duration;

/// The superuser created by `initdb -U`; also the name of the system user
/// PostgreSQL runs as when we are root.
pub const SUPERUSER: &str = "postgres";

/// The address the server listens on. Loopback only: the cluster trusts every
/// connection (`--auth=trust`), so it must never be reachable from outside.
pub const HOST: &str = "127.0.0.1";

/// Programs that must all live in the same directory: `pg_ctl` looks for
/// `postgres` next to itself, and we run `initdb` and `pg_ctl` from there.
const REQUIRED_PROGRAMS: [&str; 3] = ["initdb", "pg_ctl", "postgres"];

/// Where Debian/Ubuntu install versioned server binaries.
const DEBIAN_PG_LIB: &str = "/usr/lib/postgresql";

/// How many lines of a log or command output go into an error message.
const TAIL_LINES: usize = 30;

/// Environment variables that could redirect a PostgreSQL program to another
/// cluster or change its behaviour; removed from every command we run.
const SCRUBBED_ENV: [&str; 8] = [
    "PGDATA",
    "PGHOST",
    "PGHOSTADDR",
    "PGPORT",
    "PGUSER",
    "PGDATABASE",
    "PGOPTIONS",
    "PGPASSWORD",
];

/// Everything that can go wrong while finding, starting or stopping a cluster.
#[derive(Debug, thiserror::Error)]
pub enum LocalPgError {
    /// No directory with `initdb`, `pg_ctl` and `postgres` was found.
    #[error(
        "PostgreSQL server programs (initdb, pg_ctl, postgres) not found.\n\
         Looked in:\n  - {}\n\
         Install the server (e.g. `apt-get install postgresql`) or set PG_BINDIR \
         to the directory that contains initdb and pg_ctl.",
        looked.join("\n  - ")
    )]
    BinariesNotFound {
        /// One line per place looked at, saying what was found there.
        looked: Vec<String>,
    },

    /// We are root, so PostgreSQL must run as `postgres`, but that user is missing.
    #[error(
        "running as root, and PostgreSQL refuses to run as root, but there is no \
         `{SUPERUSER}` user in /etc/passwd to run it as; create one \
         (e.g. `useradd --system {SUPERUSER}`) or run as a non-root user"
    )]
    NoPostgresUser,

    /// A program could not be launched at all.
    #[error("could not run {program}: {source}")]
    Spawn {
        /// The program path.
        program: String,
        /// The OS error.
        #[source]
        source: io::Error,
    },

    /// A program ran but reported failure.
    #[error("{step} failed ({status}); last output:\n{output}")]
    CommandFailed {
        /// What we were doing, e.g. `initdb`.
        step: &'static str,
        /// The exit status as text.
        status: String,
        /// The tail of its stdout/stderr (and of the server log, for `pg_ctl start`).
        output: String,
    },

    /// The server did not come up on any of the ports tried.
    #[error("PostgreSQL did not start after {attempts} attempt(s) (ports {ports:?}); server log tail:\n{log_tail}")]
    StartFailed {
        /// How many ports were tried.
        attempts: u32,
        /// The ports that were tried.
        ports: Vec<u16>,
        /// The tail of the server log from the last attempt.
        log_tail: String,
    },

    /// The project's development server cannot start as asked (a busy port,
    /// data of another version, a folder the server cannot reach); says what
    /// to do.
    #[error("{0}")]
    Project(String),

    /// A filesystem or socket operation failed.
    #[error("{context}: {source}")]
    Io {
        /// What we were doing.
        context: String,
        /// The OS error.
        #[source]
        source: io::Error,
    },
}

impl LocalPgError {
    fn io(context: impl Into<String>) -> impl FnOnce(io::Error) -> Self {
        let context = context.into();
        move |source| Self::Io { context, source }
    }
}

/// How to start a [`Cluster`]. `ClusterOptions::default()` is what tests want.
#[derive(Debug, Clone)]
pub struct ClusterOptions {
    /// Directory with `initdb`/`pg_ctl`/`postgres`; `None` means [`find_bindir`].
    pub bindir: Option<PathBuf>,
    /// `max_connections`; tests running in parallel each hold a few.
    pub max_connections: u32,
    /// Extra `-c name=value` server settings, applied after the defaults.
    pub settings: Vec<(String, String)>,
    /// How long `pg_ctl start -w` may wait for the server to accept connections.
    pub start_timeout: Duration,
    /// How many free ports to try: another process can grab the port we
    /// picked between probing it and the server binding it.
    pub port_attempts: u32,
}

impl Default for ClusterOptions {
    fn default() -> Self {
        Self {
            bindir: None,
            max_connections: 200,
            settings: Vec::new(),
            start_timeout: Duration::from_secs(60),
            port_attempts: 5,
        }
    }
}

/// Finds the directory holding `initdb`, `pg_ctl` and `postgres`.
///
/// Looks, in order, at: `$PG_BINDIR` (if set, it must be right: an explicit
/// setting is never silently overridden); the directory `initdb` on `PATH`
/// resolves to (symlinks followed, since e.g. `/usr/local/bin/initdb` may
/// point into `/usr/lib/postgresql/15/bin`); `pg_config --bindir`; and the
/// highest version in `/usr/lib/postgresql/*/bin`.
pub fn find_bindir() -> Result<PathBuf, LocalPgError> {
    let mut looked = Vec::new();
    if let Some(dir) = std::env::var_os("PG_BINDIR").filter(|v| !v.is_empty()) {
        let dir = PathBuf::from(dir);
        return check_bindir(&dir).map(|()| dir.clone()).map_err(|why| {
            looked.push(format!("PG_BINDIR={}: {why}", dir.display()));
            LocalPgError::BinariesNotFound { looked }
        });
    }
    looked.push("PG_BINDIR: not set".to_owned());
    let finders: [BindirFinder; 3] = [
        bindir_from_path,
        bindir_from_pg_config,
        bindir_from_debian_layout,
    ];
    for finder in finders {
        if let Some(dir) = finder(&mut looked) {
            return Ok(dir);
        }
    }
    Err(LocalPgError::BinariesNotFound { looked })
}

/// One way of finding the bindir; notes in the `Vec` what it looked at.
type BindirFinder = fn(&mut Vec<String>) -> Option<PathBuf>;

/// `Ok` if `dir` holds every program in [`REQUIRED_PROGRAMS`], else which one is missing.
fn check_bindir(dir: &Path) -> Result<(), String> {
    match REQUIRED_PROGRAMS
        .iter()
        .find(|p| !is_executable(&dir.join(p)))
    {
        None => Ok(()),
        Some(missing) => Err(format!("no executable `{missing}` there")),
    }
}

fn is_executable(path: &Path) -> bool {
    fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// The resolved directory of the first `initdb` on `PATH` that has its siblings.
fn bindir_from_path(looked: &mut Vec<String>) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut found_any = false;
    for dir in std::env::split_paths(&path) {
        let initdb = dir.join("initdb");
        if !is_executable(&initdb) {
            continue;
        }
        found_any = true;
        let Some(real_dir) = fs::canonicalize(&initdb)
            .ok()
            .and_then(|p| p.parent().map(Path::to_path_buf))
        else {
            looked.push(format!("PATH: {} could not be resolved", initdb.display()));
            continue;
        };
        match check_bindir(&real_dir) {
            Ok(()) => return Some(real_dir),
            Err(why) => looked.push(format!(
                "PATH: {} resolves into {}, {why}",
                initdb.display(),
                real_dir.display()
            )),
        }
    }
    if !found_any {
        looked.push("PATH: no initdb".to_owned());
    }
    None
}

/// `pg_config --bindir`, if `pg_config` runs and that directory is complete.
fn bindir_from_pg_config(looked: &mut Vec<String>) -> Option<PathBuf> {
    let output = Command::new("pg_config")
        .arg("--bindir")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output();
    let dir = match output {
        Ok(out) if out.status.success() => {
            PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
        }
        Ok(out) => {
            looked.push(format!("pg_config --bindir: failed ({})", out.status));
            return None;
        }
        Err(e) => {
            looked.push(format!("pg_config --bindir: could not run pg_config ({e})"));
            return None;
        }
    };
    match check_bindir(&dir) {
        Ok(()) => Some(dir),
        Err(why) => {
            looked.push(format!("pg_config --bindir: {}, {why}", dir.display()));
            None
        }
    }
}

/// The highest-versioned complete `/usr/lib/postgresql/<version>/bin`.
fn bindir_from_debian_layout(looked: &mut Vec<String>) -> Option<PathBuf> {
    let mut versions: Vec<(Vec<u32>, PathBuf)> = fs::read_dir(DEBIAN_PG_LIB)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = parse_version(&entry.file_name().to_string_lossy())?;
            Some((version, entry.path().join("bin")))
        })
        .collect();
    versions.sort();
    match versions
        .into_iter()
        .rev()
        .find(|(_, d)| check_bindir(d).is_ok())
    {
        Some((_, dir)) => Some(dir),
        None => {
            looked.push(format!(
                "{DEBIAN_PG_LIB}/*/bin: none with initdb and pg_ctl"
            ));
            None
        }
    }
}

/// `"15"` -> `[15]`, `"9.6"` -> `[9, 6]`; anything else is not a version directory.
fn parse_version(name: &str) -> Option<Vec<u32>> {
    name.split('.').map(|part| part.parse().ok()).collect()
}

/// A system user that PostgreSQL programs are run as when we are root.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RunAs {
    uid: u32,
    gid: u32,
    home: PathBuf,
}

/// `Some(postgres user)` when running as root, `None` when we can run things ourselves.
fn run_as_for_current_user() -> Result<Option<RunAs>, LocalPgError> {
    if effective_uid()? != 0 {
        return Ok(None);
    }
    let passwd =
        fs::read_to_string("/etc/passwd").map_err(LocalPgError::io("reading /etc/passwd"))?;
    parse_passwd_user(&passwd, SUPERUSER)
        .map(Some)
        .ok_or(LocalPgError::NoPostgresUser)
}

/// The effective uid, from `/proc/self/status` (Linux) or `id -u` elsewhere;
/// avoids a dependency on `libc` just for `geteuid()`.
fn effective_uid() -> Result<u32, LocalPgError> {
    if let Ok(status) = fs::read_to_string("/proc/self/status") {
        if let Some(uid) = parse_status_euid(&status) {
            return Ok(uid);
        }
    }
    let out = Command::new("id")
        .arg("-u")
        .stdin(Stdio::null())
        .output()
        .map_err(|source| LocalPgError::Spawn {
            program: "id".to_owned(),
            source,
        })?;
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .map_err(|_| LocalPgError::Io {
            context: "determining the effective uid".to_owned(),
            source: io::Error::other("neither /proc/self/status nor `id -u` gave a uid"),
        })
}

/// The effective uid from the `Uid:` line (real, effective, saved, fs).
fn parse_status_euid(status: &str) -> Option<u32> {
    let line = status.lines().find(|l| l.starts_with("Uid:"))?;
    line.split_whitespace().nth(2)?.parse().ok()
}

/// Finds `name` in `/etc/passwd` content (`name:x:uid:gid:gecos:home:shell`).
fn parse_passwd_user(passwd: &str, name: &str) -> Option<RunAs> {
    passwd.lines().find_map(|line| {
        let fields: Vec<&str> = line.split(':').collect();
        if fields.len() < 6 || fields[0] != name {
            return None;
        }
        Some(RunAs {
            uid: fields[2].parse().ok()?,
            gid: fields[3].parse().ok()?,
            home: PathBuf::from(fields[5]),
        })
    })
}

/// Directory layout of one cluster. The root is short (`/tmp/vpg-XXXXXXXX`)
/// because a unix socket path must fit in 107 bytes and the socket lives in
/// `<root>/sock/.s.PGSQL.<port>`.
#[derive(Debug, Clone)]
struct Layout {
    root: PathBuf,
}

impl Layout {
    fn data(&self) -> PathBuf {
        self.root.join("data")
    }
    fn socket_dir(&self) -> PathBuf {
        self.root.join("sock")
    }
    fn log_file(&self) -> PathBuf {
        self.root.join("server.log")
    }

    /// Creates a fresh, private `/tmp/vpg-XXXXXXXX` with an empty `sock/`, owned by `run_as`.
    fn create(run_as: Option<&RunAs>) -> Result<Self, LocalPgError> {
        let root = create_unique_dir(Path::new("/tmp"), "vpg-")?;
        let layout = Self { root };
        let socket_dir = layout.socket_dir();
        fs::DirBuilder::new()
            .mode(0o700)
            .create(&socket_dir)
            .map_err(LocalPgError::io(format!(
                "creating {}",
                socket_dir.display()
            )))?;
        if let Some(user) = run_as {
            for dir in [&layout.root, &socket_dir] {
                std::os::unix::fs::chown(dir, Some(user.uid), Some(user.gid))
                    .map_err(LocalPgError::io(format!("chown {}", dir.display())))?;
            }
        }
        Ok(layout)
    }
}

/// Creates `<parent>/<prefix><8 random chars>` with mode 0700, retrying on collisions.
fn create_unique_dir(parent: &Path, prefix: &str) -> Result<PathBuf, LocalPgError> {
    let mut last_err = None;
    for _ in 0..16 {
        let suffix = uuid::Uuid::new_v4().simple().to_string();
        let dir = parent.join(format!("{prefix}{}", &suffix[..8]));
        match fs::DirBuilder::new().mode(0o700).create(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last_err = Some(e),
            Err(e) => return Err(LocalPgError::io(format!("creating {}", dir.display()))(e)),
        }
    }
    let source = last_err.unwrap_or_else(|| io::Error::other("no attempt made"));
    Err(LocalPgError::io(format!(
        "creating a unique directory in {}",
        parent.display()
    ))(source))
}

/// Builds commands for PostgreSQL programs: right binary, clean environment,
/// right user.
#[derive(Debug, Clone)]
struct Runner {
    bindir: PathBuf,
    run_as: Option<RunAs>,
    cwd: PathBuf,
}

impl Runner {
    /// A command for `program` in the bindir, run from the cluster directory
    /// (the `postgres` user may not be able to enter our working directory).
    fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(self.bindir.join(program));
        self.configure(&mut cmd);
        cmd
    }

    fn configure(&self, cmd: &mut Command) {
        cmd.current_dir(&self.cwd)
            .stdin(Stdio::null())
            .env("LC_ALL", "C");
        for var in SCRUBBED_ENV {
            cmd.env_remove(var);
        }
        if let Some(user) = &self.run_as {
            // std drops supplementary groups itself when switching away from root.
            cmd.uid(user.uid)
                .gid(user.gid)
                .env("HOME", &user.home)
                .env("USER", SUPERUSER)
                .env("LOGNAME", SUPERUSER);
        }
    }

    /// Runs `cmd` to completion, failing with its output's tail on a non-zero exit.
    fn run(&self, step: &'static str, cmd: &mut Command) -> Result<Output, LocalPgError> {
        let output = cmd.output().map_err(|source| LocalPgError::Spawn {
            program: format!("{:?}", cmd.get_program()),
            source,
        })?;
        if output.status.success() {
            return Ok(output);
        }
        Err(LocalPgError::CommandFailed {
            step,
            status: output.status.to_string(),
            output: output_tail(&output),
        })
    }
}

/// The last lines of a command's stdout followed by its stderr.
fn output_tail(output: &Output) -> String {
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    tail(&text, TAIL_LINES)
}

/// The last `n` lines of `text`.
fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// The cleanup child described in the module docs. Holding `pipe` keeps it
/// waiting; closing it (drop, or process death) makes it stop the server and
/// delete the directory.
#[derive(Debug)]
struct Guard {
    child: Child,
    pipe: Option<ChildStdin>,
}

/// The guard's script. `$1` = pg_ctl path, `$2` = cluster root (named at
/// the top: inside a shell function `$1`/`$2` would be the function's own).
///
/// INT/HUP/QUIT are ignored so a terminal Ctrl-C or hang-up cannot kill the
/// guard before it has cleaned up; it still exits on TERM/KILL. If the
/// directory is already gone, [`Cluster::stop`] did the work. If the first
/// stop finds no server, we may have died while `pg_ctl start` was launching
/// it, before `postmaster.pid` existed: try once more a second later.
const GUARD_SCRIPT: &str = r#"pg_ctl=$1 root=$2
trap '' INT HUP QUIT
read _ignored
[ -d "$root" ] || exit 0
stop_pg() { "$pg_ctl" -D "$root/data" -m immediate -w -t 30 stop >/dev/null 2>&1; }
stop_pg || { sleep 1; stop_pg; }
rm -rf "$root"
"#;

impl Guard {
    /// Spawns the guard for `layout`, running as the same user as PostgreSQL
    /// (which owns, and so can delete, the whole directory), in its own
    /// process group so signals sent to our group do not reach it.
    fn spawn(runner: &Runner, layout: &Layout) -> Result<Self, LocalPgError> {
        let mut cmd = Command::new("/bin/sh");
        runner.configure(&mut cmd);
        cmd.arg("-c")
            .arg(GUARD_SCRIPT)
            .arg("vitaes-pg-guard")
            .arg(runner.bindir.join("pg_ctl"))
            .arg(&layout.root)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0);
        let mut child = cmd.spawn().map_err(|source| LocalPgError::Spawn {
            program: "/bin/sh (cluster guard)".to_owned(),
            source,
        })?;
        let pipe = child.stdin.take();
        Ok(Self { child, pipe })
    }

    /// Lets the guard clean up now and waits until it has.
    fn release(&mut self) {
        drop(self.pipe.take());
        let _ = self.child.wait();
    }
}

/// A running throwaway PostgreSQL cluster.
///
/// Dropping it (or calling [`Cluster::stop`]) stops the server and deletes its
/// directory; if the process dies without either, the guard process does it.
#[derive(Debug)]
pub struct Cluster {
    layout: Layout,
    runner: Runner,
    port: u16,
    major_version: String,
    guard: Option<Guard>,
}

impl Cluster {
    /// Initializes and starts a new cluster. Blocking (it runs `initdb` and
    /// `pg_ctl`; 0.5–2 s, nearly all of it initdb); call it from a plain thread or
    /// `spawn_blocking`, not directly on an async executor thread.
    pub fn start(opts: ClusterOptions) -> Result<Self, LocalPgError> {
        let bindir = match opts.bindir.clone() {
            Some(dir) => dir,
            None => find_bindir()?,
        };
        let run_as = run_as_for_current_user()?;
        let layout = Layout::create(run_as.as_ref())?;
        let runner = Runner {
            bindir,
            run_as,
            cwd: layout.root.clone(),
        };
        // From here on the guard owns cleanup, even if we are killed mid-start.
        let guard = Guard::spawn(&runner, &layout).inspect_err(|_| {
            let _ = fs::remove_dir_all(&layout.root);
        })?;
        let mut cluster = Self {
            layout,
            runner,
            port: 0,
            major_version: String::new(),
            guard: Some(guard),
        };
        cluster.init()?;
        cluster.launch(&opts)?;
        Ok(cluster)
    }

    /// Runs `initdb`. Trust auth is fine: the server only listens on loopback
    /// and a socket in a private directory.
    fn init(&mut self) -> Result<(), LocalPgError> {
        let mut cmd = self.runner.command("initdb");
        cmd.arg("-D")
            .arg(self.layout.data())
            .args(["--no-locale", "-E", "UTF8", "-U", SUPERUSER])
            .args(["--auth=trust", "--no-sync"]);
        self.runner.run("initdb", &mut cmd)?;
        let version_file = self.layout.data().join("PG_VERSION");
        self.major_version = fs::read_to_string(&version_file)
            .map_err(LocalPgError::io(format!(
                "reading {}",
                version_file.display()
            )))?
            .trim()
            .to_owned();
        Ok(())
    }

    /// Starts the server on a free port, trying new ports while the failure
    /// is "address already in use".
    fn launch(&mut self, opts: &ClusterOptions) -> Result<(), LocalPgError> {
        let attempts = opts.port_attempts.max(1);
        let mut ports = Vec::new();
        let mut log_tail = String::new();
        for _ in 0..attempts {
            let port = free_port()?;
            ports.push(port);
            let log_start = file_len(&self.layout.log_file());
            match self.pg_ctl_start(port, opts) {
                Ok(()) => {
                    self.port = port;
                    return Ok(());
                }
                Err(err) => {
                    log_tail = self.log_tail_since(log_start);
                    if !is_port_conflict(&log_tail) {
                        return Err(with_log(err, &log_tail));
                    }
                }
            }
        }
        Err(LocalPgError::StartFailed {
            attempts,
            ports,
            log_tail,
        })
    }

    fn pg_ctl_start(&self, port: u16, opts: &ClusterOptions) -> Result<(), LocalPgError> {
        let mut cmd = self.runner.command("pg_ctl");
        cmd.arg("-D")
            .arg(self.layout.data())
            .arg("-l")
            .arg(self.layout.log_file())
            .args(["-w", "-t"])
            .arg(opts.start_timeout.as_secs().max(1).to_string())
            .arg("-o")
            .arg(self.server_options(port, opts))
            .arg("start");
        self.runner.run("pg_ctl start", &mut cmd).map(drop)
    }

    /// The `-o` string for `pg_ctl`: `-c name=value` pairs, each shell-quoted
    /// because pg_ctl runs the server through `/bin/sh`.
    fn server_options(&self, port: u16, opts: &ClusterOptions) -> String {
        let socket_dir = self.layout.socket_dir().display().to_string();
        let defaults = [
            // Disposable data: durability only costs time.
            ("fsync", "off".to_owned()),
            ("synchronous_commit", "off".to_owned()),
            ("full_page_writes", "off".to_owned()),
            ("wal_level", "minimal".to_owned()),
            ("max_wal_senders", "0".to_owned()),
            ("listen_addresses", HOST.to_owned()),
            ("port", port.to_string()),
            ("unix_socket_directories", socket_dir),
            ("max_connections", opts.max_connections.to_string()),
        ];
        let extra = opts.settings.iter().map(|(k, v)| (k.as_str(), v.clone()));
        defaults
            .into_iter()
            .chain(extra)
            .map(|(name, value)| format!("-c {}", shell_quote(&format!("{name}={value}"))))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Server log written since byte `start`, last lines only.
    fn log_tail_since(&self, start: u64) -> String {
        let mut text = String::new();
        let read = fs::File::open(self.layout.log_file()).and_then(|mut f| {
            f.seek(SeekFrom::Start(start))?;
            f.read_to_string(&mut text)
        });
        match read {
            Ok(_) => tail(&text, TAIL_LINES),
            Err(e) => format!("(could not read server log: {e})"),
        }
    }

    /// The TCP port the server listens on (on [`HOST`]).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The address the server listens on: always `127.0.0.1`.
    pub fn host(&self) -> &'static str {
        HOST
    }

    /// The superuser name (no password needed: trust auth).
    pub fn user(&self) -> &'static str {
        SUPERUSER
    }

    /// A connection URL, e.g. `postgresql://postgres@127.0.0.1:PORT/dbname`,
    /// usable by `tokio_postgres`, `psql`, node's `pg` and friends.
    pub fn url(&self, dbname: &str) -> String {
        format!(
            "postgresql://{SUPERUSER}@{HOST}:{}/{}",
            self.port,
            percent_encode(dbname)
        )
    }

    /// The server's major version as written by `initdb`, e.g. `"15"`.
    pub fn server_major_version(&self) -> &str {
        &self.major_version
    }

    /// The directory of the PostgreSQL programs used.
    pub fn bindir(&self) -> &Path {
        &self.runner.bindir
    }

    /// The cluster's root directory (`/tmp/vpg-XXXXXXXX`), deleted on stop.
    pub fn root_dir(&self) -> &Path {
        &self.layout.root
    }

    /// The data directory (`<root>/data`).
    pub fn data_dir(&self) -> PathBuf {
        self.layout.data()
    }

    /// The unix socket directory (`<root>/sock`).
    pub fn socket_dir(&self) -> PathBuf {
        self.layout.socket_dir()
    }

    /// The server log file (`<root>/server.log`).
    pub fn log_file(&self) -> PathBuf {
        self.layout.log_file()
    }

    /// Stops the server (`pg_ctl stop -m immediate`: the data is thrown away,
    /// so a clean shutdown checkpoint is wasted time) and deletes the directory.
    pub fn stop(mut self) -> Result<(), LocalPgError> {
        self.shutdown()
    }

    fn shutdown(&mut self) -> Result<(), LocalPgError> {
        let Some(mut guard) = self.guard.take() else {
            return Ok(());
        };
        let stopped = if self.layout.data().join("postmaster.pid").exists() {
            let mut cmd = self.runner.command("pg_ctl");
            cmd.arg("-D")
                .arg(self.layout.data())
                .args(["-m", "immediate", "-w", "stop"]);
            self.runner.run("pg_ctl stop", &mut cmd).map(drop)
        } else {
            Ok(()) // never started, or already gone
        };
        let removed = fs::remove_dir_all(&self.layout.root).map_err(LocalPgError::io(format!(
            "removing {}",
            self.layout.root.display()
        )));
        // Nothing left for the guard to do; let it exit so it is not left a zombie.
        guard.release();
        stopped.and(removed)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if let Err(err) = self.shutdown() {
            eprintln!("vitaes-migrate: stopping local PostgreSQL cluster: {err}");
        }
    }
}

/// A port on 127.0.0.1 that was free a moment ago (bind to port 0, read it back).
fn free_port() -> Result<u16, LocalPgError> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .map_err(LocalPgError::io("finding a free port on 127.0.0.1"))?;
    let port = listener
        .local_addr()
        .map_err(LocalPgError::io("reading the probed port"))?
        .port();
    Ok(port)
}

fn file_len(path: &Path) -> u64 {
    fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

/// Whether a failed start's log says someone else took the port.
fn is_port_conflict(log: &str) -> bool {
    log.contains("Address already in use") || log.contains("could not create any TCP/IP sockets")
}

/// Appends the server log to a failed `pg_ctl start` error, where the real reason is.
fn with_log(err: LocalPgError, log_tail: &str) -> LocalPgError {
    match err {
        LocalPgError::CommandFailed {
            step,
            status,
            output,
        } => LocalPgError::CommandFailed {
            step,
            status,
            output: format!("{output}\n--- server log ---\n{log_tail}"),
        },
        other => other,
    }
}

/// Single-quotes `s` for `/bin/sh`.
fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for byte in s.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::BufRead;
    use std::time::Instant;

    /// Env var that turns `kill9_helper_child` into the victim process.
    const KILL9_ENV: &str = "VITAES_LOCAL_PG_KILL9_CHILD";

    fn start() -> Cluster {
        let t = Instant::now();
        let cluster = Cluster::start(ClusterOptions::default())
            .unwrap_or_else(|e| panic!("could not start a local PostgreSQL cluster: {e}"));
        eprintln!(
            "cluster {} on port {} started in {:?}",
            cluster.root_dir().display(),
            cluster.port(),
            t.elapsed()
        );
        cluster
    }

    fn port_accepts(port: u16) -> bool {
        std::net::TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_ok()
    }

    fn wait_until(timeout: Duration, mut cond: impl FnMut() -> bool) -> bool {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if cond() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        cond()
    }

    #[test]
    fn parses_versions_passwd_and_status() {
        assert_eq!(parse_version("15"), Some(vec![15]));
        assert_eq!(parse_version("9.6"), Some(vec![9, 6]));
        assert_eq!(parse_version("common"), None);
        let passwd = "root:x:0:0:root:/root:/bin/bash\n\
                      postgres:x:101:104:PostgreSQL administrator,,,:/var/lib/postgresql:/bin/bash\n";
        assert_eq!(
            parse_passwd_user(passwd, "postgres"),
            Some(RunAs {
                uid: 101,
                gid: 104,
                home: PathBuf::from("/var/lib/postgresql")
            })
        );
        assert_eq!(parse_passwd_user(passwd, "nobody"), None);
        let status = "Name:\tx\nUid:\t1000\t0\t0\t0\nGid:\t0\t0\t0\t0\n";
        assert_eq!(parse_status_euid(status), Some(0));
    }

    #[test]
    fn quotes_and_encodes() {
        assert_eq!(shell_quote("a=b"), "'a=b'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(percent_encode("db_1-x"), "db_1-x");
        assert_eq!(percent_encode("a b/é"), "a%20b%2F%C3%A9");
    }

    #[test]
    fn bad_pg_bindir_is_reported() {
        // Exercises the error text without touching the process environment.
        let err = LocalPgError::BinariesNotFound {
            looked: vec!["PG_BINDIR=/nope: no executable `initdb` there".into()],
        };
        let text = err.to_string();
        assert!(text.contains("/nope") && text.contains("apt-get install postgresql"));
        assert!(check_bindir(Path::new("/nonexistent")).is_err());
    }

    #[test]
    fn finds_bindir_on_this_machine() {
        let dir = find_bindir().unwrap_or_else(|e| panic!("{e}"));
        assert!(check_bindir(&dir).is_ok(), "{}", dir.display());
    }

    #[tokio::test]
    async fn starts_serves_and_stops() {
        let cluster = tokio::task::spawn_blocking(start)
            .await
            .expect("start task");
        assert!(cluster
            .socket_dir()
            .join(format!(".s.PGSQL.{}", cluster.port()))
            .exists());
        let (client, conn) =
            tokio_postgres::connect(&cluster.url("postgres"), tokio_postgres::NoTls)
                .await
                .expect("connect to the local cluster");
        let conn = tokio::spawn(conn);
        let row = client
            .query_one("SHOW server_version_num", &[])
            .await
            .expect("query");
        let version: String = row.get(0);
        assert!(
            version.starts_with(cluster.server_major_version()),
            "{version}"
        );
        let fsync: String = client
            .query_one("SHOW fsync", &[])
            .await
            .expect("query")
            .get(0);
        assert_eq!(fsync, "off");
        drop(client);
        let _ = conn.await;

        #[cfg(target_os = "linux")]
        assert_postmaster_lacks_guard_pipe(&cluster);

        let (root, port) = (cluster.root_dir().to_path_buf(), cluster.port());
        tokio::task::spawn_blocking(move || cluster.stop())
            .await
            .expect("stop task")
            .expect("stop");
        assert!(!root.exists(), "{} still exists", root.display());
        assert!(!port_accepts(port), "port {port} still accepts connections");
    }

    /// The postmaster (started via pg_ctl) must not hold the guard pipe's
    /// write end, or the guard would never see EOF while the server runs.
    #[cfg(target_os = "linux")]
    fn assert_postmaster_lacks_guard_pipe(cluster: &Cluster) {
        use std::os::fd::AsRawFd;
        let pipe = cluster
            .guard
            .as_ref()
            .and_then(|g| g.pipe.as_ref())
            .expect("guard pipe");
        let ours = fs::read_link(format!("/proc/self/fd/{}", pipe.as_raw_fd())).expect("our fd");
        assert!(
            ours.to_string_lossy().starts_with("pipe:"),
            "{}",
            ours.display()
        );
        let pid_file =
            fs::read_to_string(cluster.data_dir().join("postmaster.pid")).expect("pid file");
        let pid = pid_file.lines().next().expect("pid line").trim();
        let fds = fs::read_dir(format!("/proc/{pid}/fd")).expect("postmaster fds");
        let links: Vec<PathBuf> = fds
            .flatten()
            .filter_map(|e| fs::read_link(e.path()).ok())
            .collect();
        assert!(!links.is_empty());
        assert!(
            !links.contains(&ours),
            "postmaster {pid} inherited the guard pipe {}",
            ours.display()
        );
    }

    #[test]
    fn drop_cleans_up() {
        let cluster = start();
        let (root, port) = (cluster.root_dir().to_path_buf(), cluster.port());
        drop(cluster);
        assert!(!root.exists(), "{} still exists", root.display());
        assert!(!port_accepts(port));
    }

    /// Not a test on its own: the victim process for `guard_cleans_up_after_kill_9`.
    /// Starts a cluster, reports where, then waits to be killed.
    #[test]
    fn kill9_helper_child() {
        if std::env::var_os(KILL9_ENV).is_none() {
            return;
        }
        let cluster = start();
        // Leading newline: libtest has already printed "test <name> ... ".
        println!(
            "\nCLUSTER {} {}",
            cluster.port(),
            cluster.root_dir().display()
        );
        std::thread::sleep(Duration::from_secs(60));
        drop(cluster);
    }

    /// Starts a cluster in a child process (this test binary running only
    /// `kill9_helper_child`), SIGKILLs it, and checks the guard stopped the
    /// server and removed the directory.
    #[test]
    fn guard_cleans_up_after_kill_9() {
        let exe = std::env::current_exe().expect("current exe");
        let mut child = Command::new(exe)
            .args([
                "--exact",
                "local_pg::tests::kill9_helper_child",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(KILL9_ENV, "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn helper");
        let stdout = child.stdout.take().expect("helper stdout");
        let reported = io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .find_map(|l| l.strip_prefix("CLUSTER ").map(str::to_owned));
        let Some(line) = reported else {
            let _ = child.kill();
            panic!("helper exited without reporting its cluster");
        };
        let mut parts = line.split_whitespace();
        let port: u16 = parts.next().and_then(|p| p.parse().ok()).expect("port");
        let root = PathBuf::from(parts.next().expect("root"));
        assert!(root.exists() && port_accepts(port));
        #[cfg(target_os = "linux")]
        assert!(!live_processes_mentioning(&root).is_empty());

        child.kill().expect("SIGKILL helper");
        child.wait().expect("reap helper");
        let t = Instant::now();
        let cleaned = wait_until(Duration::from_secs(10), || {
            !root.exists() && !port_accepts(port) && live_processes_mentioning(&root).is_empty()
        });
        eprintln!("guard cleaned up {} in {:?}", root.display(), t.elapsed());
        assert!(
            cleaned,
            "after kill -9: dir exists={}, port {port} open={}, processes={:?}",
            root.exists(),
            port_accepts(port),
            live_processes_mentioning(&root)
        );
    }

    /// Pids whose command line mentions `root` (the postmaster has
    /// `-D <root>/data`, the guard has `<root>`). Zombies have an empty
    /// command line, so only live processes count. Empty off Linux.
    fn live_processes_mentioning(root: &Path) -> Vec<String> {
        let needle = root.to_string_lossy().into_owned();
        let Ok(entries) = fs::read_dir("/proc") else {
            return Vec::new();
        };
        entries
            .flatten()
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .bytes()
                    .all(|b| b.is_ascii_digit())
            })
            .filter(|e| {
                fs::read(e.path().join("cmdline"))
                    .is_ok_and(|c| String::from_utf8_lossy(&c).contains(&needle))
            })
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect()
    }
}
