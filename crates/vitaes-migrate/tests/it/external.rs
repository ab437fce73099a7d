//! `#[table(external)]`: a table the code only references (Supabase's
//! `auth.users`). generate writes nothing for it, push never changes it but
//! checks it is there, and a code table outside `schema_filter` is an error.

use std::path::Path;

use vitaes_test_support::test_database;

use crate::cmd::{command, text};

const SCHEMA: &str = r#"
use uuid::Uuid;
use vitaes_schema::Table;

#[derive(Table)]
#[table(schema = "auth", name = "users", external)]
pub struct AuthUsers {
    #[column(primary_key)]
    pub id: Uuid,
    pub email: Option<String>,
}

#[derive(Table)]
pub struct Profile {
    #[column(primary_key)]
    pub id: Uuid,
    #[column(references(AuthUsers, id), on_delete = "cascade")]
    pub user_id: Uuid,
}
"#;

/// A project with the schema above and `toml` as its vitaes.toml.
fn project(toml: &str, schema: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("schema")).unwrap();
    std::fs::write(dir.path().join("schema/app.rs"), schema).unwrap();
    std::fs::write(
        dir.path().join("vitaes.toml"),
        format!("schema = \"schema\"\nout = \"drizzle\"\n{toml}"),
    )
    .unwrap();
    dir
}

async fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    crate::cmd::run_async(dir, args).await
}

#[test]
fn generate_writes_nothing_for_an_external_table() {
    let p = project("", SCHEMA);
    let out = command(p.path()).arg("generate").output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let sql = std::fs::read_to_string(p.path().join("drizzle/0000_create_profile.sql"))
        .or_else(|_| {
            let file = std::fs::read_dir(p.path().join("drizzle"))
                .unwrap()
                .map(|e| e.unwrap().path())
                .find(|p| p.extension().is_some_and(|e| e == "sql"))
                .unwrap();
            std::fs::read_to_string(file)
        })
        .unwrap();
    assert!(sql.contains("CREATE TABLE \"profile\""), "{sql}");
    assert!(
        sql.contains("REFERENCES \"auth\".\"users\"(\"id\")"),
        "{sql}"
    );
    assert!(!sql.contains("CREATE SCHEMA"), "{sql}");
    assert!(!sql.contains("CREATE TABLE \"auth\""), "{sql}");
    let snapshot =
        std::fs::read_to_string(p.path().join("drizzle/meta/0000_snapshot.json")).unwrap();
    assert!(!snapshot.contains("auth.users"), "{snapshot}");
    // A snapshot that has it (drizzle-kit kept it) plans nothing for it.
    let again = command(p.path()).arg("check").output().unwrap();
    assert_eq!(again.status.code(), Some(0), "{}", text(&again));
}

#[tokio::test]
async fn push_uses_an_external_table_it_finds_and_refuses_without_it() {
    let p = project("schema_filter = [\"public\"]\n", SCHEMA);

    // Missing: refused, naming it, and nothing created.
    let missing = test_database().await;
    let out = run(p.path(), &["push", "--url", missing.url()]).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("table auth.users does not exist"),
        "{}",
        text(&out)
    );
    let client = missing.connect().await;
    let tables: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(tables, 0, "nothing was created");

    // Without the key the foreign key needs: named.
    client
        .batch_execute("CREATE SCHEMA auth; CREATE TABLE auth.users (id uuid, email text)")
        .await
        .unwrap();
    let out = run(p.path(), &["push", "--url", missing.url()]).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("no primary key or unique constraint"),
        "{}",
        text(&out)
    );

    // There: push creates only the code's own table, and then has nothing to do.
    client
        .batch_execute("ALTER TABLE auth.users ADD PRIMARY KEY (id); ALTER TABLE auth.users ADD COLUMN raw jsonb")
        .await
        .unwrap();
    let out = run(p.path(), &["push", "--url", missing.url()]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let said = text(&out);
    assert!(said.contains("CREATE TABLE \"profile\""), "{said}");
    assert!(!said.contains("\"auth\".\"users\" ("), "{said}");
    assert!(!said.contains("ALTER TABLE \"auth\""), "{said}");
    let again = run(p.path(), &["push", "--url", missing.url(), "--dry-run"]).await;
    assert!(text(&again).contains("No changes"), "{}", text(&again));
    let columns: i64 = client
        .query_one("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'auth' AND table_name = 'users'", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(columns, 3, "auth.users is as it was");

    // Without the filter, the auth schema is read too, and still left alone.
    let wide = project("", SCHEMA);
    let again = run(wide.path(), &["push", "--url", missing.url(), "--dry-run"]).await;
    assert!(text(&again).contains("No changes"), "{}", text(&again));
}

#[tokio::test]
async fn a_code_table_outside_schema_filter_is_named() {
    let schema = SCHEMA.replace(
        "#[table(schema = \"auth\", name = \"users\", external)]",
        "#[table(schema = \"auth\", name = \"users\")]",
    );
    let p = project("schema_filter = [\"public\"]\n", &schema);
    let db = test_database().await;
    let out = run(p.path(), &["push", "--url", db.url()]).await;
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("auth.users"), "{}", text(&out));
    assert!(text(&out).contains("#[table(external)]"), "{}", text(&out));
}
