//! Renames never guessed: hints in the code, `--rename` / `--no-rename`, the
//! terminal prompt (through a real pseudo-terminal), and the refusal without
//! one. A renamed table or column takes its default-named constraints,
//! indexes and sequences along, so the database equals one created under the
//! new names.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use vitaes_migrate::commands::generate::{self, GenerateArgs, Generated};
use vitaes_migrate::config::Config;
use vitaes_migrate::diff::{NoRename, Rename, RenameDecisions};
use vitaes_test_support::test_database;

use crate::catalog::{apply_migration, dump};
use crate::paths::sql_files;

const V1: &str = r#"
use vitaes_schema::{PgEnum, Table};

#[derive(PgEnum)]
pub enum Mood { Sad, Happy }

#[derive(Table)]
#[table(name = "author")]
pub struct Author {
    #[column(primary_key, identity = "always")] pub id: i32,
    #[column(unique)] pub email: String,
    pub name: String,
    pub mood: Option<Mood>,
}

#[derive(Table)]
#[table(name = "post", index(columns(author_id)), unique(columns(title, author_id)))]
pub struct Post {
    #[column(primary_key, serial)] pub id: i32,
    pub title: String,
    #[column(references(Author, id), on_delete = "cascade")] pub author_id: i32,
}
"#;

/// `author` → `writer` and `post` → `article` (hints), `author_id` → `writer_id`
/// (hint), `title` → `headline` (a flag), enum `mood` → `feeling` (a flag).
const V2: &str = r#"
use vitaes_schema::{PgEnum, Table};

#[derive(PgEnum)]
#[pg_enum(name = "feeling")]
pub enum Mood { Sad, Happy }

#[derive(Table)]
#[table(name = "writer", renamed_from = "author")]
pub struct Author {
    #[column(primary_key, identity = "always")] pub id: i32,
    #[column(unique)] pub email: String,
    pub name: String,
    pub mood: Option<Mood>,
}

#[derive(Table)]
#[table(name = "article", renamed_from = "post", index(columns(writer_id)), unique(columns(headline, writer_id)))]
pub struct Post {
    #[column(primary_key, serial)] pub id: i32,
    pub headline: String,
    #[column(references(Author, id), on_delete = "cascade", renamed_from = "author_id")] pub writer_id: i32,
}
"#;

fn write(dir: &Path, text: &str) -> std::path::PathBuf {
    let file = dir.join("schema.rs");
    std::fs::write(&file, text).unwrap();
    file
}

fn generate_with(
    schema: &Path,
    out: &Path,
    renames: RenameDecisions,
) -> Result<Generated, vitaes_migrate::Error> {
    let args = GenerateArgs {
        schema: vec![schema.to_path_buf()].into(),
        out: Some(out.to_path_buf()).into(),
        name: None,
        renames: renames.into(),
        ..Default::default()
    };
    generate::run(&args, &Config::default(), out, &mut Vec::new())
}

fn decisions() -> RenameDecisions {
    RenameDecisions {
        renames: vec![
            "column:article.title=headline".parse().unwrap(),
            "enum:mood=feeling".parse().unwrap(),
        ],
        no_renames: vec![],
    }
}

#[tokio::test]
async fn renamed_tables_and_columns_equal_a_database_created_under_the_new_names() {
    let src = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    generate_with(
        &write(src.path(), V1),
        out.path(),
        RenameDecisions::default(),
    )
    .unwrap();
    generate_with(&write(src.path(), V2), out.path(), decisions()).unwrap();
    let files = sql_files(out.path());
    let change = &files[1];
    assert!(
        !change.contains("DROP") && !change.contains("CREATE") && !change.contains("ADD "),
        "renames only:\n{change}"
    );
    for expected in [
        "ALTER TYPE \"public\".\"mood\" RENAME TO \"feeling\";",
        "ALTER TABLE \"author\" RENAME TO \"writer\";",
        "ALTER TABLE \"post\" RENAME TO \"article\";",
        "ALTER TABLE \"article\" RENAME COLUMN \"author_id\" TO \"writer_id\";",
        "ALTER TABLE \"article\" RENAME COLUMN \"title\" TO \"headline\";",
        "ALTER TABLE \"writer\" RENAME CONSTRAINT \"author_pkey\" TO \"writer_pkey\";",
        "ALTER SEQUENCE \"author_id_seq\" RENAME TO \"writer_id_seq\";",
        "ALTER SEQUENCE \"post_id_seq\" RENAME TO \"article_id_seq\";",
    ] {
        assert!(change.contains(expected), "missing {expected} in\n{change}");
    }

    // Apply both with rows in between; compare with a database made from V2.
    let (migrated, fresh) = (test_database().await, test_database().await);
    let (mut a, mut b) = (migrated.connect().await, fresh.connect().await);
    apply_migration(&mut a, &files[0]).await.unwrap();
    a.batch_execute(
        "INSERT INTO author (email, name, mood) VALUES ('a@x', 'Ada', 'happy');
         INSERT INTO post (title, author_id) VALUES ('Hello', 1);",
    )
    .await
    .unwrap();
    apply_migration(&mut a, change)
        .await
        .unwrap_or_else(|e| panic!("{e}\n{change}"));
    let scratch = tempfile::tempdir().unwrap();
    generate_with(
        &write(src.path(), V2),
        scratch.path(),
        RenameDecisions::default(),
    )
    .unwrap();
    apply_migration(&mut b, &sql_files(scratch.path())[0])
        .await
        .unwrap();
    let (da, db) = (dump(&a).await, dump(&b).await);
    assert_eq!(da.lines, db.lines);
    let row = a.query_one("SELECT w.name, w.mood::text, a.headline FROM article a JOIN writer w ON w.id = a.writer_id", &[]).await.unwrap();
    assert_eq!(
        (
            row.get::<_, String>(0),
            row.get::<_, String>(1),
            row.get::<_, String>(2)
        ),
        ("Ada".into(), "happy".into(), "Hello".into())
    );

    // The hints stay in the code and do nothing more.
    assert_eq!(
        generate_with(&write(src.path(), V2), out.path(), decisions()).unwrap(),
        Generated::NothingToDo
    );
    assert_eq!(
        generate_with(
            &write(src.path(), V2),
            out.path(),
            RenameDecisions::default()
        )
        .unwrap(),
        Generated::NothingToDo
    );
}

const COL_V1: &str = "#[derive(Table)] pub struct T { #[column(primary_key)] pub id: i32, pub thumb: Option<String> }";
const COL_V2: &str = "#[derive(Table)] pub struct T { #[column(primary_key)] pub id: i32, pub thumbnail: Option<String> }";

#[test]
fn no_rename_flag_means_a_real_drop_and_add() {
    let src = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    generate_with(
        &write(src.path(), COL_V1),
        out.path(),
        RenameDecisions::default(),
    )
    .unwrap();
    let no = RenameDecisions {
        renames: vec![],
        no_renames: vec!["column:t.thumbnail".parse::<NoRename>().unwrap()],
    };
    generate_with(&write(src.path(), COL_V2), out.path(), no).unwrap();
    assert_eq!(
        sql_files(out.path())[1],
        "ALTER TABLE \"t\" ADD COLUMN \"thumbnail\" text;--> statement-breakpoint\n-- hazard: data-loss\nALTER TABLE \"t\" DROP COLUMN \"thumb\";"
    );
}

/// A project whose one migration has `COL_V1` and whose code is now
/// `COL_V2` (a column dropped and one added: a rename to decide).
fn column_rename_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), COL_V1);
    std::fs::write(
        dir.path().join("vitaes.toml"),
        "schema = \"schema.rs\"\nout = \"m\"\n",
    )
    .unwrap();
    cli(dir.path()).arg("generate").assert().success();
    write(dir.path(), COL_V2);
    dir
}

/// The binary in `dir`, without a developer's `DATABASE_URL`.
fn cli(dir: &std::path::Path) -> Command {
    let mut c = Command::cargo_bin("vitaes-migrate").unwrap();
    c.current_dir(dir).env_remove("DATABASE_URL");
    c
}

#[test]
fn a_rename_flag_through_the_cli() {
    let dir = column_rename_project();
    let bin = || cli(dir.path());
    bin()
        .args(["generate", "--rename", "column:t.thumb=thumbnail"])
        .assert()
        .success();
    let files = sql_files(&dir.path().join("m"));
    assert_eq!(
        files[1],
        "ALTER TABLE \"t\" RENAME COLUMN \"thumb\" TO \"thumbnail\";"
    );
    bin()
        .args(["generate", "--rename", "column:nonsense"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("column:[schema.]table.old=new"));
}

#[test]
fn contradicting_or_dangling_rename_flags_are_exit_2_naming_the_flag() {
    let dir = column_rename_project();
    let bin = || cli(dir.path());
    let cases: [(&[&str], &str); 4] = [
        (
            &["--rename", "column:t.thumb=thumbnail", "--no-rename", "column:t.thumbnail"],
            "--rename column:t.thumb=thumbnail contradicts --no-rename column:t.thumbnail",
        ),
        (
            &["--rename", "column:t.thumb=thumbnail", "--rename", "column:t.thumb=id"],
            "--rename column:t.thumb=thumbnail and --rename column:t.thumb=id rename one column twice",
        ),
        (
            &["--rename", "column:t.thumbs=thumbnail"],
            "--rename column:t.thumbs=thumbnail: the last snapshot has no column `thumbs` in table `t`",
        ),
        (
            &["--rename", "column:t.thumb=thumbnails"],
            "--rename column:t.thumb=thumbnails: the code has no column `thumbnails` in table `t`",
        ),
    ];
    for (flags, message) in cases {
        bin()
            .arg("generate")
            .args(flags)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(message));
    }
    assert_eq!(sql_files(&dir.path().join("m")).len(), 1, "nothing written");
}

#[test]
fn without_a_terminal_an_ambiguity_is_refused_showing_three_ways() {
    let dir = column_rename_project();
    let bin = || cli(dir.path());
    bin().arg("generate").assert().code(1).stderr(
        predicate::str::contains("thumb removed and thumbnail added")
            .and(predicate::str::contains(
                "#[column(renamed_from = \"thumb\")]",
            ))
            .and(predicate::str::contains(
                "--rename column:t.thumb=thumbnail",
            ))
            .and(predicate::str::contains("--no-rename column:t.thumbnail")),
    );
    assert_eq!(sql_files(&dir.path().join("m")).len(), 1, "nothing written");
    assert_eq!(
        std::fs::read_dir(dir.path().join("m/meta"))
            .unwrap()
            .count(),
        2
    );
}

#[test]
fn the_terminal_prompt_decides_through_a_pseudo_terminal() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), COL_V1);
    std::fs::write(
        dir.path().join("vitaes.toml"),
        "schema = \"schema.rs\"\nout = \"m\"\n",
    )
    .unwrap();
    let bin = assert_cmd::cargo::cargo_bin("vitaes-migrate");
    let first = std::process::Command::new(&bin)
        .current_dir(dir.path())
        .arg("generate")
        .output()
        .unwrap();
    assert!(first.status.success());
    write(dir.path(), COL_V2);

    let mut cmd = std::process::Command::new(&bin);
    cmd.current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .env("TERM", "xterm")
        .arg("generate");
    let mut session = rexpect::session::spawn_command(cmd, Some(20_000)).expect("spawn on a pty");
    session
        .exp_string("Is thumbnail column in t table created or renamed from another column?")
        .expect("the prompt");
    session
        .exp_string("thumbnail  rename column")
        .expect("the rename option");
    let pause = || std::thread::sleep(std::time::Duration::from_millis(300));
    pause();
    session.send("j").unwrap(); // down to the rename option
    session.flush().unwrap();
    pause();
    session.send("\r").unwrap();
    session.flush().unwrap();
    session
        .exp_string("0001_")
        .expect("the migration is written");
    session.exp_eof().expect("the command ends");

    let files = sql_files(&dir.path().join("m"));
    assert_eq!(files.len(), 2, "{files:?}");
    assert_eq!(
        files[1],
        "ALTER TABLE \"t\" RENAME COLUMN \"thumb\" TO \"thumbnail\";"
    );
}

#[test]
fn rename_kinds_parse_from_flags() {
    assert!(matches!(
        "table:a=b".parse::<Rename>(),
        Ok(Rename::Table { .. })
    ));
    assert!("table:a".parse::<Rename>().is_err());
}

#[test]
fn json_reports_ambiguities_and_the_schema_rejects_what_it_should() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), COL_V1);
    std::fs::write(
        dir.path().join("vitaes.toml"),
        "schema = \"schema.rs\"\nout = \"m\"\n",
    )
    .unwrap();
    let bin = || {
        let mut c = Command::cargo_bin("vitaes-migrate").unwrap();
        c.current_dir(dir.path()).env_remove("DATABASE_URL");
        c
    };
    let first = bin().args(["generate", "--json"]).output().unwrap();
    assert!(first.status.success());
    let doc: serde_json::Value =
        serde_json::from_slice(&first.stdout).expect("stdout is only JSON");
    assert_eq!(doc["changes"][0]["kind"], "create_table");

    write(dir.path(), COL_V2);
    let refused = bin().args(["generate", "--json"]).output().unwrap();
    assert_eq!(refused.status.code(), Some(1));
    let doc: serde_json::Value =
        serde_json::from_slice(&refused.stdout).expect("stdout is only JSON");
    assert_eq!(
        doc["ambiguities"],
        serde_json::json!([{ "kind": "column", "place": "public.t", "dropped": ["thumb"], "added": ["thumbnail"] }])
    );

    let text = std::fs::read_to_string(
        crate::paths::repo_root().join("crates/vitaes-migrate/schemas/plan.schema.json"),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap();
    assert!(validator.is_valid(&doc));
    let mut bad = doc.clone();
    bad["version"] = serde_json::json!(2);
    assert!(!validator.is_valid(&bad));
    let bad = serde_json::json!({"version": 1, "changes": [{"kind": "drop_table", "object": "t", "sql": [], "hazards": ["scary"]}], "ambiguities": []});
    assert!(!validator.is_valid(&bad));
}

#[tokio::test]
async fn a_table_moved_to_another_schema_when_declared() {
    let case = crate::paths::repo_root().join("compat/drizzle/changes/move_table_schema");
    let out = tempfile::tempdir().unwrap();
    generate_with(
        &case.join("before/schema.rs"),
        out.path(),
        RenameDecisions::default(),
    )
    .unwrap();
    let moved = RenameDecisions {
        renames: vec!["table:users=app.users".parse().unwrap()],
        no_renames: vec![],
    };
    generate_with(&case.join("after/schema.rs"), out.path(), moved).unwrap();
    let files = sql_files(out.path());
    // What drizzle-kit writes when its prompt is answered "moved" on a terminal.
    assert_eq!(files[1], "CREATE SCHEMA \"app\";\n--> statement-breakpoint\nALTER TABLE \"public\".\"users\" SET SCHEMA \"app\";\n");
    let db = test_database().await;
    let mut client = db.connect().await;
    apply_migration(&mut client, &files[0]).await.unwrap();
    client
        .batch_execute("INSERT INTO users (id) VALUES (7)")
        .await
        .unwrap();
    apply_migration(&mut client, &files[1]).await.unwrap();
    let n: i64 = client
        .query_one("SELECT count(*) FROM app.users WHERE id = 7", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, 1);
    assert_eq!(
        generate_with(
            &case.join("after/schema.rs"),
            out.path(),
            RenameDecisions::default()
        )
        .unwrap(),
        Generated::NothingToDo
    );
}
