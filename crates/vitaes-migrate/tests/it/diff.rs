//! `vitaes-migrate diff` between databases, folders, code and nothing: the
//! plan printed is the one that makes `from` equal `to` (applied, the next
//! diff finds nothing), a database against code is what push plans, a
//! folder against code what generate writes, and what the model does not
//! manage is named, never touched.

use vitaes_test_support::test_database;

use crate::cmd::{run_async, text};
use crate::paths::{vitaes_fixture_dir, vitaes_schema_dir};

const USERS: &str = r#"
#[derive(Table)]
#[table(name = "users", index(name = "users_email_idx", columns(email)))]
pub struct Users {
    #[column(primary_key)]
    pub id: i32,
    pub email: Option<String>,
}
"#;

#[tokio::test]
async fn two_databases_then_nothing_once_the_script_is_applied() {
    let (a, b) = (test_database().await, test_database().await);
    let (ca, cb) = (a.connect().await, b.connect().await);
    ca.batch_execute("CREATE TABLE users (id integer PRIMARY KEY); CREATE FUNCTION one() RETURNS int LANGUAGE sql AS 'select 1';")
        .await
        .unwrap();
    cb.batch_execute("CREATE TABLE users (id integer PRIMARY KEY, email text); CREATE INDEX users_email_idx ON users (email);")
        .await
        .unwrap();
    let cwd = tempfile::tempdir().unwrap();
    let (ua, ub) = (a.url().to_string(), b.url().to_string());

    let shown = run_async(cwd.path(), &["diff", "--from", &ua, "--to", &ub]).await;
    assert_eq!(shown.status.code(), Some(0), "{}", text(&shown));
    let stdout = String::from_utf8_lossy(&shown.stdout);
    assert!(
        stdout.contains(r#"ALTER TABLE "users" ADD COLUMN "email" text;"#),
        "{}",
        text(&shown)
    );
    assert!(
        stdout.contains(r#"CREATE INDEX "users_email_idx" ON "users""#),
        "{}",
        text(&shown)
    );
    assert!(
        String::from_utf8_lossy(&shown.stderr)
            .contains("left alone (not managed): function public.one"),
        "{}",
        text(&shown)
    );

    let differs = run_async(
        cwd.path(),
        &["diff", "--from", &ua, "--to", &ub, "--exit-code"],
    )
    .await;
    assert_eq!(differs.status.code(), Some(1), "{}", text(&differs));

    let unified = run_async(
        cwd.path(),
        &["diff", "--from", &ua, "--to", &ub, "--format", "unified"],
    )
    .await;
    let u = String::from_utf8_lossy(&unified.stdout);
    assert!(u.contains("+\t\"email\" text"), "{}", text(&unified));
    assert!(
        u.contains("+CREATE INDEX \"users_email_idx\""),
        "{}",
        text(&unified)
    );
    assert!(!u.contains('\x1b'), "no colour off a terminal: {u}");

    let script = run_async(
        cwd.path(),
        &["diff", "--from", &ua, "--to", &ub, "--script"],
    )
    .await;
    let sql = String::from_utf8_lossy(&script.stdout).to_string();
    assert!(
        !sql.contains("-- hazard") && sql.contains("--> statement-breakpoint"),
        "{sql}"
    );
    for statement in sql.split("--> statement-breakpoint") {
        ca.batch_execute(statement).await.unwrap();
    }
    let same = run_async(
        cwd.path(),
        &["diff", "--from", &ua, "--to", &ub, "--exit-code"],
    )
    .await;
    assert_eq!(same.status.code(), Some(0), "{}", text(&same));
    assert!(
        String::from_utf8_lossy(&same.stdout).contains("No differences"),
        "{}",
        text(&same)
    );
    // The function was left as it was.
    let one: i32 = ca.query_one("SELECT one()", &[]).await.unwrap().get(0);
    assert_eq!(one, 1);
}

#[tokio::test]
async fn a_database_against_code_is_what_push_plans() {
    use vitaes_migrate::diff::Change;
    use vitaes_migrate::introspect::Filter;
    use vitaes_migrate::push::{plan, PushOptions};

    let db = test_database().await;
    let client = db.connect().await;
    client
        .batch_execute("CREATE TABLE users (id integer PRIMARY KEY)")
        .await
        .unwrap();
    let cwd = tempfile::tempdir().unwrap();
    std::fs::write(cwd.path().join("schema.rs"), USERS).unwrap();
    let out = run_async(
        cwd.path(),
        &[
            "diff",
            "--from",
            db.url(),
            "--to-schema",
            "schema.rs",
            "--json",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let kinds: Vec<&str> = doc["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    let schema = vitaes_migrate::source::load_schema(&[cwd.path().join("schema.rs")]).unwrap();
    let pushed = plan(
        &client,
        &schema,
        &PushOptions {
            filter: Filter::for_schema(&schema),
            ..PushOptions::default()
        },
    )
    .await
    .unwrap();
    let push_kinds: Vec<&str> = pushed.changes.iter().map(Change::kind).collect();
    assert!(!push_kinds.is_empty());
    assert_eq!(kinds, push_kinds);
    // And the other way round: what would undo it.
    let back = run_async(
        cwd.path(),
        &[
            "diff",
            "--from-schema",
            "schema.rs",
            "--to",
            db.url(),
            "--json",
        ],
    )
    .await;
    let doc: serde_json::Value = serde_json::from_slice(&back.stdout).unwrap();
    let kinds: Vec<&str> = doc["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["drop_index", "drop_column"], "{}", text(&back));
}

#[tokio::test]
async fn a_folder_against_code_is_what_generate_writes() {
    let cwd = tempfile::tempdir().unwrap();
    let v1 = USERS.replace(", index(name = \"users_email_idx\", columns(email))", "");
    std::fs::write(cwd.path().join("schema.rs"), &v1).unwrap();
    let generated = run_async(
        cwd.path(),
        &["generate", "--schema", "schema.rs", "--out", "drizzle"],
    )
    .await;
    assert_eq!(generated.status.code(), Some(0), "{}", text(&generated));
    std::fs::write(cwd.path().join("schema.rs"), USERS).unwrap();
    let shown = run_async(
        cwd.path(),
        &[
            "diff",
            "--from",
            "drizzle",
            "--to-schema",
            "schema.rs",
            "--script",
        ],
    )
    .await;
    assert_eq!(shown.status.code(), Some(0), "{}", text(&shown));
    let second = run_async(
        cwd.path(),
        &["generate", "--schema", "schema.rs", "--out", "drizzle"],
    )
    .await;
    assert_eq!(second.status.code(), Some(0), "{}", text(&second));
    let written = crate::paths::sql_files(&cwd.path().join("drizzle"));
    let diffed = String::from_utf8_lossy(&shown.stdout);
    assert_eq!(
        diffed.trim_end(),
        written[1].replace("-- hazard: lock\n", "").trim_end()
    );
    // From nothing, the whole schema.
    let all = run_async(
        cwd.path(),
        &["diff", "--from", "empty", "--to", "drizzle", "--script"],
    )
    .await;
    assert!(
        String::from_utf8_lossy(&all.stdout).contains("CREATE TABLE \"users\""),
        "{}",
        text(&all)
    );
}

#[tokio::test]
async fn a_source_that_is_none_of_them_is_a_usage_error() {
    let cwd = tempfile::tempdir().unwrap();
    std::fs::create_dir(cwd.path().join("src")).unwrap();
    let out = run_async(cwd.path(), &["diff", "--from", "src", "--to", "empty"]).await;
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--from src: not a database URL, `code`, `empty`, or a migrations folder"),
        "{stderr}"
    );
    assert!(stderr.contains("--from-schema src"), "{stderr}");
    let masked = run_async(
        cwd.path(),
        &[
            "diff",
            "--from",
            "postgresql://me:s3cret@127.0.0.1:1/x",
            "--to",
            "empty",
        ],
    )
    .await;
    assert_eq!(masked.status.code(), Some(3), "{}", text(&masked));
    assert!(!text(&masked).contains("s3cret"), "{}", text(&masked));
}

/// A project folder whose `code` is the Vitaes structs, `--out` their folder.
fn vitaes_project() -> tempfile::TempDir {
    let cwd = tempfile::tempdir().unwrap();
    std::fs::write(
        cwd.path().join("vitaes.toml"),
        format!(
            "schema = [{:?}]\nout = {:?}\n",
            vitaes_schema_dir().display().to_string(),
            vitaes_fixture_dir().display().to_string()
        ),
    )
    .unwrap();
    cwd
}

/// `diff ... --script`'s statements run on `client`, one by one.
async fn apply_script(client: &tokio_postgres::Client, out: &std::process::Output) {
    assert_eq!(out.status.code(), Some(0), "{}", text(out));
    let sql = String::from_utf8_lossy(&out.stdout).to_string();
    for statement in sql.split("--> statement-breakpoint") {
        client
            .batch_execute(statement)
            .await
            .unwrap_or_else(|e| panic!("{e:?}\n{statement}"));
    }
}

/// `diff --exit-code` says "the same": exit 0 and nothing planned.
async fn same(cwd: &std::path::Path, from: &str, to: &str) {
    let out = run_async(cwd, &["diff", "--from", from, "--to", to, "--exit-code"]).await;
    assert_eq!(out.status.code(), Some(0), "{from} → {to}: {}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("No differences"),
        "{from} → {to}: {}",
        text(&out)
    );
}

#[tokio::test]
async fn every_source_pair_on_the_vitaes_schema_converges() {
    let cwd = vitaes_project();
    let cwd = cwd.path();
    let folder = vitaes_fixture_dir().display().to_string();
    let (migrated, from_code, from_url) = (
        test_database().await,
        test_database().await,
        test_database().await,
    );
    let out = run_async(cwd, &["migrate", "--url", migrated.url()]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));

    // empty → code: the whole schema, applied to an empty database.
    let (a, b) = (from_code.connect().await, from_url.connect().await);
    apply_script(
        &a,
        &run_async(
            cwd,
            &["diff", "--from", "empty", "--to", "code", "--script"],
        )
        .await,
    )
    .await;
    same(cwd, from_code.url(), "code").await;
    // folder ↔ code and URL ↔ folder: the folder is what the code says, and
    // what its migrations built.
    same(cwd, &folder, "code").await;
    same(cwd, migrated.url(), &folder).await;
    same(cwd, from_code.url(), migrated.url()).await;

    // URL → URL: a database that drifted (a table dropped, a column added, an
    // index gone) is brought back by the plan from it to the migrated one.
    apply_script(
        &b,
        &run_async(
            cwd,
            &["diff", "--from", "empty", "--to", &folder, "--script"],
        )
        .await,
    )
    .await;
    b.batch_execute(
        r#"DROP TABLE "verification";
           ALTER TABLE "resume" ADD COLUMN "draft" boolean DEFAULT true;
           DROP INDEX "idx_resume_slug";"#,
    )
    .await
    .unwrap();
    let differs = run_async(
        cwd,
        &[
            "diff",
            "--from",
            from_url.url(),
            "--to",
            &folder,
            "--exit-code",
        ],
    )
    .await;
    assert_eq!(differs.status.code(), Some(1), "{}", text(&differs));
    let unified = run_async(
        cwd,
        &[
            "diff",
            "--from",
            from_url.url(),
            "--to",
            &folder,
            "--format",
            "unified",
        ],
    )
    .await;
    assert_eq!(unified.status.code(), Some(0), "{}", text(&unified));
    let shown = String::from_utf8_lossy(&unified.stdout)
        .replace(from_url.url(), "<database>")
        .replace(&folder, "<folder>");
    insta::assert_snapshot!("diff_unified_vitaes_drifted", shown);
    apply_script(
        &b,
        &run_async(
            cwd,
            &[
                "diff",
                "--from",
                from_url.url(),
                "--to",
                migrated.url(),
                "--script",
            ],
        )
        .await,
    )
    .await;
    same(cwd, from_url.url(), migrated.url()).await;
    same(cwd, from_url.url(), "code").await;
}

#[tokio::test]
async fn unified_shows_the_vitaes_schema_as_canonical_ddl() {
    let cwd = vitaes_project();
    let all = run_async(
        cwd.path(),
        &[
            "diff", "--from", "empty", "--to", "code", "--format", "unified",
        ],
    )
    .await;
    assert_eq!(all.status.code(), Some(0), "{}", text(&all));
    let shown = String::from_utf8_lossy(&all.stdout)
        .replace(&vitaes_schema_dir().display().to_string(), "<code>");
    insta::assert_snapshot!("diff_unified_vitaes_from_empty", shown);
    // The same schema both ways: no output at all.
    let none = run_async(
        cwd.path(),
        &[
            "diff",
            "--from",
            "code",
            "--to",
            "code",
            "--format",
            "unified",
            "--exit-code",
        ],
    )
    .await;
    assert_eq!(none.status.code(), Some(0), "{}", text(&none));
    assert!(
        !String::from_utf8_lossy(&none.stdout).contains("@@"),
        "{}",
        text(&none)
    );
}

/// On a terminal (`script` gives the binary one) the diff is coloured, and
/// `NO_COLOR` turns that off.
#[test]
fn unified_is_coloured_on_a_terminal_unless_no_color() {
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        panic!("`script` (util-linux) is needed to give the binary a terminal");
    }
    let cwd = vitaes_project();
    let bin = env!("CARGO_BIN_EXE_vitaes-migrate");
    let run = |no_color: Option<&str>| {
        let mut cmd = std::process::Command::new("script");
        cmd.current_dir(cwd.path())
            .env_remove("DATABASE_URL")
            .env_remove("NO_COLOR")
            .args(["-qec"])
            .arg(format!(
                "{bin} diff --from empty --to code --format unified"
            ))
            .arg("/dev/null")
            .stdin(std::process::Stdio::null());
        if let Some(v) = no_color {
            cmd.env("NO_COLOR", v);
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    let coloured = run(None);
    assert!(coloured.contains("\x1b[32m+CREATE TABLE"), "{coloured:?}");
    let plain = run(Some("1"));
    assert!(
        plain.contains("+CREATE TABLE") && !plain.contains('\x1b'),
        "{plain:?}"
    );
}
