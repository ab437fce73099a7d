//! The chain test: a realistic app growing through many schema versions,
//! each generated on top of the previous one into ONE migrations folder, as a
//! team would over months.
//!
//! `tests/chain/vNN.rs` are the versions, each one complete schema file read
//! as source: v01 is the Vitaes schema, each later file makes a few changes to
//! the one before (its doc comment says which). Between them they add enums
//! and enum values (at the end, in the middle, and one used in the version
//! that adds it), remove enum values (type rebuilds under a default, a check,
//! a plain and a partial index), widen types (integer → bigint, varchar →
//! text, serial → bigserial, timestamp → timestamptz), convert text holding
//! numbers to integer, text to inet and text to an enum (USING casts), move
//! json to jsonb, set and drop NOT NULL, add and drop defaults, tables,
//! columns, checks, indexes (one on an expression), unique constraints,
//! composite primary and foreign keys, and change a foreign key's on_delete
//! and an index's columns.
//!
//! It proves that:
//! - every version generates onto the previous snapshot (one new migration,
//!   two when enum values are added and used in one version), and each
//!   migration applies on a database holding rows written at every earlier
//!   version (values chosen to exercise the casts, the NOT NULL changes and
//!   the enum rebuilds);
//! - at the end every row is still there, converted (`'42'` and `'007'` are
//!   the integers 42 and 7, enum values survived their type's rebuild, json
//!   became jsonb, text became inet and an enum, 64-bit ids fit);
//! - the folder applied file by file to a fresh database, and the database
//!   migrated version by version, both equal one migration generated from
//!   empty for the last version (catalog read, column order aside);
//! - generating the last version again has nothing to do.

use std::path::{Path, PathBuf};

use tokio_postgres::Client;
use vitaes_migrate::commands::generate::{self, GenerateArgs, Generated};
use vitaes_migrate::config::Config;
use vitaes_test_support::test_database;

use crate::catalog::{apply_migration, dump_unordered, CatalogDump};

/// Rows written right after each version's migration, valid for that
/// version's schema (each statement is run on its own).
const ROWS: &[(&str, &[&str])] = &[
    (
        "v01",
        &[
            r#"INSERT INTO "user" (id, name, email, email_verified, image, created_at, updated_at) VALUES
                 ('u1', 'Ada Lovelace', 'ada@example.com', true, 'https://img.example/ada.png', '2024-01-01 10:00', '2024-01-01 10:00'),
                 ('u2', 'Grace Hopper', 'grace@example.com', false, NULL, '2024-01-02 10:00', '2024-01-02 10:00')"#,
            // ip_address is text here; s1's becomes inet at v07, s2's stays NULL.
            r#"INSERT INTO session (id, expires_at, token, created_at, updated_at, ip_address, user_agent, user_id) VALUES
                 ('s1', '2030-01-01', 'tok-1', '2024-01-01', '2024-01-01', '10.0.0.1', 'Firefox', 'u1'),
                 ('s2', '2030-01-01', 'tok-2', '2024-01-02', '2024-01-02', NULL, NULL, 'u2')"#,
            // provider_id is text here; an enum from v12.
            r#"INSERT INTO account (id, account_id, provider_id, user_id, password, created_at, updated_at) VALUES
                 ('a1', 'u1', 'credential', 'u1', 'argon2-hash', '2024-01-01', '2024-01-01'),
                 ('a2', 'gh-1815', 'github', 'u2', NULL, '2024-01-02', '2024-01-02')"#,
            // Timestamps given: they become NOT NULL at v08.
            r#"INSERT INTO verification (id, identifier, value, expires_at, created_at, updated_at) VALUES
                 ('v1', 'ada@example.com', 'code-1', '2030-01-01', '2024-01-01', '2024-01-01'),
                 ('v2', 'grace@example.com', 'code-2', '2030-01-01', '2024-01-02', '2024-01-02')"#,
            // data is json here, jsonb from v06; template is filled by its default at v02.
            r#"INSERT INTO resume (id, name, user_email, data, is_public, slug, views, downloads, thumbnail_url) VALUES
                 ('r01', 'Engineer', 'ada@example.com', '{"basics": {"name": "Ada"}}', true, 'ada-engineer', 3, 1, 'https://img.example/r01.png'),
                 ('r02', 'Admiral', 'grace@example.com', NULL, false, 'grace-admiral', 0, 0, NULL)"#,
        ],
    ),
    (
        "v02",
        &[
            r#"INSERT INTO "user" (id, name, email, email_verified, created_at, updated_at, username) VALUES
                 ('u3', 'Alan Turing', 'alan@example.com', true, '2024-02-01', '2024-02-01', 'alan')"#,
            r#"INSERT INTO resume (id, name, user_email, data, is_public, slug, template, user_id) VALUES
                 ('r03', 'Researcher', 'alan@example.com', '{"basics": {"name": "Alan"}}', true, 'alan-research', 'modern', 'u3'),
                 ('r04', 'Mathematician', 'ada@example.com', NULL, false, 'ada-math', DEFAULT, 'u1')"#,
        ],
    ),
    (
        "v03",
        &[
            // 41 characters: fits only since username became text.
            r#"INSERT INTO "user" (id, name, email, email_verified, created_at, updated_at, username) VALUES
                 ('u4', 'Barbara Liskov', 'barbara@example.com', true, '2024-03-01', '2024-03-01', 'barbara-liskov-substitution-principle-fan')"#,
            // Counters beyond 32 bits.
            r#"INSERT INTO resume (id, name, user_email, is_public, slug, views, downloads, template, user_id) VALUES
                 ('r05', 'Viral', 'barbara@example.com', true, 'barbara-viral', 5000000000, 3000000000, 'modern', 'u4')"#,
            // Positions as the legacy import wrote them: text holding numbers.
            r#"INSERT INTO resume_section (id, resume_id, kind, title, position, content) VALUES
                 ('sec1', 'r01', 'experience', 'Analytical Engine', '42', '{"items": ["notes"]}'),
                 ('sec2', 'r01', 'education', 'Mathematics', '7', NULL),
                 ('sec3', 'r03', 'skills', 'Cryptanalysis', '007', '{"items": []}')"#,
            r#"INSERT INTO resume_view (resume_id, ip) VALUES ('r01', '10.0.0.1'), ('r01', NULL), ('r03', '10.0.0.2')"#,
        ],
    ),
    (
        "v04",
        &[
            r#"INSERT INTO resume_section (id, resume_id, kind, title, position) VALUES
               ('sec4', 'r03', 'projects', 'Bombe', 43)"#,
        ],
    ),
    (
        "v05",
        &[
            r#"INSERT INTO tag (name) VALUES ('mathematics'), ('computing')"#,
            r#"INSERT INTO resume_tag (resume_id, tag_id) SELECT 'r01', id FROM tag"#,
            r#"INSERT INTO resume_tag (resume_id, tag_id) SELECT 'r03', id FROM tag WHERE name = 'computing'"#,
            // The value added at the end, used once its migration committed.
            r#"INSERT INTO resume (id, name, user_email, is_public, slug, downloads, template, user_id) VALUES
                 ('r06', 'Portfolio', 'grace@example.com', true, 'grace-portfolio', 2, 'creative', 'u2')"#,
        ],
    ),
    (
        "v06",
        &[
            // The value added in the middle; data and content are jsonb now.
            r#"INSERT INTO resume (id, name, user_email, data, slug, template, user_id) VALUES
                 ('r07', 'Compiler', 'grace@example.com', '{"basics": {"name": "Grace"}, "skills": ["COBOL"]}', 'grace-compiler', 'elegant', 'u2')"#,
            r#"INSERT INTO resume_section (id, resume_id, kind, title, position, content) VALUES
                 ('sec5', 'r07', 'experience', 'UNIVAC', 1, '{"items": ["A-0"]}')"#,
        ],
    ),
    (
        "v07",
        &[
            r#"INSERT INTO session (id, expires_at, token, created_at, updated_at, ip_address, user_agent, user_id) VALUES
                 ('s3', '2030-01-01', 'tok-3', '2024-07-01', '2024-07-01', '2001:db8::1', 'Safari', 'u3')"#,
            r#"INSERT INTO resume (id, name, user_email, is_public, slug, downloads, template, user_id) VALUES
                 ('r08', 'Gallery', 'alan@example.com', true, 'alan-gallery', 0, 'modern', 'u3')"#,
        ],
    ),
    (
        "v08",
        &[
            // Timestamps from their new defaults.
            r#"INSERT INTO verification (id, identifier, value, expires_at) VALUES
                 ('v3', 'alan@example.com', 'code-3', '2030-01-01')"#,
            r#"INSERT INTO resume (id, name, user_email, slug, user_id) VALUES
                 ('r09', 'Draft', 'grace@example.com', 'grace-draft', 'u2')"#,
        ],
    ),
    (
        "v09",
        &[
            r#"INSERT INTO resume (id, name, user_email, slug, downloads, user_id) VALUES
               ('r10', 'Short', 'barbara@example.com', 'barbara-short', 0, 'u4')"#,
        ],
    ),
    (
        "v10",
        &[
            // downloads has no default any more.
            r#"INSERT INTO resume (id, name, user_email, slug, downloads, template, user_id) VALUES
                 ('r11', 'Teacher', 'barbara@example.com', 'barbara-teacher', 5, 'elegant', 'u4')"#,
            r#"INSERT INTO resume_section (id, resume_id, kind, title, position) VALUES
                 ('sec6', 'r11', 'teaching', 'MIT', 0)"#,
        ],
    ),
    (
        "v11",
        &[
            r#"INSERT INTO resume_collaborator (resume_id, user_id, role) VALUES ('r01', 'u2', 'editor')"#,
            r#"INSERT INTO resume_collaborator (resume_id, user_id) VALUES ('r01', 'u3')"#,
            // (r03, 7) is sec3, imported as '007'.
            r#"INSERT INTO section_comment (resume_id, section_position, author_id, body) VALUES
                 ('r01', 42, 'u2', 'Brilliant notes'),
                 ('r03', 7, NULL, 'Anonymous praise')"#,
        ],
    ),
    (
        "v12",
        &[
            r#"INSERT INTO account (id, account_id, provider_id, user_id, created_at, updated_at) VALUES
                 ('a3', 'g-1912', 'google', 'u3', '2024-12-01', '2024-12-01')"#,
            // email_verified from its new default.
            r#"INSERT INTO "user" (id, name, email, created_at, updated_at) VALUES
                 ('u5', 'Edsger Dijkstra', 'edsger@example.com', '2024-12-01', '2024-12-01')"#,
        ],
    ),
    (
        "v13",
        &[
            // Same name as r01, another owner: allowed by (name, user_id).
            r#"INSERT INTO resume (id, name, slug, downloads, user_id) VALUES
                 ('r12', 'Engineer', 'edsger-engineer', 0, 'u5')"#,
            r#"INSERT INTO resume_collaborator (resume_id, user_id, role) VALUES ('r12', 'u1', 'editor')"#,
        ],
    ),
    (
        "v14",
        &[
            // The role from its new default, the value added in the same version.
            r#"INSERT INTO resume_collaborator (resume_id, user_id) VALUES ('r12', 'u2')"#,
            // An id beyond 32 bits, and one from the sequence.
            r#"INSERT INTO tag (id, name) VALUES (5000000000, 'distributed-systems')"#,
            r#"INSERT INTO tag (name) VALUES ('algorithms')"#,
            r#"INSERT INTO resume_tag (resume_id, tag_id) VALUES ('r12', 5000000000)"#,
        ],
    ),
    (
        "v15",
        &[
            // No display name any more.
            r#"INSERT INTO "user" (id, email, created_at, updated_at) VALUES
                 ('u6', 'katherine@example.com', '2025-01-01', '2025-01-01')"#,
            r#"INSERT INTO session (id, expires_at, token, created_at, updated_at, user_id) VALUES
                 ('s4', '2031-06-01 12:00+00', 'tok-4', '2025-01-01', '2025-01-01', 'u6')"#,
        ],
    ),
];

/// After the last version: every row by id (or key), and what it became.
/// Each query returns one text value.
const EXPECTED: &[(&str, &str, &str)] = &[
    (
        "users",
        r#"SELECT string_agg(id, ',' ORDER BY id) FROM "user""#,
        "u1,u2,u3,u4,u5,u6",
    ),
    (
        "sessions",
        "SELECT string_agg(id, ',' ORDER BY id) FROM session",
        "s1,s2,s3,s4",
    ),
    (
        "accounts",
        "SELECT string_agg(id, ',' ORDER BY id) FROM account",
        "a1,a2,a3",
    ),
    (
        "verifications",
        "SELECT string_agg(id, ',' ORDER BY id) FROM verification",
        "v1,v2,v3",
    ),
    (
        "résumés",
        "SELECT string_agg(id, ',' ORDER BY id) FROM resume",
        "r01,r02,r03,r04,r05,r06,r07,r08,r09,r10,r11,r12",
    ),
    (
        "sections",
        "SELECT string_agg(id, ',' ORDER BY id) FROM resume_section",
        "sec1,sec2,sec3,sec4,sec5,sec6",
    ),
    (
        "tags",
        "SELECT string_agg(name, ',' ORDER BY id) FROM tag",
        "mathematics,computing,algorithms,distributed-systems",
    ),
    (
        "résumé tags",
        "SELECT string_agg(rt.resume_id || ':' || t.name, ',' ORDER BY rt.resume_id, t.id)
           FROM resume_tag rt JOIN tag t ON t.id = rt.tag_id",
        "r01:mathematics,r01:computing,r03:computing,r12:distributed-systems",
    ),
    (
        "collaborators, their roles through the collaborator_role rebuild",
        "SELECT string_agg(resume_id || '/' || user_id || '=' || role, ',' ORDER BY resume_id, user_id)
           FROM resume_collaborator",
        "r01/u2=editor,r01/u3=viewer,r12/u1=editor,r12/u2=commenter",
    ),
    (
        "section comments",
        "SELECT string_agg(resume_id || '@' || section_position || ':' || body, ',' ORDER BY id)
           FROM section_comment",
        "r01@42:Brilliant notes,r03@7:Anonymous praise",
    ),
    (
        "the dropped view log",
        "SELECT coalesce(to_regclass('public.resume_view')::text, 'gone')",
        "gone",
    ),
    (
        "positions: text '42', '7', '007' became integers",
        "SELECT string_agg(id || '=' || position, ',' ORDER BY id) || ' ' || pg_typeof(min(position))
           FROM resume_section",
        "sec1=42,sec2=7,sec3=7,sec4=43,sec5=1,sec6=0 integer",
    ),
    (
        "templates through the rebuild (v02 rows got the default)",
        "SELECT string_agg(id || '=' || template, ',' ORDER BY id)
                || ' ' || (SELECT pg_typeof(template) FROM resume LIMIT 1)
           FROM resume",
        "r01=classic,r02=classic,r03=modern,r04=classic,r05=modern,r06=creative,r07=elegant,\
         r08=modern,r09=classic,r10=classic,r11=elegant,r12=classic resume_template",
    ),
    (
        "counters widened to bigint",
        "SELECT string_agg(id || '=' || views || '/' || downloads, ',' ORDER BY id) || ' '
                || pg_typeof(min(views)) || ' ' || pg_typeof(min(downloads))
           FROM resume WHERE id IN ('r01', 'r05')",
        "r01=3/1,r05=5000000000/3000000000 bigint bigint",
    ),
    (
        "résumé data moved from json to jsonb",
        "SELECT string_agg(id || '=' || (data -> 'basics' ->> 'name') || ':' || pg_typeof(data), ','
                           ORDER BY id)
           FROM resume WHERE data IS NOT NULL",
        "r01=Ada:jsonb,r03=Alan:jsonb,r07=Grace:jsonb",
    ),
    (
        "section content moved from json to jsonb",
        "SELECT string_agg(id || '=' || (content -> 'items')::text || ':' || pg_typeof(content), ','
                           ORDER BY id)
           FROM resume_section WHERE content IS NOT NULL",
        r#"sec1=["notes"]:jsonb,sec3=[]:jsonb,sec5=["A-0"]:jsonb"#,
    ),
    (
        "session addresses moved from text to inet",
        "SELECT string_agg(id || '=' || coalesce(host(ip_address), 'null'), ',' ORDER BY id)
                || ' ' || (SELECT pg_typeof(ip_address) FROM session LIMIT 1)
           FROM session",
        "s1=10.0.0.1,s2=null,s3=2001:db8::1,s4=null inet",
    ),
    (
        "providers moved from text to the auth_provider enum",
        "SELECT string_agg(id || '=' || provider_id, ',' ORDER BY id)
                || ' ' || (SELECT pg_typeof(provider_id) FROM account LIMIT 1)
           FROM account",
        "a1=credential,a2=github,a3=google auth_provider",
    ),
    (
        "verification timestamps: given ones kept, the new one from the default",
        "SELECT string_agg(id || '=' || (created_at IS NOT NULL AND updated_at IS NOT NULL), ',' ORDER BY id)
                || ' ' || (SELECT created_at::date FROM verification WHERE id = 'v1')
           FROM verification",
        "v1=true,v2=true,v3=true 2024-01-01",
    ),
    (
        "user names, one longer than the old varchar(32); email_verified defaults",
        r#"SELECT string_agg(id || '=' || coalesce(username, '-') || ':' || email_verified, ',' ORDER BY id)
             FROM "user""#,
        "u1=-:true,u2=-:false,u3=alan:true,u4=barbara-liskov-substitution-principle-fan:true,\
         u5=-:false,u6=-:false",
    ),
    (
        "session expiry moved to timestamptz, keeping the wall-clock time",
        "SELECT string_agg(id || '=' || to_char(expires_at::timestamp, 'YYYY-MM-DD HH24:MI'), ',' ORDER BY id)
                || ' ' || (SELECT pg_typeof(expires_at) FROM session LIMIT 1)
           FROM session WHERE id IN ('s1', 's3')",
        "s1=2030-01-01 00:00,s3=2030-01-01 00:00 timestamp with time zone",
    ),
    (
        "display names: kept, and one without",
        r#"SELECT string_agg(id || '=' || coalesce(name, '-'), ',' ORDER BY id) FROM "user""#,
        "u1=Ada Lovelace,u2=Grace Hopper,u3=Alan Turing,u4=Barbara Liskov,u5=Edsger Dijkstra,u6=-",
    ),
    (
        "enum labels at the end",
        "SELECT string_agg(t.typname || ':' || labels, ' ' ORDER BY t.typname)
           FROM pg_type t
           JOIN LATERAL (SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) AS labels
                           FROM pg_enum WHERE enumtypid = t.oid) l ON true
          WHERE t.typtype = 'e' AND t.typnamespace = 'public'::regnamespace",
        "auth_provider:credential,github,google,linkedin collaborator_role:editor,commenter,viewer \
         resume_template:classic,modern,elegant,creative",
    ),
];

fn chain_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/chain")
}

/// `tests/chain/vNN.rs`, in order.
fn versions() -> Vec<(String, PathBuf)> {
    let mut files: Vec<(String, PathBuf)> = std::fs::read_dir(chain_dir())
        .expect("tests/chain exists")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .map(|p| (p.file_stem().unwrap().to_string_lossy().to_string(), p))
        .collect();
    files.sort();
    files
}

fn generate_into(schema: &Path, out: &Path) -> Result<Generated, vitaes_migrate::Error> {
    let args = GenerateArgs {
        schema: vec![schema.to_path_buf()].into(),
        out: Some(out.to_path_buf()).into(),
        name: None,
        ..Default::default()
    };
    generate::run(&args, &Config::default(), out, &mut Vec::new())
}

fn sql_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("migrations dir")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    files.sort();
    files
}

fn file_name(p: &Path) -> String {
    p.file_name().unwrap().to_string_lossy().to_string()
}

/// PostgreSQL's message with its detail and hint.
fn pg_error(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(d) => {
            let mut s = format!("{} {}: {}", d.severity(), d.code().code(), d.message());
            if let Some(detail) = d.detail() {
                s.push_str(&format!("\n  DETAIL: {detail}"));
            }
            if let Some(hint) = d.hint() {
                s.push_str(&format!("\n  HINT: {hint}"));
            }
            s
        }
        None => e.to_string(),
    }
}

/// Applies one migration file with [`apply_migration`]; when it fails (and
/// was rolled back), replays it statement by statement in a transaction that
/// is rolled back too, to name the statement PostgreSQL rejected.
async fn apply_file(client: &mut Client, path: &Path, context: &str) {
    let sql = std::fs::read_to_string(path).expect("read migration");
    let Err(e) = apply_migration(client, &sql).await else {
        return;
    };
    let mut failing = String::from("(not found on replay)");
    if !sql.contains("CONCURRENTLY") {
        let tx = client.transaction().await.expect("begin");
        for statement in sql
            .split("--> statement-breakpoint")
            .filter(|s| !s.trim().is_empty())
        {
            if let Err(e) = tx.batch_execute(statement).await {
                failing = format!("{}\n  -> {}", statement.trim(), pg_error(&e));
                break;
            }
        }
        tx.rollback().await.expect("rollback");
    }
    panic!(
        "{context}: PostgreSQL rejected migration {}: {}\nfailing statement:\n{failing}\n\
         whole file:\n{sql}",
        file_name(path),
        pg_error(&e)
    );
}

async fn insert_rows(client: &Client, version: &str) {
    let (_, statements) = ROWS
        .iter()
        .find(|(v, _)| *v == version)
        .unwrap_or_else(|| panic!("no rows listed for {version} in ROWS"));
    for statement in *statements {
        client.batch_execute(statement).await.unwrap_or_else(|e| {
            panic!(
                "{version}: inserting rows failed: {}\n{statement}",
                pg_error(&e)
            )
        });
    }
}

async fn query_text(client: &Client, sql: &str) -> String {
    client
        .query_one(sql, &[])
        .await
        .unwrap_or_else(|e| panic!("query failed: {}\n{sql}", pg_error(&e)))
        .get::<_, Option<String>>(0)
        .unwrap_or_else(|| "NULL".to_string())
}

fn catalog_difference(left: &str, a: &CatalogDump, right: &str, b: &CatalogDump) -> String {
    let only_a: Vec<&String> = a.lines.iter().filter(|l| !b.lines.contains(l)).collect();
    let only_b: Vec<&String> = b.lines.iter().filter(|l| !a.lines.contains(l)).collect();
    format!("only in {left}: {only_a:#?}\nonly in {right}: {only_b:#?}")
}

#[tokio::test]
async fn chain_of_versions_keeps_every_row_and_equals_one_migration_from_empty() {
    let versions = versions();
    assert!(
        versions.len() >= 12,
        "expected at least 12 versions in {}, found {}",
        chain_dir().display(),
        versions.len()
    );
    for (v, _) in ROWS {
        assert!(
            versions.iter().any(|(name, _)| name == v),
            "ROWS lists {v}, which is not a file in tests/chain"
        );
    }

    let folder = tempfile::tempdir().expect("temp dir");
    let db = test_database().await;
    let mut client = db.connect().await;

    let mut written = 0;
    for (version, schema) in &versions {
        let before = sql_files(folder.path());
        let generated = generate_into(schema, folder.path())
            .unwrap_or_else(|e| panic!("{version}: generate failed: {e}"));
        let Generated::Written { sql_paths } = generated else {
            panic!("{version}: generate found nothing to do; each version must change the schema");
        };
        let new: Vec<PathBuf> = sql_files(folder.path())
            .into_iter()
            .filter(|f| !before.contains(f))
            .collect();
        assert!(
            !new.is_empty() && new == sql_paths,
            "{version}: expected the new migration files {sql_paths:?} in the folder, found {new:?}"
        );
        written += new.len();
        for path in &new {
            apply_file(&mut client, path, version).await;
        }
        insert_rows(&client, version).await;
    }

    let last = &versions.last().unwrap().1;
    match generate_into(last, folder.path()) {
        Ok(Generated::NothingToDo) => {}
        other => panic!("generating the last version again was not empty: {other:?}"),
    }

    let mut wrong = Vec::new();
    for (what, sql, expected) in EXPECTED {
        let got = query_text(&client, sql).await;
        if got != *expected {
            wrong.push(format!("{what}:\n  expected {expected}\n  got      {got}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "rows after the last version are not as expected:\n{}",
        wrong.join("\n")
    );

    // The whole folder, file by file, on a fresh database.
    let replayed = test_database().await;
    let mut replayed_client = replayed.connect().await;
    let files = sql_files(folder.path());
    assert_eq!(
        files.len(),
        written,
        "the folder holds what the versions wrote"
    );
    for f in &files {
        apply_file(&mut replayed_client, f, "replaying the folder").await;
    }

    // The last version in one migration from empty.
    let scratch = tempfile::tempdir().expect("temp dir");
    generate_into(last, scratch.path())
        .unwrap_or_else(|e| panic!("generating the last version from empty failed: {e}"));
    let fresh = test_database().await;
    let mut fresh_client = fresh.connect().await;
    let single = sql_files(scratch.path());
    assert_eq!(single.len(), 1, "one migration from empty");
    apply_file(&mut fresh_client, &single[0], "the last version from empty").await;

    let (d_chain, d_replayed, d_fresh) = (
        dump_unordered(&client).await,
        dump_unordered(&replayed_client).await,
        dump_unordered(&fresh_client).await,
    );
    assert!(
        d_replayed == d_fresh,
        "the folder replayed on a fresh database differs from the last version generated from empty:\n{}",
        catalog_difference("replayed", &d_replayed, "from empty", &d_fresh)
    );
    assert!(
        d_chain == d_fresh,
        "the database migrated version by version differs from the last version generated from empty:\n{}",
        catalog_difference("migrated", &d_chain, "from empty", &d_fresh)
    );
}
