//! Faults while writing: a generate that fails part-way leaves the
//! migrations folder byte-identical to before.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::cmd::{command, listing, text};

const V1: &str = "use vitaes_schema::Table;\n\n#[derive(Table)]\npub struct Note {\n    #[column(primary_key)]\n    pub id: i64,\n    pub body: String,\n}\n";

/// A small tmpfs (the tests run as root here) or, for anyone else, a
/// folder whose `meta/` is read-only: where the next write fails.
enum Trap {
    Tmpfs(PathBuf),
    ReadOnly(PathBuf),
}

impl Drop for Trap {
    fn drop(&mut self) {
        match self {
            Trap::Tmpfs(dir) => {
                let _ = Command::new("umount").arg(&*dir).status();
            }
            Trap::ReadOnly(meta) => {
                use std::os::unix::fs::PermissionsExt;
                let _ = std::fs::set_permissions(meta, std::fs::Permissions::from_mode(0o755));
            }
        }
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// Fills the tmpfs at `dir` but for `keep` bytes.
fn fill(dir: &Path, keep: u64) {
    use std::io::Write;
    let filler = dir.join("filler");
    let mut f = std::fs::File::create(&filler).unwrap();
    let chunk = vec![0u8; 4096];
    while f.write_all(&chunk).is_ok() {}
    drop(f);
    let len = std::fs::metadata(&filler).unwrap().len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&filler)
        .unwrap()
        .set_len(len.saturating_sub(keep))
        .unwrap();
}

#[test]
fn a_generate_that_cannot_finish_leaves_the_folder_as_it_was() {
    let project = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(project.path().join("schema")).unwrap();
    std::fs::write(project.path().join("schema/note.rs"), V1).unwrap();
    let root = project.path().join("space");
    std::fs::create_dir_all(&root).unwrap();
    let out = root.join("drizzle");
    let generate = |args: &[&str]| {
        command(project.path())
            .args(["generate", "--schema", "schema", "--out"])
            .arg(&out)
            .args(args)
            .output()
            .unwrap()
    };

    let trap = if is_root() {
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=1m", "tmpfs"])
            .arg(&root)
            .status()
            .unwrap();
        assert!(
            mounted.success(),
            "running as root, but a tmpfs could not be mounted at {} to fill",
            root.display()
        );
        Trap::Tmpfs(root.clone())
    } else {
        Trap::ReadOnly(out.join("meta"))
    };
    let first = generate(&[]);
    assert_eq!(first.status.code(), Some(0), "{}", text(&first));

    // The next migration's SQL fits; its snapshot does not (or meta/ is read-only).
    std::fs::write(
        project.path().join("schema/note.rs"),
        V1.replace(
            "pub body: String,",
            "pub body: String,\n    pub title: Option<String>,",
        ),
    )
    .unwrap();
    match &trap {
        Trap::Tmpfs(dir) => fill(dir, 8192),
        Trap::ReadOnly(meta) => {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(meta, std::fs::Permissions::from_mode(0o555)).unwrap();
        }
    }
    let before = listing(&out);
    let failed = generate(&["--name", "add_title"]);
    assert_eq!(failed.status.code(), Some(2), "{}", text(&failed));
    assert!(
        text(&failed).contains("drizzle"),
        "names the file: {}",
        text(&failed)
    );
    assert_eq!(listing(&out), before, "the folder is byte-identical");

    // With room again, the same generate succeeds and check is happy.
    match &trap {
        Trap::Tmpfs(dir) => std::fs::remove_file(dir.join("filler")).unwrap(),
        Trap::ReadOnly(meta) => {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(meta, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
    }
    let again = generate(&["--name", "add_title"]);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again));
    let check = command(project.path())
        .args(["check", "--schema", "schema", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(0), "{}", text(&check));
    assert!(
        text(&check).contains("matches the code"),
        "{}",
        text(&check)
    );
    drop(trap);
}

/// A broken vitaes.toml line holding a password: the error names the file
/// and line, and no output stream shows the password.
#[test]
fn a_toml_error_never_shows_the_line() {
    let project = tempfile::tempdir().unwrap();
    std::fs::write(
        project.path().join("vitaes.toml"),
        "out = \"drizzle\"\n\n[database]\nurl = \"postgres://u:Marker-Pw-8731@h/db\n",
    )
    .unwrap();
    for args in [&["check"][..], &["status"], &["push", "--dry-run"]] {
        let out = command(project.path()).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out));
        let said = text(&out);
        assert!(!said.contains("Marker-Pw"), "{args:?}: {said}");
        assert!(
            said.contains("vitaes.toml") && said.contains(": 4:"),
            "{args:?}: {said}"
        );
    }
}

/// A project with two generated migrations (`0000`, `0001`) in `m/`.
fn two_migrations() -> tempfile::TempDir {
    let project = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(project.path().join("schema")).unwrap();
    std::fs::write(project.path().join("schema/note.rs"), V1).unwrap();
    assert_eq!(generate(project.path()).status.code(), Some(0));
    std::fs::write(
        project.path().join("schema/note.rs"),
        V1.replace(
            "pub body: String,",
            "pub body: String,\n    pub title: Option<String>,",
        ),
    )
    .unwrap();
    assert_eq!(generate(project.path()).status.code(), Some(0));
    project
}

fn generate(project: &Path) -> std::process::Output {
    command(project)
        .args(["generate", "--schema", "schema", "--out", "m"])
        .output()
        .unwrap()
}

/// A folder check calls broken (two entries with idx 1, which share
/// `meta/0001_snapshot.json`, as a merge of two branches leaves it) is
/// refused by drop, generate and migrate with check's words, before any
/// connection, and nothing is written or removed.
#[test]
fn a_folder_with_a_repeated_idx_is_refused_by_every_command_that_writes() {
    let project = two_migrations();
    let dir = project.path().join("m");
    let journal_path = dir.join("meta/_journal.json");
    let mut journal: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&journal_path).unwrap()).unwrap();
    let mut twin = journal["entries"][1].clone();
    let tag = twin["tag"].as_str().unwrap().to_string();
    twin["tag"] = serde_json::json!("0001_other_branch");
    twin["when"] = serde_json::json!(twin["when"].as_u64().unwrap() + 1);
    journal["entries"].as_array_mut().unwrap().push(twin);
    std::fs::write(&journal_path, journal.to_string()).unwrap();
    std::fs::copy(
        dir.join(format!("{tag}.sql")),
        dir.join("0001_other_branch.sql"),
    )
    .unwrap();
    // A third change, so generate would have something to write.
    std::fs::write(
        project.path().join("schema/note.rs"),
        V1.replace(
            "pub body: String,",
            "pub body: String,\n    pub flag: bool,",
        ),
    )
    .unwrap();

    let before = listing(&dir);
    // Port 9 (discard) on loopback: a command that tried to connect would
    // fail with exit 3, not the folder's exit 2.
    let url = "postgres://u@127.0.0.1:9/db?connect_timeout=2";
    for (name, args) in [
        ("drop", vec!["drop", "--out", "m", "--force", "--url", url]),
        (
            "generate",
            vec!["generate", "--schema", "schema", "--out", "m"],
        ),
        ("migrate", vec!["migrate", "--out", "m", "--url", url]),
    ] {
        let out = command(project.path()).args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{name}: {}", text(&out));
        assert!(
            text(&out).contains(&format!(
                "check finds this folder broken, so {name} does not touch it"
            )),
            "{name}: {}",
            text(&out)
        );
        assert!(
            text(&out).contains("both have idx 1"),
            "{name}: {}",
            text(&out)
        );
        assert_eq!(listing(&dir), before, "{name}: nothing written or removed");
    }
}

/// A newest snapshot without `tables` is unreadable, not an empty schema:
/// generate refuses (instead of creating every table again), nothing
/// written; drop and migrate, which do not read snapshots, are not stopped
/// by it.
#[test]
fn a_snapshot_without_tables_is_refused_by_generate() {
    let project = two_migrations();
    let dir = project.path().join("m");
    let snapshot = dir.join("meta/0001_snapshot.json");
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&snapshot).unwrap()).unwrap();
    v.as_object_mut().unwrap().remove("tables");
    std::fs::write(&snapshot, v.to_string()).unwrap();
    std::fs::write(
        project.path().join("schema/note.rs"),
        V1.replace(
            "pub body: String,",
            "pub body: String,\n    pub flag: bool,",
        ),
    )
    .unwrap();

    let before = listing(&dir);
    let out = generate(project.path());
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("meta/0001_snapshot.json: cannot be read")
            && text(&out).contains("missing field `tables`"),
        "{}",
        text(&out)
    );
    assert_eq!(listing(&dir), before, "nothing written");

    let check = command(project.path())
        .args(["check", "--schema", "schema", "--out", "m"])
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(1), "{}", text(&check));
    assert!(
        text(&check).contains("missing field `tables`"),
        "{}",
        text(&check)
    );
}

/// An empty value where a name is needed is exit 2 naming the key.
#[test]
fn an_empty_config_key_is_named() {
    for (toml, key) in [
        (
            "[migrations]\ntable = \"\"\n",
            "`[migrations] table` is empty",
        ),
        (
            "[database]\nurl_env = \" \"\n",
            "`[database] url_env` is empty",
        ),
    ] {
        let project = tempfile::tempdir().unwrap();
        std::fs::write(project.path().join("vitaes.toml"), toml).unwrap();
        let out = command(project.path()).arg("status").output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{toml}: {}", text(&out));
        assert!(text(&out).contains(key), "{toml}: {}", text(&out));
        assert!(text(&out).contains("vitaes.toml"), "{}", text(&out));
    }
}

/// `--verbose` says where the URL came from in words, not Rust's debug text.
#[test]
fn verbose_names_the_url_source_in_words() {
    let project = tempfile::tempdir().unwrap();
    std::fs::write(
        project.path().join("vitaes.toml"),
        "[database]\nurl = \"postgres://u:Marker-Pw-8731@127.0.0.1:1/db\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(project.path().join("drizzle/meta")).unwrap();
    std::fs::write(
        project.path().join("drizzle/meta/_journal.json"),
        r#"{"version":"7","dialect":"postgresql","entries":[]}"#,
    )
    .unwrap();
    let out = command(project.path())
        .args(["status", "--verbose"])
        .output()
        .unwrap();
    let said = text(&out);
    assert!(
        said.contains("connecting to postgres://u:***@127.0.0.1:1/db (from "),
        "{said}"
    );
    assert!(
        !said.contains("ConfigFile {") && !said.contains("path:"),
        "{said}"
    );
    assert!(!said.contains("Marker-Pw"), "{said}");
}

/// A NUL byte in a migration: migrate (exit 2) and check name the file and
/// the byte, before anything reaches the server.
#[test]
fn a_nul_byte_in_a_migration_is_named_with_its_offset() {
    let dir = tempfile::tempdir().unwrap();
    crate::cmd::write_folder(dir.path(), &[("0000_a", 1000, "SELECT 1;\0SELECT 2;")]);
    let migrate = command(&std::env::temp_dir())
        .args(["migrate", "--url", "postgresql://u@127.0.0.1:1/db", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(migrate.status.code(), Some(2), "{}", text(&migrate));
    assert!(
        text(&migrate).contains("0000_a.sql: byte 9 is a NUL"),
        "{}",
        text(&migrate)
    );
    let check = command(&std::env::temp_dir())
        .args(["check", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(1), "{}", text(&check));
    assert!(
        text(&check).contains("error: 0000_a.sql: byte 9 is a NUL"),
        "{}",
        text(&check)
    );
}
