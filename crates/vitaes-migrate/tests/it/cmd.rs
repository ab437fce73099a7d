//! The `vitaes-migrate` binary as the migrate/status/check/drop tests run it,
//! and hand-made migrations folders for them.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use vitaes_schema_core::journal::{Journal, JournalEntry};

/// The binary in `cwd`, without `DATABASE_URL` (a developer's real database)
/// and without a stdin (so nothing waits for a terminal).
pub fn command(cwd: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vitaes-migrate"));
    cmd.current_dir(cwd)
        .env_remove("DATABASE_URL")
        .stdin(Stdio::null());
    cmd
}

/// The binary with `args`, run off the async runtime.
pub async fn run_async(cwd: &Path, args: &[&str]) -> Output {
    let cwd = cwd.to_path_buf();
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    tokio::task::spawn_blocking(move || command(&cwd).args(&args).output().unwrap())
        .await
        .unwrap()
}

/// Exit status, stdout and stderr, for assertion messages and `contains`.
pub fn text(o: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A migrations folder of `(tag, when, sql)` in journal order (no snapshots).
pub fn write_folder(dir: &Path, migrations: &[(&str, i64, &str)]) {
    std::fs::create_dir_all(dir.join("meta")).unwrap();
    let journal = Journal {
        entries: migrations
            .iter()
            .enumerate()
            .map(|(i, (tag, when, _))| JournalEntry {
                idx: i as u32,
                version: "7".into(),
                when: *when as u64,
                tag: tag.to_string(),
                breakpoints: true,
            })
            .collect(),
        ..Journal::default()
    };
    std::fs::write(dir.join("meta/_journal.json"), journal.to_json()).unwrap();
    for (tag, _, sql) in migrations {
        std::fs::write(dir.join(format!("{tag}.sql")), sql).unwrap();
    }
}

/// Every file under `dir` with its bytes, sorted (temporary files included,
/// so one left behind is a difference).
pub fn listing(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                out.push((p.clone(), Vec::new()));
                stack.push(p);
            } else {
                out.push((p.clone(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}
