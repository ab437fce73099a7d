//! What `generate` does beyond one diff: switching from a drizzle-kit
//! folder, enum values added and used at once, notes on risky additions.

use std::path::Path;

use vitaes_migrate::commands::generate::{self, GenerateArgs, Generated};
use vitaes_migrate::config::Config;
use vitaes_test_support::test_database;

use crate::catalog::apply_migration;
use crate::every_schema;
use crate::paths::{repo_root, vitaes_fixture_dir, vitaes_schema_dir};

fn generate(schema: &Path, out: &Path) -> (Generated, String) {
    let mut printed = Vec::new();
    let args = GenerateArgs {
        schema: vec![schema.to_path_buf()].into(),
        out: Some(out.to_path_buf()).into(),
        name: None,
        ..Default::default()
    };
    let result = generate::run(&args, &Config::default(), out, &mut printed).expect("generate");
    (result, String::from_utf8(printed).unwrap())
}

/// Copies a folder tree.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

#[test]
fn switching_from_a_drizzle_kit_folder_generates_nothing() {
    for (fixture, schema) in [
        (vitaes_fixture_dir(), vitaes_schema_dir()),
        (
            repo_root().join("compat/drizzle/fixtures/every"),
            every_schema::source_path(),
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&fixture, dir.path());
        let (result, printed) = generate(&schema, dir.path());
        assert_eq!(
            result,
            Generated::NothingToDo,
            "{}: {printed}",
            fixture.display()
        );
        assert!(printed.contains("nothing to migrate"));
    }
}

#[test]
fn switching_still_sees_a_real_change() {
    // The check above can fail: the same folder against a changed schema is not empty.
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&vitaes_fixture_dir(), dir.path());
    let schema = tempfile::tempdir().unwrap();
    for f in ["auth.rs", "app.rs"] {
        let text = std::fs::read_to_string(vitaes_schema_dir().join(f)).unwrap();
        std::fs::write(
            schema.path().join(f),
            text.replace("pub image: Option<String>,", "pub image: String,"),
        )
        .unwrap();
    }
    let (result, _) = generate(schema.path(), dir.path());
    assert!(
        matches!(result, Generated::Written { ref sql_paths } if sql_paths.len() == 1),
        "{result:?}"
    );
}

const MOOD_V1: &str = r#"
use vitaes_schema::{PgEnum, Table};
#[derive(PgEnum)]
pub enum Mood { Sad, Happy }
#[derive(Table)]
pub struct Diary { #[column(primary_key)] pub id: i32, #[column(default = "happy")] pub mood: Mood }
"#;

const MOOD_V2: &str = r#"
use vitaes_schema::{PgEnum, Table};
#[derive(PgEnum)]
pub enum Mood { Sad, Meh, Happy, Ecstatic }
#[derive(Table)]
#[table(check(name = "no_meh_on_day_one", expr = "id > 1 OR mood <> 'meh'"))]
pub struct Diary { #[column(primary_key)] pub id: i32, #[column(default = "ecstatic")] pub mood: Mood }
"#;

#[tokio::test]
async fn enum_values_added_and_used_become_their_own_migration_first() {
    let src = tempfile::tempdir().unwrap();
    let file = src.path().join("schema.rs");
    let out = tempfile::tempdir().unwrap();
    std::fs::write(&file, MOOD_V1).unwrap();
    generate(&file, out.path());
    std::fs::write(&file, MOOD_V2).unwrap();
    let (result, printed) = generate(&file, out.path());
    let Generated::Written { sql_paths } = result else {
        panic!("{printed}")
    };
    assert_eq!(sql_paths.len(), 2, "{printed}");
    assert!(
        printed.contains("written as a migration of their own first"),
        "{printed}"
    );
    let first = std::fs::read_to_string(&sql_paths[0]).unwrap();
    let second = std::fs::read_to_string(&sql_paths[1]).unwrap();
    assert_eq!(
        first,
        "ALTER TYPE \"public\".\"mood\" ADD VALUE 'meh' BEFORE 'happy';--> statement-breakpoint\n\
         ALTER TYPE \"public\".\"mood\" ADD VALUE 'ecstatic';"
    );
    assert!(
        second.contains("SET DEFAULT 'ecstatic'") && second.contains("'meh'"),
        "{second}"
    );
    assert!(!second.contains("ADD VALUE"), "{second}");

    // Each in its own transaction, they apply; the values are usable.
    let db = test_database().await;
    let mut client = db.connect().await;
    let mut files: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 3);
    for f in &files {
        apply_migration(&mut client, &std::fs::read_to_string(f).unwrap())
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
    }
    client
        .batch_execute("INSERT INTO diary (id) VALUES (1)")
        .await
        .unwrap();
    let mood: String = client
        .query_one("SELECT mood::text FROM diary", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(mood, "ecstatic");
    // Together in one transaction they would not: that is why they are split.
    let db2 = test_database().await;
    let mut c2 = db2.connect().await;
    apply_migration(&mut c2, &std::fs::read_to_string(&files[0]).unwrap())
        .await
        .unwrap();
    let joined = format!("{first}--> statement-breakpoint\n{second}");
    let err = apply_migration(&mut c2, &joined)
        .await
        .expect_err("unsafe use of a new enum value");
    assert!(
        err.to_string().contains("unsafe use of new value")
            || format!("{err:?}").contains("unsafe use of new value"),
        "{err:?}"
    );

    assert_eq!(generate(&file, out.path()).0, Generated::NothingToDo);
}

#[test]
fn a_not_null_column_without_default_is_noted() {
    let src = tempfile::tempdir().unwrap();
    let file = src.path().join("schema.rs");
    let out = tempfile::tempdir().unwrap();
    std::fs::write(
        &file,
        "#[derive(Table)] pub struct T { #[column(primary_key)] pub id: i32 }",
    )
    .unwrap();
    generate(&file, out.path());
    std::fs::write(&file, "#[derive(Table)] pub struct T { #[column(primary_key)] pub id: i32, pub name: String, #[column(default = 0)] pub n: i32 }").unwrap();
    let (_, printed) = generate(&file, out.path());
    assert!(
        printed.contains("note: column \"name\" of \"public\".\"t\" is NOT NULL without a default"),
        "{printed}"
    );
    assert!(!printed.contains("column \"n\""), "{printed}");
}

#[test]
fn custom_writes_an_empty_migration_chained_to_the_previous_snapshot() {
    let src = tempfile::tempdir().unwrap();
    let file = src.path().join("schema.rs");
    let out = tempfile::tempdir().unwrap();
    std::fs::write(
        &file,
        "#[derive(Table)] pub struct T { #[column(primary_key)] pub id: i32 }",
    )
    .unwrap();
    generate(&file, out.path());
    std::fs::write(&file, "#[derive(Table)] pub struct T { #[column(primary_key)] pub id: i32, pub note: Option<String> }").unwrap();
    let args = GenerateArgs {
        schema: vec![file.clone()].into(),
        out: Some(out.path().to_path_buf()).into(),
        name: Some("backfill".into()),
        custom: true,
        ..Default::default()
    };
    generate::run(&args, &Config::default(), out.path(), &mut Vec::new()).unwrap();
    assert_eq!(
        std::fs::read_to_string(out.path().join("0001_backfill.sql")).unwrap(),
        "-- Custom SQL migration file, put your code below! --"
    );
    let dir = vitaes_migrate::migrations_dir::MigrationsDir::open(out.path(), None).unwrap();
    let first = std::fs::read_to_string(out.path().join("meta/0000_snapshot.json")).unwrap();
    let second = dir.last_snapshot().unwrap().unwrap();
    let first = vitaes_schema_core::snapshot::from_json(&first).unwrap();
    assert_eq!(second.prev_id, first.id);
    assert_eq!(
        second.schema, first.schema,
        "the code's change is not taken as applied"
    );
    // So the next generate still writes the column.
    let (result, _) = generate(&file, out.path());
    let Generated::Written { sql_paths } = result else {
        panic!()
    };
    assert!(
        sql_paths[0].ends_with("0002_add_t_note.sql"),
        "{sql_paths:?}"
    );
}

const STATUS_V1: &str = r#"
#[derive(PgEnum)]
pub enum Status { Draft, Review, Published, Archived }
#[derive(Table)]
#[table(
    check(name = "published_has_title", expr = "status <> 'published' OR title IS NOT NULL"),
    index(name = "idx_published", columns(id), where = "status = 'published'")
)]
pub struct Doc {
    #[column(primary_key)] pub id: i32,
    pub title: Option<String>,
    #[column(default = "draft")] pub status: Status,
    #[column(default_sql = "'{draft}'")] pub history: Vec<Status>,
}
"#;

/// `review` removed, `archived` moved first: a rebuild through text.
const STATUS_V2: &str = r#"
#[derive(PgEnum)]
pub enum Status { Archived, Draft, Published }
#[derive(Table)]
#[table(
    check(name = "published_has_title", expr = "status <> 'published' OR title IS NOT NULL"),
    index(name = "idx_published", columns(id), where = "status = 'published'")
)]
pub struct Doc {
    #[column(primary_key)] pub id: i32,
    pub title: Option<String>,
    #[column(default = "draft")] pub status: Status,
    #[column(default_sql = "'{draft}'")] pub history: Vec<Status>,
}
"#;

#[tokio::test]
async fn an_enum_rebuild_carries_arrays_defaults_checks_and_partial_indexes() {
    let src = tempfile::tempdir().unwrap();
    let file = src.path().join("schema.rs");
    let out = tempfile::tempdir().unwrap();
    std::fs::write(&file, STATUS_V1).unwrap();
    generate(&file, out.path());
    std::fs::write(&file, STATUS_V2).unwrap();
    generate(&file, out.path());
    let mut files: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    files.sort();
    let change = std::fs::read_to_string(&files[1]).unwrap();
    assert!(change.contains("SET DATA TYPE text[]"), "{change}");

    let db = test_database().await;
    let mut client = db.connect().await;
    apply_migration(&mut client, &std::fs::read_to_string(&files[0]).unwrap())
        .await
        .unwrap();
    client
        .batch_execute(
            "INSERT INTO doc (id, title, status, history) VALUES
               (1, 'a', 'published', '{draft,published}'),
               (2, NULL, 'archived', '{draft,archived}'),
               (3, NULL, DEFAULT, DEFAULT)",
        )
        .await
        .unwrap();
    apply_migration(&mut client, &change)
        .await
        .unwrap_or_else(|e| panic!("{e:?}\n{change}"));
    let rows: Vec<(i32, String, String)> = client
        .query(
            "SELECT id, status::text, history::text FROM doc ORDER BY id",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    assert_eq!(
        rows,
        [
            (1, "published".into(), "{draft,published}".into()),
            (2, "archived".into(), "{draft,archived}".into()),
            (3, "draft".into(), "{draft}".into())
        ]
    );
    let order: String = client
        .query_one(
            "SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(order, "archived,draft,published");
    // The check and the partial index came back and work on the new type.
    assert!(client
        .batch_execute("INSERT INTO doc (id, status) VALUES (4, 'published')")
        .await
        .is_err());
    assert_eq!(generate(&file, out.path()).0, Generated::NothingToDo);
}

/// A top-level `rename_all` in the project's vitaes.toml names the columns
/// of every struct whose field has no `name = "..."`, and `[migrations]
/// prefix` tags the files; the CLI reads both as written.
#[test]
fn the_projects_rename_all_and_prefix_apply() {
    let project = tempfile::tempdir().unwrap();
    std::fs::write(
        project.path().join("vitaes.toml"),
        "rename_all = \"camelCase\"\nschema = \"schema\"\nout = \"drizzle\"\n\n[migrations]\nprefix = \"unix\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(project.path().join("schema")).unwrap();
    std::fs::write(
        project.path().join("schema/board.rs"),
        "use vitaes_schema::Table;\n\n#[derive(Table)]\npub struct Board {\n    #[column(primary_key)]\n    pub id: i64,\n    pub public_id: String,\n    #[column(name = \"created_by\")]\n    pub created_by_user: i64,\n}\n",
    )
    .unwrap();
    let out = crate::cmd::command(project.path())
        .arg("generate")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", crate::cmd::text(&out));
    let folder = project.path().join("drizzle");
    let sql: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    assert_eq!(sql.len(), 1, "{sql:?}");
    let name = sql[0].file_name().unwrap().to_str().unwrap().to_string();
    let prefix = name.split('_').next().unwrap();
    assert_eq!(prefix.len(), 10, "a unix-seconds prefix: {name}");
    assert!(prefix.bytes().all(|b| b.is_ascii_digit()), "{name}");
    let text = std::fs::read_to_string(&sql[0]).unwrap();
    assert!(text.contains("\"publicId\" text NOT NULL"), "{text}");
    assert!(text.contains("\"created_by\" bigint NOT NULL"), "{text}");
    assert!(
        folder
            .join(format!("meta/{prefix}_snapshot.json"))
            .is_file(),
        "the snapshot is named by the prefix"
    );

    // A second generate continues the same folder in the same mode.
    let check = crate::cmd::command(project.path())
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(0), "{}", crate::cmd::text(&check));

    std::fs::write(
        project.path().join("vitaes.toml"),
        "rename_all = \"camel\"\n",
    )
    .unwrap();
    let bad = crate::cmd::command(project.path())
        .args(["generate", "--schema", "schema"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2), "{}", crate::cmd::text(&bad));
    assert!(
        crate::cmd::text(&bad).contains("camelCase"),
        "{}",
        crate::cmd::text(&bad)
    );
}
