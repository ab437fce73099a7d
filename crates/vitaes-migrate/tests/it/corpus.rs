//! Public drizzle-kit projects nobody here wrote (`compat/corpus/drizzle-projects`,
//! see its README): `check` reports exactly their true findings, `migrate`
//! builds what drizzle-orm's migrator builds (same `pg_dump --schema-only`
//! or catalog, same rows), and the Rust translation of kan's schema is what its folder
//! says.

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;
use tokio_postgres::Client;
use vitaes_test_support::test_database;

use crate::cmd::{command, listing, text};
use crate::drizzle::drizzle_orm_migrate;
use crate::paths::repo_root;

pub(crate) const PROJECTS: [&str; 4] = ["zero", "dokploy", "kan", "onlook"];

pub(crate) fn corpus() -> PathBuf {
    repo_root().join("compat/corpus/drizzle-projects")
}

/// The binary with `args`, in an empty directory (no vitaes.toml).
fn run(args: &[&str]) -> Output {
    let cwd = tempfile::tempdir().unwrap();
    command(cwd.path()).args(args).output().unwrap()
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// `(severity, file, message)` of `check --json`.
fn findings(out: &Output) -> Vec<(String, String, String)> {
    let doc: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("check --json: {e}\n{}", text(out)));
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["severity"].as_str().unwrap().to_string(),
                f["file"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// `(severity, file, a phrase of the message)` of one finding.
type Expected = (&'static str, &'static str, &'static str);

#[test]
fn check_reports_only_each_projects_true_findings() {
    // What each folder really has wrong, verified by hand against the files:
    // (severity, file, a phrase of the message).
    let expected: [(&str, &[Expected]); 4] = [
        (
            "zero",
            &[("error", "0025_far_echo.sql", "no journal entry")],
        ),
        (
            "dokploy",
            &[
                ("error", "0130_abandoned_dagger.sql", "no journal entry"),
                ("error", "meta/0066_snapshot.json", "is no snapshot's id"),
            ],
        ),
        (
            "kan",
            &[
                ("warning", "meta/_journal.json", "`20250608100932_AddIntegrationsTable` is older than `20250608175448_AddOnDeleteActionToUserDeletion`"),
                ("warning", "meta/_journal.json", "`20260224105235_AddGitHubIntegrationSupport` is older than `20260225195947_AddIsArchivedToBoard`"),
            ],
        ),
        ("onlook", &[]),
    ];
    for (project, want) in expected {
        let out = run(&["check", "--json", "--out", path(&corpus().join(project))]);
        let got = findings(&out);
        assert_eq!(got.len(), want.len(), "{project}: {got:#?}");
        for ((severity, file, message), (ws, wf, wm)) in got.iter().zip(want) {
            assert_eq!(
                (severity.as_str(), file.as_str()),
                (*ws, *wf),
                "{project}: {got:#?}"
            );
            assert!(message.contains(wm), "{project}: {message}");
        }
        let errors = want.iter().any(|(s, _, _)| *s == "error");
        assert_eq!(
            out.status.code(),
            Some(if errors { 1 } else { 0 }),
            "{project}: {}",
            text(&out)
        );
    }
}

#[test]
fn kans_translation_is_what_its_timestamp_folder_says() {
    let folder = tempfile::tempdir().unwrap();
    copy_dir(&corpus().join("kan"), folder.path());
    let schema = corpus().join("rust-translations/kan");
    let out = run(&[
        "check",
        "--out",
        path(folder.path()),
        "--schema",
        path(&schema),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("matches the code"), "{}", text(&out));

    let before = listing(folder.path());
    let out = run(&[
        "generate",
        "--out",
        path(folder.path()),
        "--schema",
        path(&schema),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("No schema changes"), "{}", text(&out));
    assert_eq!(listing(folder.path()), before, "generate wrote nothing");
}

/// Each folder, after its set-up SQL, applied by our migrate and by
/// drizzle-orm's migrator: the same schema (pg_dump) and the same rows; then
/// each tool has nothing to do on the other's database.
#[tokio::test]
async fn migrate_builds_what_drizzle_orms_migrator_builds() {
    for project in PROJECTS {
        let folder = corpus().join(project);
        let (ours, theirs) = (test_database().await, test_database().await);
        for db in [&ours, &theirs] {
            setup(&db.connect().await, project).await;
        }
        let (ours_url, theirs_url, f) = (
            ours.url().to_string(),
            theirs.url().to_string(),
            folder.clone(),
        );
        let (mine, drizzle) = tokio::task::spawn_blocking(move || {
            (
                run(&["migrate", "--out", path(&f), "--url", &ours_url]),
                drizzle_orm_migrate(&f, &theirs_url),
            )
        })
        .await
        .unwrap();
        assert_eq!(mine.status.code(), Some(0), "{project}: {}", text(&mine));
        assert!(drizzle.status.success(), "{project}: {}", text(&drizzle));

        let (a, b) = (ours.connect().await, theirs.connect().await);
        let rows_a = rows(&a).await;
        assert!(rows_a.len() >= 20, "{project}: {} rows", rows_a.len());
        assert_eq!(rows_a, rows(&b).await, "{project}");
        let dump_a = schema_text(&a, ours.url()).await;
        assert!(
            dump_a.contains("CREATE TABLE") || dump_a.contains("table public."),
            "{project}: {dump_a}"
        );
        assert_eq!(dump_a, schema_text(&b, theirs.url()).await, "{project}");

        let (theirs_url, f) = (theirs.url().to_string(), folder.clone());
        let (again, status) = tokio::task::spawn_blocking(move || {
            (
                run(&["migrate", "--out", path(&f), "--url", &theirs_url]),
                run(&[
                    "status",
                    "--out",
                    path(&f),
                    "--url",
                    &theirs_url,
                    "--exit-code",
                ]),
            )
        })
        .await
        .unwrap();
        assert!(
            text(&again).contains("Nothing to migrate"),
            "{project}: {}",
            text(&again)
        );
        assert_eq!(
            status.status.code(),
            Some(0),
            "{project}: {}",
            text(&status)
        );
        assert_eq!(rows(&b).await, rows_a, "{project}");
    }
}

/// The set-up SQL a project's first migration needs (Supabase stand-ins,
/// extensions).
pub(crate) async fn setup(client: &Client, project: &str) {
    let file = match project {
        "kan" => "kan-prep.sql",
        "onlook" => "supabase-stub.sql",
        _ => return,
    };
    let sql = std::fs::read_to_string(corpus().join("setup").join(file)).unwrap();
    client
        .batch_execute(&sql)
        .await
        .unwrap_or_else(|e| panic!("{file}: {e}"));
}

/// `(hash, created_at)` of drizzle-orm's migrations table, in id order.
async fn rows(client: &Client) -> Vec<(String, i64)> {
    client
        .query(
            "SELECT hash, created_at FROM drizzle.__drizzle_migrations ORDER BY id",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

/// The schema of a database as text, for comparing two of one server:
/// `pg_dump --schema-only` where a pg_dump at least as new as the server is
/// installed (an older one refuses it, and the PostgreSQL 17 test build has
/// none), else a catalog read of every kind of object the corpus creates.
pub(crate) async fn schema_text(client: &Client, url: &str) -> String {
    let server: u32 = client
        .query_one(
            "SELECT current_setting('server_version_num')::int / 10000",
            &[],
        )
        .await
        .unwrap()
        .get::<_, i32>(0) as u32;
    match pg_dump_for(server) {
        Some(bin) => {
            let url = url.to_string();
            tokio::task::spawn_blocking(move || pg_dump(&bin, &url))
                .await
                .unwrap()
        }
        None => catalog_text(client).await,
    }
}

/// A pg_dump whose major version is at least `server`'s.
fn pg_dump_for(server: u32) -> Option<PathBuf> {
    let mut candidates: Vec<PathBuf> = vitaes_migrate::local_pg::find_bindir()
        .ok()
        .into_iter()
        .map(|d| d.join("pg_dump"))
        .collect();
    if let Ok(dirs) = std::fs::read_dir("/usr/lib/postgresql") {
        candidates.extend(dirs.flatten().map(|d| d.path().join("bin/pg_dump")));
    }
    candidates.into_iter().find(|bin| {
        let Ok(out) = std::process::Command::new(bin).arg("--version").output() else {
            return false;
        };
        // "pg_dump (PostgreSQL) 15.18 (Debian ...)"
        String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .nth(2)
            .and_then(|v| v.split('.').next()?.parse::<u32>().ok())
            .is_some_and(|major| major >= server)
    })
}

/// `pg_dump --schema-only` without what differs between two databases of
/// one cluster (pg_dump's per-run `\restrict` key) or is not the schema
/// (the migrations table's `applied_at`, which only ours adds).
fn pg_dump(bin: &Path, url: &str) -> String {
    let out = std::process::Command::new(bin)
        .args([
            "--schema-only",
            "--no-owner",
            "--no-privileges",
            "--exclude-schema=drizzle",
            "-d",
            url,
        ])
        .output()
        .unwrap_or_else(|e| panic!("{}: {e}", bin.display()));
    assert!(out.status.success(), "pg_dump: {}", text(&out));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("\\restrict") && !l.starts_with("\\unrestrict"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Tables, columns, constraints and indexes (the catalog dump the other
/// tests compare), plus what the corpus's hand-written SQL adds: functions,
/// triggers, policies, row-level security, enum labels, extensions, views.
async fn catalog_text(client: &Client) -> String {
    let mut lines = crate::catalog::dump(client).await.lines;
    let user = "n.nspname NOT IN ('pg_catalog', 'information_schema', 'drizzle') AND n.nspname NOT LIKE 'pg_toast%'";
    let queries = [
        format!("SELECT 'function ' || n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ') ' || md5(pg_get_functiondef(p.oid)) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE {user} AND p.prokind IN ('f', 'p')"),
        format!("SELECT 'trigger ' || n.nspname || '.' || c.relname || ' ' || pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {user} AND NOT t.tgisinternal"),
        format!("SELECT 'policy ' || n.nspname || '.' || c.relname || ' ' || p.polname || ' ' || p.polcmd::text || ' ' || p.polpermissive::text || ' ' || coalesce(pg_get_expr(p.polqual, p.polrelid), '') || ' ' || coalesce(pg_get_expr(p.polwithcheck, p.polrelid), '') FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {user}"),
        format!("SELECT 'rls ' || n.nspname || '.' || c.relname || ' ' || c.relrowsecurity::text || ' ' || c.relforcerowsecurity::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {user} AND c.relkind IN ('r', 'p')"),
        format!("SELECT 'enum ' || n.nspname || '.' || t.typname || ' ' || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace WHERE {user} GROUP BY n.nspname, t.typname"),
        "SELECT 'extension ' || extname || ' ' || extversion FROM pg_extension".to_string(),
        format!("SELECT 'view ' || n.nspname || '.' || c.relname || ' ' || pg_get_viewdef(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {user} AND c.relkind IN ('v', 'm')"),
    ];
    for sql in &queries {
        for row in client.query(sql.as_str(), &[]).await.unwrap() {
            lines.push(row.get(0));
        }
    }
    lines.sort();
    lines.join("\n")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Push of kan's translation onto the database drizzle-orm's migrator built
/// from kan's folder: the only differences are what kan made with
/// hand-written SQL (two `pg_trgm` indexes), named as drops and refused
/// without `--force`; nothing changes.
#[tokio::test]
async fn push_of_kans_translation_refuses_to_drop_its_hand_written_indexes() {
    let db = test_database().await;
    setup(&db.connect().await, "kan").await;
    let (url, folder) = (db.url().to_string(), corpus().join("kan"));
    let built = tokio::task::spawn_blocking(move || drizzle_orm_migrate(&folder, &url))
        .await
        .unwrap();
    assert!(built.status.success(), "{}", text(&built));
    let client = db.connect().await;
    let before = schema_text(&client, db.url()).await;
    let (url, schema) = (db.url().to_string(), corpus().join("rust-translations/kan"));
    let out = tokio::task::spawn_blocking(move || {
        run(&["push", "--url", &url, "--schema", path(&schema)])
    })
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let said = text(&out);
    for index in ["boards_name_trgm_idx", "cards_title_trgm_idx"] {
        assert!(said.contains(&format!("DROP INDEX \"{index}\"")), "{said}");
    }
    assert_eq!(
        said.matches("DROP ").count(),
        2,
        "only the two drops: {said}"
    );
    assert!(said.contains("index-dropped"), "{said}");
    assert!(said.contains("--force"), "{said}");
    assert_eq!(
        schema_text(&client, db.url()).await,
        before,
        "nothing changed"
    );
}

/// onlook's schema at the corpus's commit is ahead of its own folder (its
/// migrations never added `agent_type` or `messages.usage`): check says so,
/// and generate writes exactly those changes, nothing for Supabase's
/// `auth.users`, which the translation declares external.
#[test]
fn onlooks_translation_is_ahead_of_its_folder_and_says_how() {
    let folder = tempfile::tempdir().unwrap();
    copy_dir(&corpus().join("onlook"), folder.path());
    let schema = corpus().join("rust-translations/onlook");
    let out = run(&[
        "check",
        "--out",
        path(folder.path()),
        "--schema",
        path(&schema),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("the code differs from the last snapshot"),
        "{}",
        text(&out)
    );

    let out = run(&[
        "generate",
        "--out",
        path(folder.path()),
        "--schema",
        path(&schema),
        "--name",
        "catch_up",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let sql = std::fs::read_to_string(folder.path().join("0020_catch_up.sql")).unwrap();
    assert!(
        sql.contains("CREATE TYPE \"public\".\"agent_type\""),
        "{sql}"
    );
    assert!(
        sql.contains("ALTER TABLE \"messages\" ADD COLUMN \"usage\" jsonb"),
        "{sql}"
    );
    assert!(!sql.contains("\"auth\""), "nothing for auth.users: {sql}");
    assert!(!sql.contains("DROP TABLE"), "{sql}");
    // Then the code is in the folder.
    let out = run(&[
        "check",
        "--out",
        path(folder.path()),
        "--schema",
        path(&schema),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}

/// Push of onlook's translation onto the database drizzle-orm's migrator
/// built: what the translation is ahead by (see above), and the drops of
/// the policies onlook wrote by hand in its SQL files (its TypeScript has
/// none), each named, refused as `policy-dropped` without `--force`;
/// nothing changes.
#[tokio::test]
async fn push_of_onlooks_translation_names_its_hand_written_policies() {
    let db = test_database().await;
    setup(&db.connect().await, "onlook").await;
    let (url, folder) = (db.url().to_string(), corpus().join("onlook"));
    let built = tokio::task::spawn_blocking(move || drizzle_orm_migrate(&folder, &url))
        .await
        .unwrap();
    assert!(built.status.success(), "{}", text(&built));
    let client = db.connect().await;
    // Supabase's auth.users has the columns the translation reads; the
    // stand-in of the set-up SQL only those onlook's migrations need.
    client
        .batch_execute(
            "ALTER TABLE auth.users ADD COLUMN IF NOT EXISTS email_confirmed_at timestamptz,
                                    ADD COLUMN IF NOT EXISTS raw_user_meta_data jsonb",
        )
        .await
        .unwrap();
    let policies: Vec<String> = client
        .query(
            "SELECT p.polname::text FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
              JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'
              ORDER BY 1",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(
        policies.len() >= 20,
        "onlook's SQL made its policies: {policies:?}"
    );
    let before = schema_text(&client, db.url()).await;
    let (url, schema) = (
        db.url().to_string(),
        corpus().join("rust-translations/onlook"),
    );
    let out = tokio::task::spawn_blocking(move || {
        run(&[
            "push",
            "--url",
            &url,
            "--schema",
            path(&schema),
            "--dry-run",
        ])
    })
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let said = text(&out);
    for policy in &policies {
        assert!(
            said.contains(&format!("DROP POLICY \"{policy}\"")),
            "{policy} is named: {said}"
        );
    }
    assert_eq!(
        said.matches("DROP POLICY").count(),
        policies.len(),
        "{said}"
    );
    assert!(!said.contains("DISABLE ROW LEVEL SECURITY"), "{said}");
    assert!(!said.contains("DROP TABLE"), "{said}");
    assert!(said.contains("policy-dropped"), "{said}");

    let (url, schema) = (
        db.url().to_string(),
        corpus().join("rust-translations/onlook"),
    );
    let out = tokio::task::spawn_blocking(move || {
        run(&["push", "--url", &url, "--schema", path(&schema)])
    })
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("--force"), "{}", text(&out));
    assert_eq!(
        schema_text(&client, db.url()).await,
        before,
        "nothing changed"
    );
}
