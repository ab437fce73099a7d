//! The `vitaes-migrate` binary: flags, config lookup and exit codes, each run
//! in a temp dir with its own `vitaes.toml` and without `DATABASE_URL`.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use tempfile::TempDir;

use crate::paths::vitaes_schema_dir;

fn bin(cwd: &Path) -> Command {
    let mut cmd = Command::cargo_bin("vitaes-migrate").expect("binary builds");
    cmd.current_dir(cwd).env_remove("DATABASE_URL");
    cmd
}

/// A project dir with the Vitaes structs under `src/schema` and a config.
fn project(config: &str) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    let schema = dir.path().join("src/schema");
    std::fs::create_dir_all(&schema).unwrap();
    for file in ["auth.rs", "app.rs"] {
        std::fs::copy(vitaes_schema_dir().join(file), schema.join(file)).unwrap();
    }
    std::fs::write(dir.path().join("vitaes.toml"), config).unwrap();
    dir
}

const CONFIG: &str = "schema = [\"src/schema\"]\nout = \"migrations\"\n";

#[test]
fn generate_writes_then_reports_nothing_to_migrate() {
    let p = project(CONFIG);
    bin(p.path())
        .arg("generate")
        .assert()
        .success()
        .stdout(predicate::str::contains("migrations/0000_init.sql"));
    for file in [
        "migrations/0000_init.sql",
        "migrations/meta/_journal.json",
        "migrations/meta/0000_snapshot.json",
    ] {
        assert!(p.path().join(file).is_file(), "{file} missing");
    }
    bin(p.path())
        .arg("generate")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("nothing to migrate"));
    assert_eq!(
        std::fs::read_dir(p.path().join("migrations"))
            .unwrap()
            .count(),
        2
    );
}

#[test]
fn config_is_found_in_an_ancestor_and_paths_are_relative_to_it() {
    let p = project(CONFIG);
    let nested = p.path().join("src/deeper");
    std::fs::create_dir_all(&nested).unwrap();
    bin(&nested).arg("generate").assert().success();
    assert!(p.path().join("migrations/0000_init.sql").is_file());
    assert!(!nested.join("migrations").exists());
}

#[test]
fn explicit_config_file_and_flags_win() {
    let p = project("schema = [\"does/not/exist\"]\n");
    std::fs::write(
        p.path().join("other.toml"),
        "schema = \"src/schema\"\nout = \"from-config\"\n",
    )
    .unwrap();
    bin(p.path())
        .args([
            "--config",
            "other.toml",
            "generate",
            "--out",
            "from-flag",
            "--name",
            "first",
        ])
        .assert()
        .success();
    assert!(p.path().join("from-flag/0000_first.sql").is_file());
    assert!(!p.path().join("from-config").exists());
}

#[test]
fn schema_flag_overrides_config() {
    let p = project("schema = [\"does/not/exist\"]\nout = \"m\"\n");
    bin(p.path())
        .args(["generate", "--schema", "src/schema/auth.rs"])
        .assert()
        .success();
    let sql = std::fs::read_to_string(p.path().join("m/0000_init.sql")).unwrap();
    assert!(sql.contains("CREATE TABLE \"user\""));
    assert!(!sql.contains("\"resume\""), "only auth.rs was given");
}

#[test]
fn missing_schema_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    bin(dir.path())
        .arg("generate")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--schema"));
}

#[test]
fn nonexistent_schema_path_is_exit_2() {
    let p = project("schema = [\"nope\"]\n");
    bin(p.path())
        .arg("generate")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nope"));
}

#[test]
fn unknown_config_key_is_exit_2_naming_the_file_and_key() {
    let p = project("schema = [\"src/schema\"]\nshema_filter = [\"public\"]\n");
    bin(p.path()).arg("generate").assert().code(2).stderr(
        predicate::str::contains("vitaes.toml").and(predicate::str::contains("shema_filter")),
    );
}

#[test]
fn bad_attribute_is_exit_2_with_file_line_column() {
    let p = project(CONFIG);
    std::fs::write(
        p.path().join("src/schema/broken.rs"),
        "use vitaes_schema::Table;\n\n#[derive(Table)]\npub struct Broken {\n    #[column(primary_key, colour = \"red\")]\n    pub id: String,\n}\n",
    )
    .unwrap();
    bin(p.path())
        .arg("generate")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "src/schema/broken.rs:5:27: unknown `column` key `colour`",
        ));
    assert!(
        !p.path().join("migrations").exists(),
        "nothing is written on error"
    );
}

#[test]
fn unknown_reference_is_exit_2_naming_the_struct() {
    let p = project(CONFIG);
    std::fs::write(
        p.path().join("src/schema/extra.rs"),
        "#[derive(Table)]\npub struct Note {\n    #[column(primary_key)]\n    pub id: String,\n    #[column(references(Usr, id))]\n    pub user_id: String,\n}\n",
    )
    .unwrap();
    bin(p.path()).arg("generate").assert().code(2).stderr(
        predicate::str::contains("src/schema/extra.rs:5:").and(predicate::str::contains("`Usr`")),
    );
}

#[test]
fn rust_syntax_error_is_exit_2_with_location() {
    let p = project(CONFIG);
    std::fs::write(p.path().join("src/schema/bad.rs"), "pub struct {\n").unwrap();
    bin(p.path())
        .arg("generate")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("src/schema/bad.rs:1:"));
}

#[test]
fn unknown_flag_is_exit_2() {
    let p = project(CONFIG);
    bin(p.path())
        .args(["generate", "--frobnicate"])
        .assert()
        .code(2);
}

#[test]
fn a_new_table_becomes_the_next_migration_chained_to_the_first() {
    let p = project(CONFIG);
    bin(p.path()).arg("generate").assert().success();
    std::fs::write(
        p.path().join("src/schema/zz_notes.rs"),
        "#[derive(Table)]\npub struct Note {\n    #[column(primary_key)]\n    pub id: i32,\n    #[column(references(User, id), on_delete = \"cascade\")]\n    pub user_id: String,\n}\n",
    )
    .unwrap();
    bin(p.path())
        .arg("generate")
        .assert()
        .success()
        .stdout(predicate::str::contains("0001_create_note.sql"));
    let sql = std::fs::read_to_string(p.path().join("migrations/0001_create_note.sql")).unwrap();
    assert_eq!(
        sql,
        "CREATE TABLE \"note\" (\n\t\"id\" integer PRIMARY KEY NOT NULL,\n\t\"user_id\" text NOT NULL\n);\n\
         --> statement-breakpoint\n\
         ALTER TABLE \"note\" ADD CONSTRAINT \"note_user_id_user_id_fk\" FOREIGN KEY (\"user_id\") REFERENCES \"public\".\"user\"(\"id\") ON DELETE cascade ON UPDATE no action;"
    );
    let read = |f: &str| -> serde_json::Value {
        serde_json::from_str(
            &std::fs::read_to_string(p.path().join("migrations/meta").join(f)).unwrap(),
        )
        .unwrap()
    };
    let (first, second, journal) = (
        read("0000_snapshot.json"),
        read("0001_snapshot.json"),
        read("_journal.json"),
    );
    assert_eq!(second["prevId"], first["id"]);
    let entries = journal["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert!(entries[1]["when"].as_u64() > entries[0]["when"].as_u64());
    assert_eq!(entries[1]["idx"], 1);
}

#[test]
fn a_possible_rename_is_refused_with_exit_1_and_writes_nothing() {
    let p = project(CONFIG);
    bin(p.path()).arg("generate").assert().success();
    let app = p.path().join("src/schema/app.rs");
    let text = std::fs::read_to_string(&app)
        .unwrap()
        .replace("pub thumbnail_url:", "pub thumbnail:");
    std::fs::write(&app, text).unwrap();
    bin(p.path())
        .arg("generate")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "thumbnail_url removed and thumbnail added",
        ));
    assert_eq!(
        std::fs::read_dir(p.path().join("migrations"))
            .unwrap()
            .count(),
        2
    );
    assert_eq!(
        std::fs::read_dir(p.path().join("migrations/meta"))
            .unwrap()
            .count(),
        2
    );
}
