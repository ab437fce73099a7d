//! Shadow validation: `check --shadow` and `generate --verify` apply the whole
//! folder to a throwaway database (a local cluster, or one made on the
//! server of `--shadow-url`) and compare it with the code as push does.

use std::path::{Path, PathBuf};

use vitaes_test_support::test_database;

use crate::cmd::{command, listing, text};
use crate::paths::vitaes_schema_dir;

const V1: &str = "use vitaes_schema::Table;\n\n#[derive(Table)]\npub struct Note {\n    #[column(primary_key)]\n    pub id: i64,\n    pub body: String,\n}\n";

/// The three versions of the schema the folder is generated from: a table,
/// an indexed column, another table.
fn versions() -> [String; 3] {
    let v2 = V1.replace(
        "#[derive(Table)]\npub struct Note {",
        "#[derive(Table)]\n#[table(index(name = \"note_title_idx\", columns(title)))]\npub struct Note {",
    )
    .replace("pub body: String,", "pub body: String,\n    pub title: Option<String>,");
    let v3 = format!(
        "{v2}\n#[derive(Table)]\npub struct Tag {{\n    #[column(primary_key)]\n    pub id: i64,\n}}\n"
    );
    [V1.to_string(), v2, v3]
}

/// A project whose folder `m/` has one migration per version.
fn project() -> tempfile::TempDir {
    let p = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(p.path().join("schema")).unwrap();
    for v in versions() {
        std::fs::write(p.path().join("schema/note.rs"), v).unwrap();
        let out = command(p.path())
            .args(["generate", "--schema", "schema", "--out", "m"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    }
    p
}

fn sql_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    files.sort();
    files
}

/// Removes the middle migration's index statement, as a hand edit would.
fn edit_the_middle_migration(p: &Path) {
    let middle = &sql_files(&p.join("m"))[1];
    let sql = std::fs::read_to_string(middle).unwrap();
    assert!(sql.contains("CREATE INDEX \"note_title_idx\""), "{sql}");
    let edited: String = sql
        .split("--> statement-breakpoint")
        .filter(|s| !s.contains("note_title_idx"))
        .collect::<Vec<_>>()
        .join("--> statement-breakpoint");
    std::fs::write(middle, edited).unwrap();
}

#[test]
fn check_shadow_passes_an_untouched_folder_and_names_what_an_edit_lost() {
    let p = project();
    let check = || {
        command(p.path())
            .args(["check", "--schema", "schema", "--out", "m", "--shadow"])
            .output()
            .unwrap()
    };
    let out = check();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("matches the code"), "{}", text(&out));

    edit_the_middle_migration(p.path());
    // Without the shadow the folder still looks right: the snapshots say
    // what generate meant.
    let plain = command(p.path())
        .args(["check", "--schema", "schema", "--out", "m"])
        .output()
        .unwrap();
    assert_eq!(plain.status.code(), Some(0), "{}", text(&plain));
    let out = check();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let said = text(&out);
    assert!(
        said.contains("the migrations do not build the code"),
        "{said}"
    );
    assert!(
        said.contains("create index public.note.note_title_idx"),
        "{said}"
    );
}

#[test]
fn generate_verify_writes_the_vitaes_schema_and_refuses_on_an_edited_chain() {
    let dir = tempfile::tempdir().unwrap();
    let schema = vitaes_schema_dir();
    let out = command(dir.path())
        .args([
            "generate",
            "--schema",
            schema.to_str().unwrap(),
            "--out",
            "m",
            "--verify",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("[✓] Verified"), "{}", text(&out));
    assert_eq!(sql_files(&dir.path().join("m")).len(), 1);

    // On a chain whose middle file lost a statement, the next migration is
    // refused and nothing is written.
    let p = project();
    edit_the_middle_migration(p.path());
    std::fs::write(
        p.path().join("schema/note.rs"),
        versions()[2].replace(
            "pub id: i64,\n}\n",
            "pub id: i64,\n    pub label: String,\n}\n",
        ),
    )
    .unwrap();
    let before = listing(&p.path().join("m"));
    let out = command(p.path())
        .args(["generate", "--schema", "schema", "--out", "m", "--verify"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let said = text(&out);
    assert!(said.contains("--verify: nothing was written"), "{said}");
    assert!(said.contains("note_title_idx"), "{said}");
    assert_eq!(listing(&p.path().join("m")), before, "nothing written");
}

/// `--shadow-url`: the throwaway database is made on that server and
/// dropped afterwards, whatever the verdict.
#[tokio::test]
async fn a_shadow_url_server_gets_its_database_back() {
    let db = test_database().await;
    let client = db.connect().await;
    let p = tokio::task::spawn_blocking(project).await.unwrap();
    edit_the_middle_migration(p.path());
    let out = crate::cmd::run_async(
        p.path(),
        &[
            "check",
            "--schema",
            "schema",
            "--out",
            "m",
            "--shadow",
            "--shadow-url",
            db.url(),
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("note_title_idx"), "{}", text(&out));
    let left: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_database WHERE datname LIKE 'vitaes_shadow_%'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(left, 0, "the shadow database was dropped");
    let tables: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(tables, 0, "the URL's own database was not touched");
}

/// With `[roles] manage = true` the shadow (a throwaway cluster, so the
/// twin's fixed role names are safe) compares roles too: a chain that does
/// not create a declared role does not build the code.
#[test]
fn check_shadow_compares_managed_roles() {
    let p = tempfile::tempdir().unwrap();
    std::fs::write(p.path().join("vitaes.toml"), "[roles]\nmanage = true\n").unwrap();
    std::fs::create_dir_all(p.path().join("schema")).unwrap();
    std::fs::copy(
        crate::paths::repo_root().join("compat/drizzle/roles/before/schema.rs"),
        p.path().join("schema/roles.rs"),
    )
    .unwrap();
    let out = command(p.path())
        .args(["generate", "--schema", "schema", "--out", "m"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let check = || {
        command(p.path())
            .args(["check", "--schema", "schema", "--out", "m", "--shadow"])
            .output()
            .unwrap()
    };
    let out = check();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let first = &sql_files(&p.path().join("m"))[0];
    let sql = std::fs::read_to_string(first).unwrap();
    let edited: String = sql
        .split("--> statement-breakpoint")
        .filter(|s| !s.contains("CREATE ROLE \"vt_gone\""))
        .collect::<Vec<_>>()
        .join("--> statement-breakpoint");
    assert_ne!(edited, sql);
    std::fs::write(first, edited).unwrap();
    let out = check();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let said = text(&out);
    assert!(
        said.contains("the migrations do not build the code") && said.contains("vt_gone"),
        "{said}"
    );
}
