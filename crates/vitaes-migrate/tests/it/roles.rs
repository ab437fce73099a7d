//! Roles: `generate` on the twin in `compat/drizzle/roles` writes drizzle-kit
//! 0.31's statements and snapshots (and drizzle-kit finds nothing to do on
//! our folder); `push` creates roles once, never touches a provider's, and
//! refuses a policy to a role the database does not have.

use std::path::{Path, PathBuf};

use serde_json::Value;
use vitaes_migrate::commands::generate::{self, GenerateArgs};
use vitaes_migrate::config::{Config, ConfigFile, RolesSection};

use crate::drizzle::drizzle_kit_generate;
use crate::paths::repo_root;

fn twin(side: &str) -> PathBuf {
    repo_root().join("compat/drizzle/roles").join(side)
}

fn managed(include: &[&str]) -> Config {
    Config {
        file: ConfigFile {
            roles: RolesSection {
                manage: true,
                include: include.iter().map(|s| s.to_string()).collect(),
                ..RolesSection::default()
            },
            ..ConfigFile::default()
        },
        ..Config::default()
    }
}

fn generate(schema: &Path, out: &Path, config: &Config) {
    let args = GenerateArgs {
        schema: vec![schema.to_path_buf()].into(),
        out: Some(out.to_path_buf()).into(),
        ..Default::default()
    };
    generate::run(&args, config, out, &mut Vec::new())
        .unwrap_or_else(|e| panic!("generate {}: {e}", schema.display()));
}

/// The statements of each of the folder's migrations, in order, without
/// our hazard comments.
fn statements(out: &Path) -> Vec<Vec<String>> {
    let mut sql: Vec<PathBuf> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    sql.sort();
    sql.iter()
        .map(|p| {
            std::fs::read_to_string(p)
                .unwrap()
                .split("--> statement-breakpoint")
                .map(|s| {
                    let lines: Vec<&str> =
                        s.lines().filter(|l| !l.starts_with("-- hazard")).collect();
                    lines.join("\n").trim().to_string()
                })
                .filter(|s| !s.is_empty())
                .collect()
        })
        .collect()
}

/// The folder's migrations (statements) and its two snapshots (without ids).
fn folder(out: &Path) -> (Vec<Vec<String>>, Vec<Value>) {
    let snapshots = ["0000", "0001"]
        .iter()
        .map(|n| {
            let path = out.join("meta").join(format!("{n}_snapshot.json"));
            let mut doc: Value =
                serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
            for key in ["id", "prevId"] {
                doc.as_object_mut().unwrap().remove(key);
            }
            doc
        })
        .collect();
    (statements(out), snapshots)
}

fn ours() -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let config = managed(&["vt_gone"]);
    generate(&twin("before/schema.rs"), out.path(), &config);
    generate(&twin("after/schema.rs"), out.path(), &config);
    out
}

#[test]
fn statements_and_snapshots_equal_drizzle_kits() {
    let theirs = tempfile::tempdir().unwrap();
    for side in ["before", "after"] {
        let output = drizzle_kit_generate(&twin(side), theirs.path(), None);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let ours = ours();
    let (our_sql, our_snaps) = folder(ours.path());
    let (mut their_sql, their_snaps) = folder(theirs.path());
    assert_eq!(our_snaps, their_snaps);
    assert_eq!(
        their_snaps[1]["roles"],
        serde_json::json!({
            "vt_admin": {"name": "vt_admin", "createDb": true, "createRole": true, "inherit": false},
        })
    );
    // drizzle-kit drops roles before anything else, which PostgreSQL refuses
    // while a policy still names the role; ours come last.
    let drops: Vec<String> = their_sql[1]
        .iter()
        .filter(|s| s.starts_with("DROP ROLE"))
        .cloned()
        .collect();
    their_sql[1].retain(|s| !s.starts_with("DROP ROLE"));
    their_sql[1].extend(drops);
    assert_eq!(our_sql, their_sql);
    assert!(our_sql[0].contains(&r#"CREATE ROLE "vt_gone" WITH CREATEDB NOINHERIT;"#.to_string()));
    assert!(our_sql[1]
        .contains(&r#"ALTER ROLE "vt_admin" WITH CREATEDB CREATEROLE NOINHERIT;"#.to_string()));
    assert!(our_sql[1].contains(&r#"DROP ROLE "vt_gone";"#.to_string()));
}

#[test]
fn drizzle_kit_sees_no_changes_on_our_roles() {
    let ours = ours();
    let output = drizzle_kit_generate(&twin("after"), ours.path(), None);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("No schema changes, nothing to migrate"),
        "drizzle-kit said:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn a_role_not_included_is_not_dropped_and_unmanaged_roles_are_not_written() {
    let out = tempfile::tempdir().unwrap();
    let config = managed(&[]);
    generate(&twin("before/schema.rs"), out.path(), &config);
    generate(&twin("after/schema.rs"), out.path(), &config);
    let (sql, _) = folder(out.path());
    assert!(
        sql[1].iter().all(|s| !s.starts_with("DROP ROLE")),
        "{:?}",
        sql[1]
    );

    let plain = tempfile::tempdir().unwrap();
    generate(&twin("before/schema.rs"), plain.path(), &Config::default());
    let text = std::fs::read_to_string(plain.path().join("meta/0000_snapshot.json")).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["roles"], serde_json::json!({}));
    let sql = statements(plain.path()).concat().concat();
    assert!(!sql.contains("ROLE"), "{sql}");
}

#[test]
fn the_json_plan_of_role_changes_matches_the_plan_schema() {
    let out = tempfile::tempdir().unwrap();
    let config = managed(&["vt_gone"]);
    generate(&twin("before/schema.rs"), out.path(), &config);
    let args = GenerateArgs {
        schema: vec![twin("after/schema.rs")].into(),
        out: Some(out.path().to_path_buf()).into(),
        json: true.into(),
        ..Default::default()
    };
    let mut printed = Vec::new();
    generate::run(&args, &config, out.path(), &mut printed).unwrap();
    let doc: Value = serde_json::from_slice(&printed).unwrap();
    let kinds: Vec<&str> = doc["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["alter_role", "alter_policy", "drop_role"]);
    let text =
        std::fs::read_to_string(repo_root().join("crates/vitaes-migrate/schemas/plan.schema.json"))
            .unwrap();
    let validator = jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap();
    if let Err(error) = validator.validate(&doc) {
        panic!("--json output does not match schemas/plan.schema.json: {error}\n{doc}");
    }
}

#[test]
fn the_roles_section_of_vitaes_toml_is_the_scope() {
    use vitaes_migrate::roles::{Provider, RoleScope};
    let dir = tempfile::tempdir().unwrap();
    let toml = dir.path().join("vitaes.toml");
    std::fs::write(
        &toml,
        "[roles]\nmanage = true\nprovider = \"neon\"\ninclude = [\"old\"]\nexclude = [\"dba\"]\n",
    )
    .unwrap();
    let config = Config::load(None, dir.path()).unwrap();
    assert_eq!(
        config.role_scope(),
        RoleScope {
            manage: true,
            provider: Some(Provider::Neon),
            include: vec!["old".into()],
            exclude: vec!["dba".into()],
        }
    );
    std::fs::write(&toml, "[roles]\nprovider = \"aws\"\n").unwrap();
    let err = Config::load(None, dir.path()).unwrap_err().to_string();
    assert!(err.contains("aws") && err.contains("supabase"), "{err}");
    std::fs::write(&toml, "").unwrap();
    assert_eq!(
        Config::load(None, dir.path()).unwrap().role_scope(),
        RoleScope::default()
    );
}

// ---- push ------------------------------------------------------------------

mod push {
    use vitaes_migrate::diff::Change;
    use vitaes_migrate::introspect::Filter;
    use vitaes_migrate::push::{plan, push, ApplyError, PlanError, PushError, PushOptions};
    use vitaes_migrate::roles::{Provider, RoleScope};

    use vitaes_schema_core::Schema;
    use vitaes_test_support::test_database;

    use crate::catalog::supabase_roles;
    use crate::sources::{kinds, schema_from};

    /// A role name no other test uses: roles belong to the whole cluster.
    fn unique(prefix: &str) -> String {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        format!("{prefix}_{}_{nanos}", std::process::id())
    }

    fn options(schema: &Schema, roles: RoleScope) -> PushOptions {
        PushOptions {
            filter: Filter::for_schema(schema),
            force: true,
            scope: vitaes_migrate::scope::Scope {
                roles,
                comments: false,
            },
            ..PushOptions::default()
        }
    }

    fn managed() -> RoleScope {
        RoleScope {
            manage: true,
            ..RoleScope::default()
        }
    }

    fn notes(role: &str, attrs: &str) -> String {
        format!(
            r#"
            #[derive(PgRole)] #[pg_role(name = "{role}"{attrs})] pub struct Admin;
            #[derive(Table)] #[table(name = "notes", policy(name = "notes_admin", to("{role}")))]
            pub struct Notes {{ #[column(primary_key)] pub id: i32 }}
            "#
        )
    }

    /// Drops what a test made in the cluster: the role outlives its database.
    async fn drop_roles(client: &tokio_postgres::Client, roles: &[&str]) {
        for role in roles {
            // DROP OWNED BY fails for a role that is gone already.
            client
                .batch_execute(&format!(
                    "DROP TABLE IF EXISTS notes; DO $$ BEGIN \
                     IF EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN \
                     DROP OWNED BY \"{role}\"; DROP ROLE \"{role}\"; END IF; END $$"
                ))
                .await
                .unwrap_or_else(|e| panic!("drop role {role}: {e:?}"));
        }
    }

    #[tokio::test]
    async fn a_role_is_created_then_altered_and_push_again_plans_nothing() {
        let role = unique("vt_admin");
        let db = test_database().await;
        let client = db.connect().await;
        let schema = schema_from(&notes(&role, ", create_db, inherit = false"));
        let first = plan(&client, &schema, &options(&schema, managed()))
            .await
            .unwrap();
        assert_eq!(
            kinds(&first),
            ["create_role", "create_table", "enable_rls", "create_policy"]
        );
        let result = push(&client, &schema, &options(&schema, managed())).await;
        let again = plan(&client, &schema, &options(&schema, managed())).await;
        let altered = schema_from(&notes(&role, ", create_role"));
        let alter = async {
            let planned = plan(&client, &altered, &options(&altered, managed())).await?;
            push(&client, &altered, &options(&altered, managed()))
                .await
                .map_err(|e| PlanError::External(vec![e.to_string()]))?;
            let after = plan(&client, &altered, &options(&altered, managed())).await?;
            Ok::<_, PlanError>((planned, after))
        }
        .await;
        let attrs: Option<(bool, bool, bool)> = client
            .query_opt(
                "SELECT rolcreatedb, rolcreaterole, rolinherit FROM pg_roles WHERE rolname = $1",
                &[&role],
            )
            .await
            .unwrap()
            .map(|r| (r.get(0), r.get(1), r.get(2)));
        drop_roles(&client, &[&role]).await;
        result.unwrap();
        let again = again.unwrap();
        assert!(again.is_empty(), "second push plans {:?}", kinds(&again));
        let (planned, after) = alter.unwrap();
        assert_eq!(kinds(&planned), ["alter_role"]);
        assert!(after.is_empty(), "after the alter {:?}", kinds(&after));
        assert_eq!(attrs, Some((false, true, true)));
    }

    #[tokio::test]
    async fn with_supabase_as_provider_its_roles_are_never_created_or_dropped() {
        let db = test_database().await;
        let client = db.connect().await;
        supabase_roles(&client).await;
        let schema = schema_from(
            r#"
            #[derive(PgRole)] #[pg_role(name = "anon")] pub struct Anon;
            #[derive(PgRole)] #[pg_role(name = "service_role", create_db)] pub struct Service;
            #[derive(Table)] #[table(name = "notes", policy(name = "p", to("anon", "authenticated")))]
            pub struct Notes { #[column(primary_key)] pub id: i32 }
            "#,
        );
        let scope = RoleScope {
            manage: true,
            provider: Some(Provider::Supabase),
            include: vec!["anon".into(), "authenticated".into()],
            ..RoleScope::default()
        };
        let planned = plan(&client, &schema, &options(&schema, scope.clone()))
            .await
            .unwrap();
        assert_eq!(
            kinds(&planned),
            ["create_table", "enable_rls", "create_policy"]
        );
        push(&client, &schema, &options(&schema, scope.clone()))
            .await
            .unwrap();
        let without_roles = schema_from(
            "#[derive(Table)] #[table(name = \"notes\")] pub struct Notes { #[column(primary_key)] pub id: i32 }",
        );
        let planned = plan(&client, &without_roles, &options(&without_roles, scope))
            .await
            .unwrap();
        assert!(
            planned.changes.iter().all(|c| !c.kind().ends_with("_role")),
            "{:?}",
            kinds(&planned)
        );
        let present: i64 = client
            .query_one(
                "SELECT count(*) FROM pg_roles WHERE rolname IN ('anon', 'authenticated')",
                &[],
            )
            .await
            .unwrap()
            .get(0);
        assert_eq!(present, 2);
    }

    #[tokio::test]
    async fn a_policy_to_an_absent_role_is_refused_before_anything_runs() {
        let role = unique("vt_absent");
        let db = test_database().await;
        let client = db.connect().await;
        // Declared, but roles are not managed: nothing would create it.
        let schema = schema_from(&notes(&role, ""));
        let err = push(&client, &schema, &options(&schema, RoleScope::default()))
            .await
            .unwrap_err();
        let PushError::Plan(PlanError::AbsentRoles(absent)) = &err else {
            panic!("expected absent roles, got {err}");
        };
        assert_eq!(
            absent,
            &[("public.notes.notes_admin".to_string(), role.clone())]
        );
        let text = err.to_string();
        assert!(
            text.contains("policy public.notes.notes_admin") && text.contains(&role),
            "{text}"
        );
        let tables: i64 = client
            .query_one(
                "SELECT count(*) FROM pg_tables WHERE tablename = 'notes'",
                &[],
            )
            .await
            .unwrap()
            .get(0);
        assert_eq!(tables, 0, "nothing may run before the refusal");
        // `existing` declares it the same way.
        let existing = schema_from(&notes(&role, ", existing"));
        let err = plan(&client, &existing, &options(&existing, managed()))
            .await
            .unwrap_err();
        assert!(matches!(err, PlanError::AbsentRoles(_)), "{err}");
    }

    #[tokio::test]
    async fn a_role_is_dropped_only_when_include_names_it_and_only_with_force() {
        let (kept, dropped) = (unique("vt_kept"), unique("vt_dropped"));
        let db = test_database().await;
        let client = db.connect().await;
        client
            .batch_execute(&format!(
                "CREATE ROLE \"{kept}\"; CREATE ROLE \"{dropped}\""
            ))
            .await
            .unwrap();
        let schema =
            schema_from("#[derive(Table)] pub struct Note { #[column(primary_key)] pub id: i32 }");
        let scope = RoleScope {
            include: vec![dropped.clone()],
            ..managed()
        };
        let planned = plan(&client, &schema, &options(&schema, scope.clone())).await;
        let refused = push(
            &client,
            &schema,
            &PushOptions {
                force: false,
                ..options(&schema, scope.clone())
            },
        )
        .await;
        let forced = push(&client, &schema, &options(&schema, scope.clone())).await;
        let left: Vec<String> = client
            .query(
                "SELECT rolname::text FROM pg_roles WHERE rolname = ANY($1) ORDER BY rolname",
                &[&vec![kept.clone(), dropped.clone()]],
            )
            .await
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        drop_roles(&client, &[&kept, &dropped]).await;
        let planned = planned.unwrap();
        assert_eq!(
            planned.changes,
            [
                Change::CreateTable(schema.tables[0].clone()),
                Change::DropRole(dropped.clone())
            ]
        );
        assert!(
            matches!(refused, Err(PushError::Apply(ApplyError::Hazardous(_)))),
            "{refused:?}"
        );
        forced.unwrap();
        assert_eq!(left, [kept]);
    }

    fn cli_push(dir: &std::path::Path, url: &str) -> (Option<i32>, String) {
        let out = assert_cmd::Command::cargo_bin("vitaes-migrate")
            .unwrap()
            .current_dir(dir)
            .env_remove("DATABASE_URL")
            .args(["push", "--schema", "schema.rs", "--url", url])
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr),
        )
    }

    #[tokio::test]
    async fn the_push_command_reads_roles_from_vitaes_toml() {
        let role = unique("vt_cli");
        let db = test_database().await;
        let client = db.connect().await;
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("schema.rs"), notes(&role, "")).unwrap();
        let (path, url) = (dir.path().to_path_buf(), db.url().to_string());
        let unmanaged = {
            let (path, url) = (path.clone(), url.clone());
            tokio::task::spawn_blocking(move || cli_push(&path, &url))
                .await
                .unwrap()
        };
        std::fs::write(dir.path().join("vitaes.toml"), "[roles]\nmanage = true\n").unwrap();
        let managed = tokio::task::spawn_blocking(move || cli_push(&path, &url))
            .await
            .unwrap();
        let exists: bool = client
            .query_one(
                "SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = $1)",
                &[&role],
            )
            .await
            .unwrap()
            .get(0);
        drop_roles(&client, &[&role]).await;
        assert_eq!(unmanaged.0, Some(2), "{}", unmanaged.1);
        assert!(
            unmanaged.1.contains(&format!(
                "policy public.notes.notes_admin is to role \"{role}\""
            )),
            "{}",
            unmanaged.1
        );
        assert_eq!(managed.0, Some(0), "{}", managed.1);
        assert!(exists, "the push created {role}");
    }
}
