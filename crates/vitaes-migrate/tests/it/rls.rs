//! Row-level security and policies against the reference: our snapshots
//! equal drizzle-kit's for the RLS change cases in `compat/drizzle/changes`
//! (their SQL is compared in `changes.rs`), and drizzle-kit finds nothing to
//! do on a folder we wrote.

use std::path::Path;

use serde_json::Value;
use vitaes_migrate::commands::generate::{self, GenerateArgs};
use vitaes_migrate::config::Config;

use crate::drizzle::drizzle_kit_generate;
use crate::paths::repo_root;

const RLS_CASES: &[&str] = &[
    "add_policy",
    "alter_policy",
    "create_table_rls",
    "create_table_with_policies",
    "disable_rls",
    "drop_policy",
    "enable_rls",
];

pub(crate) fn generate(schema: &Path, out: &Path) {
    let args = GenerateArgs {
        schema: vec![schema.to_path_buf()].into(),
        out: Some(out.to_path_buf()).into(),
        ..Default::default()
    };
    generate::run(&args, &Config::default(), out, &mut Vec::new())
        .unwrap_or_else(|e| panic!("generate {}: {e}", schema.display()));
}

/// A snapshot without its chain ids.
pub(crate) fn snapshot(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut doc: Value = serde_json::from_str(&text).unwrap();
    for key in ["id", "prevId"] {
        doc.as_object_mut().unwrap().remove(key);
    }
    doc
}

/// Both sides of each case, as the folder we write holds them.
pub(crate) fn our_folder(case: &str) -> tempfile::TempDir {
    let dir = repo_root().join("compat/drizzle/changes").join(case);
    let out = tempfile::tempdir().unwrap();
    generate(&dir.join("before/schema.rs"), out.path());
    generate(&dir.join("after/schema.rs"), out.path());
    out
}

#[test]
fn snapshots_equal_drizzle_kits() {
    for case in RLS_CASES {
        let out = our_folder(case);
        let theirs = repo_root()
            .join("compat/drizzle/changes")
            .join(case)
            .join("drizzle/meta");
        for n in ["0000", "0001"] {
            let file = format!("{n}_snapshot.json");
            assert_eq!(
                snapshot(&out.path().join("meta").join(&file)),
                snapshot(&theirs.join(&file)),
                "{case}: {file} differs from drizzle-kit's"
            );
        }
    }
}

#[test]
fn drizzle_kit_sees_no_changes_on_our_policies() {
    for case in ["alter_policy", "create_table_rls"] {
        let out = our_folder(case);
        let ts = repo_root()
            .join("compat/drizzle/changes")
            .join(case)
            .join("after");
        let output = drizzle_kit_generate(&ts, out.path(), None);
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            stdout.contains("No schema changes, nothing to migrate"),
            "{case}: drizzle-kit said:\n{stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// Each RLS case's two migrations, ours by our migrate and drizzle-kit's by
/// drizzle-orm's migrator: the same database (`pg_dump --schema-only`, with
/// its `ROW LEVEL SECURITY` and `CREATE POLICY` lines).
#[tokio::test]
async fn our_folders_build_the_databases_drizzle_kits_build() {
    use crate::catalog::supabase_roles;
    use crate::cmd::{command, text};
    use crate::corpus::schema_text;
    use crate::drizzle::drizzle_orm_migrate;
    use vitaes_test_support::test_database;

    let mut with_rls = 0;
    for case in RLS_CASES {
        let ours = our_folder(case);
        let theirs = repo_root()
            .join("compat/drizzle/changes")
            .join(case)
            .join("drizzle");
        let (a, b) = (test_database().await, test_database().await);
        supabase_roles(&a.connect().await).await;
        let (a_url, b_url, folder) = (
            a.url().to_string(),
            b.url().to_string(),
            ours.path().to_path_buf(),
        );
        let (mine, drizzle) = tokio::task::spawn_blocking(move || {
            let cwd = tempfile::tempdir().unwrap();
            (
                command(cwd.path())
                    .args([
                        "migrate",
                        "--out",
                        folder.to_str().unwrap(),
                        "--url",
                        &a_url,
                    ])
                    .output()
                    .unwrap(),
                drizzle_orm_migrate(&theirs, &b_url),
            )
        })
        .await
        .unwrap();
        assert_eq!(mine.status.code(), Some(0), "{case}: {}", text(&mine));
        assert!(drizzle.status.success(), "{case}: {}", text(&drizzle));
        let dump = schema_text(&a.connect().await, a.url()).await;
        assert!(
            dump.contains("CREATE TABLE") || dump.contains("table public."),
            "{case}: {dump}"
        );
        // pg_dump's words, or the catalog text's where no pg_dump fits the server.
        let rls_on = dump.contains("ENABLE ROW LEVEL SECURITY")
            || dump
                .lines()
                .any(|l| l.starts_with("rls ") && l.contains(" true "));
        if rls_on {
            with_rls += 1;
        }
        assert_eq!(
            dump,
            schema_text(&b.connect().await, b.url()).await,
            "{case}"
        );
    }
    // Every case but disable_rls and drop_policy (its table's only policy
    // went, and with it RLS) ends with RLS on.
    assert_eq!(with_rls, RLS_CASES.len() - 2);
}

/// `rls(force)` lives in `internal.vitaes` of our snapshot, a field
/// drizzle-kit's snapshot schema lets through: its generate reads the folder
/// and, having no FORCE of its own, finds nothing to do for `.enableRLS()`.
#[test]
fn drizzle_kit_reads_past_our_forced_rls() {
    let case = repo_root().join("compat/drizzle/changes/create_table_rls");
    let rust = std::fs::read_to_string(case.join("after/schema.rs")).unwrap();
    let forced = rust.replace("name = \"notes\", rls)", "name = \"notes\", rls(force))");
    assert_ne!(forced, rust);
    let src = tempfile::tempdir().unwrap();
    std::fs::write(src.path().join("schema.rs"), forced).unwrap();
    let out = tempfile::tempdir().unwrap();
    generate(&src.path().join("schema.rs"), out.path());
    let sql_file = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "sql"))
        .expect("generate wrote a migration");
    let sql = std::fs::read_to_string(sql_file).unwrap();
    assert!(
        sql.contains("ALTER TABLE \"notes\" FORCE ROW LEVEL SECURITY;"),
        "{sql}"
    );
    let doc = snapshot(&out.path().join("meta/0000_snapshot.json"));
    assert_eq!(
        doc["internal"]["vitaes"]["forceRowLevelSecurity"],
        serde_json::json!(["public.notes"])
    );
    let output = drizzle_kit_generate(&case.join("after"), out.path(), None);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("No schema changes, nothing to migrate"),
        "drizzle-kit said:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[allow(dead_code)]
mod derived {
    use vitaes_schema::Table;

    #[derive(Table)]
    #[table(
        rls,
        policy(name = "own", for = "update", to("authenticated"), using = "owner = current_user", with_check = unchecked("owner = current_user")),
        policy(name = "none", as = "restrictive")
    )]
    pub struct Notes {
        pub owner: String,
    }
}

#[test]
fn the_derive_carries_rls_and_policies() {
    use vitaes_schema_core::{PolicyCommand, PolicyKind};
    let schema = vitaes_schema::SchemaBuilder::new()
        .table::<derived::Notes>()
        .build()
        .unwrap();
    let t = schema.table("public", "notes").unwrap();
    assert!(t.rls);
    let names: Vec<_> = t
        .policies
        .iter()
        .map(|p| (p.name.as_str(), p.kind, p.command))
        .collect();
    assert_eq!(
        names,
        [
            ("own", PolicyKind::Permissive, PolicyCommand::Update),
            ("none", PolicyKind::Restrictive, PolicyCommand::All)
        ]
    );
    assert_eq!(
        t.policies[0].with_check.as_deref(),
        Some("owner = current_user")
    );
    assert_eq!(t.policies[1].to, ["public"]);
}

// ---- push ------------------------------------------------------------------

mod push {

    use vitaes_migrate::introspect::Filter;
    use vitaes_migrate::push::{plan, push, ApplyError, PushError, PushOptions};

    use vitaes_test_support::test_database;

    use crate::catalog::supabase_roles;
    use crate::sources::{kinds, options, schema_from};

    const PLAIN: &str = "#[derive(Table)] pub struct Note { #[column(primary_key)] pub id: i32, pub owner: String }";
    /// Expressions written as PostgreSQL would not store them: qualified,
    /// `IN`, lower-case functions.
    const POLICIES: &str = r#"
    #[derive(Table)]
    #[table(
        policy(name = "read", for = "select", to("authenticated", "anon"),
               using = "\"note\".\"owner\" IN ('a', 'b') OR \"note\".\"owner\" = current_user"),
        policy(name = "write", as = "restrictive", for = "update", to("authenticated"),
               using = "id > 0", with_check = "length(owner) < 10"),
        policy(name = "all_rows")
    )]
    pub struct Note { #[column(primary_key)] pub id: i32, pub owner: String }
    "#;
    const RLS_ONLY: &str = "#[derive(Table)] #[table(rls)] pub struct Note { #[column(primary_key)] pub id: i32, pub owner: String }";

    #[tokio::test]
    async fn policies_push_once_then_nothing() {
        let schema = schema_from(POLICIES);
        let db = test_database().await;
        let client = db.connect().await;
        supabase_roles(&client).await;
        let first = plan(&client, &schema, &options(&schema)).await.unwrap();
        assert_eq!(
            kinds(&first),
            [
                "create_table",
                "enable_rls",
                "create_policy",
                "create_policy",
                "create_policy"
            ]
        );
        push(&client, &schema, &options(&schema)).await.unwrap();
        let again = plan(&client, &schema, &options(&schema)).await.unwrap();
        assert!(again.is_empty(), "second push plans {:?}", kinds(&again));
    }

    #[tokio::test]
    async fn a_policy_changed_by_hand_is_planned_back() {
        let schema = schema_from(POLICIES);
        let cases: &[(&str, &[&str])] = &[
            ("ALTER POLICY \"read\" ON note USING (true)", &["alter_policy"]),
            ("ALTER POLICY \"read\" ON note TO anon", &["alter_policy"]),
            ("ALTER POLICY \"write\" ON note WITH CHECK (true)", &["alter_policy"]),
            (
                "DROP POLICY \"write\" ON note; CREATE POLICY \"write\" ON note AS RESTRICTIVE FOR DELETE TO authenticated USING (id > 0)",
                &["drop_policy", "create_policy"],
            ),
            ("DROP POLICY all_rows ON note", &["create_policy"]),
            ("CREATE POLICY by_hand ON note USING (false)", &["drop_policy"]),
            ("ALTER TABLE note DISABLE ROW LEVEL SECURITY", &["enable_rls"]),
        ];
        for (mutation, expected) in cases {
            let db = test_database().await;
            let client = db.connect().await;
            supabase_roles(&client).await;
            push(&client, &schema, &options(&schema)).await.unwrap();
            client.batch_execute(mutation).await.unwrap();
            let planned = plan(&client, &schema, &options(&schema)).await.unwrap();
            assert_eq!(kinds(&planned), *expected, "{mutation}");
            push(&client, &schema, &options(&schema)).await.unwrap();
            let again = plan(&client, &schema, &options(&schema)).await.unwrap();
            assert!(
                again.is_empty(),
                "{mutation}: pushed back, then {:?}",
                kinds(&again)
            );
        }
    }

    #[tokio::test]
    async fn a_policy_renamed_from_its_old_name_is_renamed_in_place() {
        let before = schema_from(
            r#"#[derive(Table)]
            #[table(policy(name = "read", for = "select", to("authenticated"), using = "id > 0"))]
            pub struct Note { #[column(primary_key)] pub id: i32, pub owner: String }"#,
        );
        let after = schema_from(
            r#"#[derive(Table)]
            #[table(policy(name = "owners_read", for = "select", to("authenticated"), using = "id > 0", renamed_from = "read"))]
            pub struct Note { #[column(primary_key)] pub id: i32, pub owner: String }"#,
        );
        let db = test_database().await;
        let client = db.connect().await;
        supabase_roles(&client).await;
        push(&client, &before, &options(&before)).await.unwrap();
        client
            .batch_execute("INSERT INTO note VALUES (1, 'a'), (2, 'b')")
            .await
            .unwrap();
        let planned = plan(&client, &after, &options(&after)).await.unwrap();
        assert_eq!(kinds(&planned), ["rename_policy"]);
        push(&client, &after, &options(&after)).await.unwrap();
        let names: Vec<String> = client
            .query(
                "SELECT p.polname::text FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
                 WHERE c.relname = 'note' ORDER BY 1",
                &[],
            )
            .await
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        assert_eq!(names, ["owners_read"]);
        let rows: i64 = client
            .query_one("SELECT count(*) FROM note", &[])
            .await
            .unwrap()
            .get(0);
        assert_eq!(rows, 2);
        let again = plan(&client, &after, &options(&after)).await.unwrap();
        assert!(again.is_empty(), "pushed, then {:?}", kinds(&again));
    }

    #[tokio::test]
    async fn rls_on_a_table_with_rows_is_a_hazard_refused_unless_forced() {
        let (plain, rls) = (schema_from(PLAIN), schema_from(RLS_ONLY));
        let db = test_database().await;
        let client = db.connect().await;
        push(&client, &plain, &options(&plain)).await.unwrap();
        client
            .batch_execute("INSERT INTO note VALUES (1, 'a'), (2, 'b')")
            .await
            .unwrap();
        let careful = PushOptions {
            force: false,
            ..options(&rls)
        };
        match push(&client, &rls, &careful).await {
            Err(PushError::Apply(ApplyError::Hazardous(p))) => {
                let names: Vec<_> = p.hazards().concat().iter().map(|h| h.as_str()).collect();
                assert_eq!(names, ["rows-hidden"]);
            }
            other => panic!("expected a refusal: {other:?}"),
        }
        push(&client, &rls, &options(&rls)).await.unwrap();
        let on: bool = client
            .query_one(
                "SELECT relrowsecurity FROM pg_class WHERE relname = 'note'",
                &[],
            )
            .await
            .unwrap()
            .get(0);
        assert!(on);
        let rows: i64 = client
            .query_one("SELECT count(*) FROM note", &[])
            .await
            .unwrap()
            .get(0);
        assert_eq!(rows, 2, "the owner still sees its rows");
        assert!(plan(&client, &rls, &options(&rls))
            .await
            .unwrap()
            .is_empty());
        // Back off again: policies of RLS-only tables dropped, RLS disabled.
        push(&client, &plain, &options(&plain)).await.unwrap();
        assert!(plan(&client, &plain, &options(&plain))
            .await
            .unwrap()
            .is_empty());
    }

    const FORCED: &str = "#[derive(Table)] #[table(rls(force), policy(name = \"mine\", using = \"owner = 'a'\"))] pub struct Note { #[column(primary_key)] pub id: i32, pub owner: String }";

    async fn forced(client: &tokio_postgres::Client) -> (bool, bool) {
        let row = client
            .query_one(
                "SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = 'note'",
                &[],
            )
            .await
            .unwrap();
        (row.get(0), row.get(1))
    }

    /// `rls(force)`: the owner is bound by the policies too, so forcing it on
    /// a table with rows hides them from the owner (a hazard, with the rows
    /// counted); `NO FORCE` by hand is planned back.
    #[tokio::test]
    async fn forced_rls_binds_the_owner_and_is_planned_back() {
        let (plain, force) = (schema_from(PLAIN), schema_from(FORCED));
        let db = test_database().await;
        let client = db.connect().await;
        push(&client, &plain, &options(&plain)).await.unwrap();
        client
            .batch_execute("INSERT INTO note VALUES (1, 'a'), (2, 'b'), (3, 'c')")
            .await
            .unwrap();
        let planned = plan(&client, &force, &options(&force)).await.unwrap();
        assert_eq!(
            kinds(&planned),
            ["enable_rls", "force_rls", "create_policy"]
        );
        let hazards: Vec<_> = planned
            .hazards()
            .concat()
            .iter()
            .map(|h| h.as_str())
            .collect();
        assert_eq!(hazards, ["rows-hidden", "rows-hidden"]);
        let version = client
            .query_one("SHOW server_version_num", &[])
            .await
            .unwrap()
            .get::<_, String>(0)
            .parse()
            .unwrap();
        let facts = vitaes_migrate::push::facts::facts(&client, &planned, version)
            .await
            .unwrap();
        assert_eq!(facts[1].as_ref().map(|f| f.rows), Some(3), "{facts:?}");
        push(&client, &force, &options(&force)).await.unwrap();
        assert_eq!(forced(&client).await, (true, true));
        // The test's superuser bypasses RLS whatever it says; an owner that is not one does not.
        let db_name: String = client
            .query_one("SELECT current_database()::text", &[])
            .await
            .unwrap()
            .get(0);
        let owner = format!("{db_name}_owner");
        client
            .batch_execute(&format!(
                "CREATE ROLE \"{owner}\"; ALTER TABLE note OWNER TO \"{owner}\"; SET ROLE \"{owner}\""
            ))
            .await
            .unwrap();
        let seen: i64 = client
            .query_one("SELECT count(*) FROM note", &[])
            .await
            .unwrap()
            .get(0);
        client
            .batch_execute(&format!(
                "RESET ROLE; ALTER TABLE note OWNER TO CURRENT_USER; DROP ROLE \"{owner}\""
            ))
            .await
            .unwrap();
        assert_eq!(seen, 1, "the owner sees only what the policy admits");
        assert!(plan(&client, &force, &options(&force))
            .await
            .unwrap()
            .is_empty());
        client
            .batch_execute("ALTER TABLE note NO FORCE ROW LEVEL SECURITY")
            .await
            .unwrap();
        let back = plan(&client, &force, &options(&force)).await.unwrap();
        assert_eq!(kinds(&back), ["force_rls"]);
        push(&client, &force, &options(&force)).await.unwrap();
        assert_eq!(forced(&client).await, (true, true));
        // introspect's text form says it.
        let url = db.url().to_string();
        let printed = tokio::task::spawn_blocking(move || {
            let cwd = tempfile::tempdir().unwrap();
            crate::cmd::text(
                &crate::cmd::command(cwd.path())
                    .args(["introspect", "--url", &url])
                    .output()
                    .unwrap(),
            )
        })
        .await
        .unwrap();
        assert!(
            printed.contains(
                "public.note: 2 columns, 1 indexes, 0 foreign keys, row-level security (forced), 1 policy"
            ),
            "{printed}"
        );
        // Off again: NO FORCE and DISABLE planned, nothing after.
        push(&client, &plain, &options(&plain)).await.unwrap();
        assert_eq!(forced(&client).await, (false, false));
        assert!(plan(&client, &plain, &options(&plain))
            .await
            .unwrap()
            .is_empty());
    }

    #[tokio::test]
    async fn policies_of_tables_outside_the_filter_are_never_touched() {
        let schema = schema_from(PLAIN);
        let db = test_database().await;
        let client = db.connect().await;
        client
            .batch_execute(
                "CREATE SCHEMA other;
                 CREATE TABLE other.secret (id int);
                 ALTER TABLE other.secret ENABLE ROW LEVEL SECURITY;
                 CREATE POLICY theirs ON other.secret USING (id > 0);
                 CREATE TABLE public.legacy_t (id int);
                 ALTER TABLE public.legacy_t ENABLE ROW LEVEL SECURITY;
                 CREATE POLICY theirs ON public.legacy_t USING (id > 0);",
            )
            .await
            .unwrap();
        let filter = Filter {
            tables: vec!["*".into(), "!legacy_*".into()],
            ..Filter::for_schema(&schema)
        };
        let opts = PushOptions {
            filter,
            ..options(&schema)
        };
        let planned = plan(&client, &schema, &opts).await.unwrap();
        assert_eq!(kinds(&planned), ["create_table"]);
        push(&client, &schema, &opts).await.unwrap();
        let policies: i64 = client
            .query_one(
                "SELECT count(*) FROM pg_policy WHERE polname = 'theirs'",
                &[],
            )
            .await
            .unwrap()
            .get(0);
        assert_eq!(policies, 2);
    }
}
