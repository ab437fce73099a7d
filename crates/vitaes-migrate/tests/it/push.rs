//! `push` through the library: idempotent on both schemas, empty on a
//! database drizzle-kit built, a change made by hand planned back exactly,
//! nothing left behind by a statement that fails, hazards refused unless forced.

use std::path::Path;

use vitaes_migrate::diff::phases::PhaseKind;
use vitaes_migrate::exit_code::exit_code;
use vitaes_migrate::push::{plan, push, ApplyError, PushError, PushOptions};
use vitaes_migrate::source::load_schema;
use vitaes_schema_core::Schema;
use vitaes_test_support::test_database;

use crate::catalog::{apply_each, dump};
use crate::every_schema;
use crate::paths::{only_sql_file, repo_root, vitaes_fixture_dir, vitaes_schema_dir};
use crate::sources::{kinds, options, schema_from};

fn schemas() -> Vec<(&'static str, Schema, std::path::PathBuf)> {
    vec![
        (
            "vitaes",
            load_schema(&[vitaes_schema_dir()]).unwrap(),
            vitaes_fixture_dir(),
        ),
        (
            "every",
            load_schema(&[every_schema::source_path()]).unwrap(),
            repo_root().join("compat/drizzle/fixtures/every"),
        ),
    ]
}

#[tokio::test]
async fn push_twice_and_the_second_plan_is_empty() {
    for (name, schema, _) in schemas() {
        let db = test_database().await;
        let client = db.connect().await;
        let report = push(&client, &schema, &options(&schema))
            .await
            .unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert!(report.applied && !report.plan.is_empty(), "{name}");
        let again = plan(&client, &schema, &options(&schema)).await.unwrap();
        assert!(
            again.is_empty(),
            "{name}: second push plans {:#?}",
            again.changes
        );
        assert_eq!(
            dump(&client).await.tables as usize,
            schema.tables.len(),
            "{name}"
        );
    }
}

#[tokio::test]
async fn a_database_drizzle_kit_built_needs_nothing() {
    for (name, schema, fixture) in schemas() {
        let db = test_database().await;
        let client = db.connect().await;
        apply_each(
            &client,
            &std::fs::read_to_string(only_sql_file(&fixture)).unwrap(),
        )
        .await;
        let planned = plan(&client, &schema, &options(&schema)).await.unwrap();
        assert!(planned.is_empty(), "{name}: {:#?}", planned.changes);
    }
}

#[tokio::test]
async fn a_change_made_by_hand_is_planned_back_exactly() {
    let schema = load_schema(&[every_schema::source_path()]).unwrap();
    let cases: &[(&str, &[&str])] = &[
        ("ALTER TABLE organizations ALTER COLUMN seats SET DEFAULT 9", &["set_default"]),
        (
            "ALTER TABLE organizations DROP CONSTRAINT organizations_seats_check, ADD CONSTRAINT organizations_seats_check CHECK (seats > 1)",
            &["drop_check", "add_check"],
        ),
        ("DROP INDEX events_day_idx; CREATE INDEX events_day_idx ON events (day DESC)", &["drop_index", "create_index"]),
        (
            "ALTER TABLE memberships DROP CONSTRAINT memberships_user_id_users_id_fk, ADD CONSTRAINT memberships_user_id_users_id_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE SET NULL",
            &["drop_foreign_key", "add_foreign_key"],
        ),
    ];
    for (mutation, expected) in cases {
        let db = test_database().await;
        let client = db.connect().await;
        push(&client, &schema, &options(&schema)).await.unwrap();
        client.batch_execute(mutation).await.unwrap();
        let planned = plan(&client, &schema, &options(&schema)).await.unwrap();
        assert_eq!(kinds(&planned), *expected, "{mutation}");
        push(&client, &schema, &options(&schema)).await.unwrap();
        assert!(
            plan(&client, &schema, &options(&schema))
                .await
                .unwrap()
                .is_empty(),
            "{mutation}: pushed back"
        );
    }
}

const V1: &str =
    "#[derive(Table)] pub struct Item { #[column(primary_key)] pub id: i32, pub code: String }";
const V2: &str = r#"
#[derive(Table)] pub struct Item {
    #[column(primary_key)] pub id: i32,
    #[column(unique)] pub code: String,
    #[column(default = 0)] pub stock: i32,
    pub note: Option<String>,
}
#[derive(Table)] pub struct Shelf { #[column(primary_key)] pub id: i32 }
"#;

#[tokio::test]
async fn a_failing_statement_leaves_the_database_as_it_was() {
    let (v1, v2) = (schema_from(V1), schema_from(V2));
    let db = test_database().await;
    let client = db.connect().await;
    push(&client, &v1, &options(&v1)).await.unwrap();
    client
        .batch_execute("INSERT INTO item VALUES (1, 'same'), (2, 'same')")
        .await
        .unwrap();
    let before = dump(&client).await;
    let planned = plan(&client, &v2, &options(&v2)).await.unwrap();
    let position = planned
        .changes
        .iter()
        .position(|c| c.kind() == "add_unique")
        .unwrap();
    assert!(
        position >= 3,
        "the failing statement comes after others: {:?}",
        kinds(&planned)
    );
    let err = push(&client, &v2, &options(&v2))
        .await
        .expect_err("duplicate codes");
    let PushError::Apply(ApplyError::StatementFailed { statement, failure }) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(failure.sqlstate.as_deref(), Some("23505"), "{err}");
    assert!(statement.contains("item_code_unique"), "{err}");
    assert!(err.to_string().contains("item_code_unique"), "{err}");
    assert_eq!(
        exit_code(&vitaes_migrate::Error::from(ApplyError::StatementFailed {
            statement: statement.clone(),
            failure: failure.clone()
        })),
        4
    );
    assert_eq!(dump(&client).await, before);
}

#[tokio::test]
async fn hazards_are_refused_unless_forced() {
    let (v1, v2) = (schema_from(V2), schema_from(V1));
    let db = test_database().await;
    let client = db.connect().await;
    push(&client, &v1, &options(&v1)).await.unwrap();
    let before = dump(&client).await;
    let careful = PushOptions {
        force: false,
        ..options(&v2)
    };
    match push(&client, &v2, &careful).await {
        Err(PushError::Apply(ApplyError::Hazardous(p))) => {
            assert!(p.hazards().iter().any(|h| !h.is_empty()))
        }
        other => panic!("expected a refusal: {other:?}"),
    }
    assert_eq!(dump(&client).await, before, "nothing applied");
    let report = push(&client, &v2, &options(&v2)).await.unwrap();
    assert!(report.applied);
    assert!(plan(&client, &v2, &options(&v2)).await.unwrap().is_empty());
}

/// `vitaes-migrate push --url URL ARGS` in a project holding `schema.rs`.
fn cli_push(dir: &Path, url: &str, args: &[&str]) -> (Option<i32>, String, String) {
    let out = assert_cmd::Command::cargo_bin("vitaes-migrate")
        .unwrap()
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .args(["push", "--schema", "schema.rs", "--url", url])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test]
async fn the_push_command_applies_refuses_hazards_without_a_terminal_and_forces() {
    let db = test_database().await;
    let client = db.connect().await;
    let dir = tempfile::tempdir().unwrap();
    let url = db.url().to_string();
    std::fs::write(dir.path().join("schema.rs"), V2).unwrap();
    let run = |args: &'static [&'static str]| {
        let (dir, url) = (dir.path().to_path_buf(), url.clone());
        tokio::task::spawn_blocking(move || cli_push(&dir, &url, args))
    };

    let (code, out, err) = run(&["--dry-run"]).await.unwrap();
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("CREATE TABLE \"item\""), "{out}");
    assert_eq!(dump(&client).await.tables, 0, "a dry run applies nothing");

    let (code, out, err) = run(&[]).await.unwrap();
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("Changes applied"), "{out}");
    let (code, out, _) = run(&[]).await.unwrap();
    assert_eq!((code, out.trim()), (Some(0), "No changes detected"));

    std::fs::write(dir.path().join("schema.rs"), V1).unwrap();
    let before = dump(&client).await;
    let (code, out, err) = run(&[]).await.unwrap();
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(
        out.contains("-- hazard: data-loss") && err.contains("--force"),
        "{out}{err}"
    );
    assert_eq!(dump(&client).await, before, "nothing applied");

    let (code, out, err) = run(&["--json"]).await.unwrap();
    assert_eq!(code, Some(1), "{out}{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).expect("--json prints only JSON");
    assert!(doc["changes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["kind"] == "drop_table"));

    let (code, out, err) = run(&["--force"]).await.unwrap();
    assert_eq!(code, Some(0), "{out}{err}");
    assert_eq!(dump(&client).await.tables, 1);
    let (code, _, err) = run(&["--strict"]).await.unwrap();
    assert_eq!(code, Some(2), "{err}");
}

/// The SQL statements drizzle-kit push printed (its `--verbose` plan).
fn drizzle_statements(output: &std::process::Output) -> Vec<String> {
    let text = String::from_utf8_lossy(&output.stdout);
    let mut statements: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| {
            ["ALTER ", "CREATE ", "DROP ", "DO "]
                .iter()
                .any(|p| l.starts_with(p))
        })
        .map(str::to_string)
        .collect();
    statements.sort();
    statements
}

#[tokio::test]
async fn drizzle_kit_push_sees_on_our_database_what_it_sees_on_its_own() {
    use crate::drizzle::drizzle_kit_push;
    for (name, schema, fixture) in schemas() {
        let ts = repo_root().join("compat/drizzle/schemas").join(name);
        // Ours pushed by us; theirs built by drizzle-kit's own migration.
        let (ours, theirs) = (test_database().await, test_database().await);
        let client = ours.connect().await;
        push(&client, &schema, &options(&schema)).await.unwrap();
        let version: i32 = client
            .query_one("SELECT current_setting('server_version_num')::int", &[])
            .await
            .unwrap()
            .get(0);
        apply_each(
            &theirs.connect().await,
            &std::fs::read_to_string(only_sql_file(&fixture)).unwrap(),
        )
        .await;
        let (on_ours, on_theirs) = tokio::task::spawn_blocking({
            let (ts, a, b) = (ts.clone(), ours.url().to_string(), theirs.url().to_string());
            move || (drizzle_kit_push(&ts, &a), drizzle_kit_push(&ts, &b))
        })
        .await
        .unwrap();
        let stdout = String::from_utf8_lossy(&on_ours.stdout).to_string();
        if name == "vitaes" && version < 180000 {
            assert!(stdout.contains("No changes detected"), "{name}: {stdout}");
        } else if name == "vitaes" {
            // On PostgreSQL 18 drizzle-kit reads the two-column unique back as
            // different from its schema, on its own database too.
            assert_eq!(
                drizzle_statements(&on_theirs),
                [
                    "ALTER TABLE \"resume\" ADD CONSTRAINT \"uk_resume_name_user_email\" UNIQUE(\"name\",\"user_email\");",
                    "ALTER TABLE \"resume\" DROP CONSTRAINT \"uk_resume_name_user_email\";"
                ],
                "{name}: {stdout}"
            );
        }
        // Whatever drizzle-kit plans on its own database (its own false
        // diffs, listed in the README) it plans on ours, and no more.
        assert_eq!(
            drizzle_statements(&on_ours),
            drizzle_statements(&on_theirs),
            "{name}: {stdout}"
        );
    }
}

const FACTS_BASE: &str = r#"
#[derive(PgEnum)] pub enum Mood { Sad, Ok, Happy }
#[derive(Table)] pub struct Gone { #[column(primary_key)] pub id: i32 }
#[derive(Table)] pub struct Owner { #[column(primary_key)] pub id: i32 }
#[derive(Table)] pub struct Wide { #[column(primary_key)] pub id: i32 }
#[derive(Table)] pub struct Item {
    #[column(primary_key)] pub id: i32,
    pub code: String,
    pub note: Option<String>,
    pub maybe: Option<String>,
    pub qty: String,
    pub owner: Option<i32>,
    pub price: i32,
    pub mood: Mood,
}
"#;

const FACTS_TARGET: &str = r#"
#[derive(PgEnum)] pub enum Mood { Sad, Ok }
#[derive(Table)] pub struct Owner { #[column(primary_key)] pub id: i32 }
#[derive(Table)] pub struct Wide { #[column(primary_key)] pub id: i32, pub name: String }
#[derive(Table)]
#[table(check(name = "price_positive", expr = "price > 0"))]
pub struct Item {
    #[column(primary_key)] pub id: i32,
    #[column(unique)] pub code: String,
    pub maybe: String,
    pub qty: i32,
    #[column(references(Owner, id))] pub owner: Option<i32>,
    pub price: i32,
    pub mood: Mood,
}
"#;

#[tokio::test]
async fn live_data_facts_count_rows_and_violations() {
    let (base, target) = (schema_from(FACTS_BASE), schema_from(FACTS_TARGET));
    let db = test_database().await;
    let client = db.connect().await;
    push(&client, &base, &options(&base)).await.unwrap();
    client
        .batch_execute(
            "INSERT INTO gone VALUES (1), (2), (3);
             INSERT INTO owner VALUES (1);
             INSERT INTO wide VALUES (1), (2);
             INSERT INTO item VALUES
               (1, 'a', 'n1', NULL, '1', 1, 5, 'sad'),
               (2, 'a', 'n2', 'm', 'x', 99, -1, 'happy'),
               (3, 'b', NULL, 'm', '3', NULL, 7, 'ok');",
        )
        .await
        .unwrap();
    let version: i32 = client
        .query_one("SELECT current_setting('server_version_num')::int", &[])
        .await
        .unwrap()
        .get(0);
    let planned = plan(&client, &target, &options(&target)).await.unwrap();
    let facts = vitaes_migrate::push::facts::facts(&client, &planned, version)
        .await
        .unwrap();
    let seen: Vec<(String, i64, bool)> = planned
        .changes
        .iter()
        .zip(&facts)
        .filter_map(|(c, f)| {
            f.as_ref()
                .map(|f| (format!("{} {}", c.kind(), c.object()), f.rows, f.fails))
        })
        .collect();
    let mut expected = vec![
        ("drop_table public.gone".to_string(), 3, false),
        ("drop_column public.item.note".to_string(), 2, false),
        ("set_not_null public.item.maybe".to_string(), 1, true),
        (
            "add_unique public.item.item_code_unique".to_string(),
            2,
            true,
        ),
        ("add_check public.item.price_positive".to_string(), 1, true),
        (
            "add_foreign_key public.item.item_owner_owner_id_fk".to_string(),
            1,
            true,
        ),
        ("add_column public.wide.name".to_string(), 2, true),
        ("rebuild_enum public.mood".to_string(), 1, true),
    ];
    if version >= 160000 {
        expected.push(("alter_column_type public.item.qty".to_string(), 1, true));
    }
    let (mut seen_sorted, mut expected_sorted) = (seen.clone(), expected.clone());
    seen_sorted.sort();
    expected_sorted.sort();
    assert_eq!(seen_sorted, expected_sorted);

    // The command says so before anything runs.
    let before = dump(&client).await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("schema.rs"), FACTS_TARGET).unwrap();
    let url = db.url().to_string();
    let (code, out, err) = tokio::task::spawn_blocking({
        let dir = dir.path().to_path_buf();
        move || cli_push(&dir, &url, &["--force"])
    })
    .await
    .unwrap();
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(
        err.contains("cannot succeed on the current data")
            && err.contains("2 rows with duplicate values"),
        "{err}"
    );
    assert!(out.contains("3 rows in the table"), "{out}");
    assert_eq!(dump(&client).await, before);
}

/// A new `unique, concurrently` index and a foreign key onto its column, in
/// one push: the key waits for the index, built outside the transaction, and
/// a second push plans nothing.
#[tokio::test]
async fn a_foreign_key_onto_a_new_concurrent_unique_index_is_pushed_after_it() {
    let v1 = schema_from(
        "#[derive(Table)] #[table(name = \"a\")] pub struct A { #[column(primary_key)] pub id: i32, pub code: i32 }
         #[derive(Table)] #[table(name = \"b\")] pub struct B { #[column(primary_key)] pub id: i32 }",
    );
    let v2 = schema_from(
        "#[derive(Table)] #[table(name = \"a\", index(name = \"a_code_uidx\", columns(code), unique, concurrently))]
         pub struct A { #[column(primary_key)] pub id: i32, pub code: i32 }
         #[derive(Table)] #[table(name = \"b\")]
         pub struct B { #[column(primary_key)] pub id: i32, #[column(references(A, code))] pub a_code: Option<i32> }",
    );
    let db = test_database().await;
    let client = db.connect().await;
    push(&client, &v1, &options(&v1)).await.unwrap();
    let report = push(&client, &v2, &options(&v2))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(report.applied);
    let phases = vitaes_migrate::diff::phases::phase_plans(&report.plan);
    let phases: Vec<_> = phases.iter().map(|(k, p)| (*k, kinds(p))).collect();
    assert_eq!(
        phases,
        [
            (PhaseKind::Transactional, vec!["add_column"]),
            (
                PhaseKind::OutsideTransaction,
                vec!["create_index", "add_foreign_key"]
            )
        ]
    );
    let row = client
        .query_one(
            "SELECT i.indisvalid, i.indisunique,
                    (SELECT count(*) FROM pg_constraint WHERE conname = 'b_a_code_a_code_fk' AND contype = 'f')
               FROM pg_index i WHERE i.indexrelid = 'public.a_code_uidx'::regclass",
            &[],
        )
        .await
        .unwrap();
    assert!(row.get::<_, bool>(0) && row.get::<_, bool>(1));
    assert_eq!(row.get::<_, i64>(2), 1);
    let again = plan(&client, &v2, &options(&v2)).await.unwrap();
    assert!(again.is_empty(), "second push plans {:#?}", again.changes);
}

/// An enum value added and used by a default in one push: the value is
/// committed first (the rule `generate` splits files by), the rest follows,
/// and a second push plans nothing. Added and not used, it stays in the one
/// transaction, so a failing push keeps nothing of it.
#[tokio::test]
async fn an_enum_value_added_and_used_is_committed_first() {
    let source = |values: &str, default: &str, extra: &str| {
        schema_from(&format!(
            "#[derive(PgEnum)] #[pg_enum(name = \"mood\")] pub enum Mood {{ {values} }}
             #[derive(Table)] #[table(name = \"diary\")] pub struct Diary {{
                 #[column(primary_key)] pub id: i32,
                 #[column(default = \"{default}\")] pub mood: Mood,
                 {extra}
             }}"
        ))
    };
    let v1 = source("Sad, Ok", "ok", "");
    let db = test_database().await;
    let client = db.connect().await;
    push(&client, &v1, &options(&v1)).await.unwrap();

    let v2 = source("Sad, Ok, Meh", "meh", "");
    let report = push(&client, &v2, &options(&v2))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(kinds(&report.plan), ["add_enum_value", "set_default"]);
    let again = plan(&client, &v2, &options(&v2)).await.unwrap();
    assert!(again.is_empty(), "second push plans {:#?}", again.changes);

    // Not used: one transaction, so a failure leaves the enum as it was.
    client
        .batch_execute("INSERT INTO diary (id) VALUES (1), (2)")
        .await
        .unwrap();
    let v3 = source("Sad, Ok, Meh, Fine", "meh", "pub code: i32,");
    let err = push(&client, &v3, &options(&v3))
        .await
        .expect_err("a NOT NULL column without a default fails on rows");
    assert!(
        matches!(err, PushError::Apply(ApplyError::StatementFailed { .. })),
        "{err:?}"
    );
    let values: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_enum WHERE enumtypid = 'public.mood'::regtype",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(values, 3, "the unused addition rolled back with the rest");
}

/// An enum value the rest uses is committed first; when the body then fails,
/// the error says which values were kept (and that they are harmless), the
/// rest is rolled back, exit 4, and the next push finishes the job.
#[tokio::test]
async fn a_body_failing_after_its_enum_values_says_what_was_kept() {
    let source = |values: &str, default: &str, extra: &str| {
        schema_from(&format!(
            "#[derive(PgEnum)] #[pg_enum(name = \"tone\")] pub enum Tone {{ {values} }}
             #[derive(Table)] #[table(name = \"memo\")] pub struct Memo {{
                 #[column(primary_key)] pub id: i32,
                 #[column(default = \"{default}\")] pub tone: Tone,
                 {extra}
             }}"
        ))
    };
    let v1 = source("Dry, Warm", "dry", "pub code: String,");
    let db = test_database().await;
    let client = db.connect().await;
    push(&client, &v1, &options(&v1)).await.unwrap();
    client
        .batch_execute("INSERT INTO memo (id, code) VALUES (1, 'x'), (2, 'x')")
        .await
        .unwrap();
    let before = dump(&client).await;

    // `Odd` is used by the new default, so it is committed first; the unique
    // key on `code` then fails on the duplicate rows.
    let v2 = source(
        "Dry, Warm, Odd",
        "odd",
        "#[column(unique)] pub code: String,",
    );
    let err = push(&client, &v2, &options(&v2))
        .await
        .expect_err("duplicate codes");
    let PushError::Apply(ApplyError::AfterCommitted {
        committed,
        only_enum_values,
        error,
    }) = &err
    else {
        panic!("{err:?}")
    };
    assert!(*only_enum_values, "{err}");
    assert_eq!(committed.len(), 1, "{err}");
    assert!(committed[0].contains("ADD VALUE 'odd'"), "{err}");
    assert!(
        matches!(**error, ApplyError::StatementFailed { .. }),
        "{err:?}"
    );
    let said = err.to_string();
    assert!(said.contains("memo_code_unique"), "{said}");
    assert!(
        said.contains("kept: earlier phases had committed"),
        "{said}"
    );
    assert!(
        said.contains("ALTER TYPE \"public\".\"tone\" ADD VALUE 'odd'"),
        "{said}"
    );
    assert!(said.contains("harmless"), "{said}");
    let PushError::Apply(apply_error) = err else {
        unreachable!("matched above")
    };
    assert_eq!(exit_code(&vitaes_migrate::Error::from(apply_error)), 4);

    let labels: Vec<String> = client
        .query(
            "SELECT enumlabel::text FROM pg_enum WHERE enumtypid = 'public.tone'::regtype ORDER BY enumsortorder",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(labels, ["dry", "warm", "odd"], "the value stays");
    // Besides that value, nothing changed.
    let mut expected = before.lines.clone();
    let at = expected
        .iter()
        .position(|l| l == "enum public.tone dry,warm")
        .expect("the catalog dump lists enum labels");
    expected[at] = "enum public.tone dry,warm,odd".to_string();
    assert_eq!(dump(&client).await.lines, expected);

    client
        .batch_execute("UPDATE memo SET code = 'y' WHERE id = 2")
        .await
        .unwrap();
    let report = push(&client, &v2, &options(&v2))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        !report
            .plan
            .changes
            .iter()
            .any(|c| c.kind() == "add_enum_value"),
        "the kept value is not added again: {:?}",
        kinds(&report.plan)
    );
    assert!(plan(&client, &v2, &options(&v2)).await.unwrap().is_empty());
}
