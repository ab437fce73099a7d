//! Doc comments as database comments (`comments = true`): pushed, changed
//! and removed, read back so a second push plans nothing, written to the
//! snapshot under `internal.vitaes` and generated as `COMMENT ON`; with
//! comments off (the default) the database's comments are left alone.

use crate::sources::{kinds, schema_from};
use vitaes_migrate::commands::generate::{self, GenerateArgs};
use vitaes_migrate::config::Config;
use vitaes_migrate::introspect::Filter;
use vitaes_migrate::push::{plan, push, PushOptions};
use vitaes_migrate::scope::Scope;
use vitaes_schema_core::Schema;
use vitaes_test_support::test_database;

fn options(schema: &Schema, comments: bool) -> PushOptions {
    PushOptions {
        filter: Filter::for_schema(schema),
        force: true,
        scope: Scope {
            comments,
            ..Scope::default()
        },
        ..PushOptions::default()
    }
}

const DOCUMENTED: &str = r#"
/// How a résumé feels.
#[derive(PgEnum)]
pub enum Mood { Calm, Busy }

/// Everyone who signed up.
#[derive(Table)]
#[table(name = "users")]
pub struct Users {
    #[column(primary_key)]
    pub id: i32,
    /// Where we write; it's unique.
    pub email: String,
    pub mood: Option<Mood>,
}

/// Who can be mailed.
#[derive(PgView)]
#[view(name = "mailable", query = "select id, email from users", materialized)]
pub struct Mailable {
    pub id: Option<i32>,
    /// As typed at sign-up.
    pub email: Option<String>,
}
"#;

async fn comments_of(client: &tokio_postgres::Client) -> Vec<(String, String)> {
    client
        .query(
            "SELECT coalesce(c.relname || coalesce('.' || a.attname, ''), t.typname)::text, d.description
               FROM pg_description d
               LEFT JOIN pg_class c ON d.classoid = 'pg_class'::regclass AND c.oid = d.objoid
               LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.objsubid AND d.objsubid > 0
               LEFT JOIN pg_type t ON d.classoid = 'pg_type'::regclass AND t.oid = d.objoid
              WHERE coalesce(c.relnamespace, t.typnamespace) = 'public'::regnamespace
              ORDER BY 1",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

#[tokio::test]
async fn comments_are_pushed_changed_and_removed() {
    let db = test_database().await;
    let client = db.connect().await;
    let first = schema_from(DOCUMENTED);
    push(&client, &first, &options(&first, true)).await.unwrap();
    let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    };
    assert_eq!(
        comments_of(&client).await,
        pairs(&[
            ("mailable", "Who can be mailed."),
            ("mailable.email", "As typed at sign-up."),
            ("mood", "How a résumé feels."),
            ("users", "Everyone who signed up."),
            ("users.email", "Where we write; it's unique."),
        ])
    );
    let again = plan(&client, &first, &options(&first, true)).await.unwrap();
    assert!(again.is_empty(), "{:?}", kinds(&again));

    let changed = schema_from(
        &DOCUMENTED
            .replace("/// Everyone who signed up.\n", "/// Every account.\n")
            .replace("    /// Where we write; it's unique.\n", ""),
    );
    let p = plan(&client, &changed, &options(&changed, true))
        .await
        .unwrap();
    assert_eq!(kinds(&p), ["set_comment", "drop_comment"]);
    push(&client, &changed, &options(&changed, true))
        .await
        .unwrap();
    let now = comments_of(&client).await;
    assert!(
        now.contains(&("users".into(), "Every account.".into())),
        "{now:?}"
    );
    assert!(!now.iter().any(|(on, _)| on == "users.email"), "{now:?}");
    let again = plan(&client, &changed, &options(&changed, true))
        .await
        .unwrap();
    assert!(again.is_empty(), "{:?}", kinds(&again));

    // Off, comments are neither compared nor removed.
    let off = plan(&client, &changed, &options(&changed, false))
        .await
        .unwrap();
    assert!(off.is_empty(), "{:?}", kinds(&off));
}

#[test]
fn generate_writes_comments_when_on_and_keeps_them_in_the_snapshot() {
    let project = tempfile::tempdir().unwrap();
    std::fs::write(project.path().join("schema.rs"), DOCUMENTED).unwrap();
    let run = |toml: &str| {
        std::fs::write(project.path().join("vitaes.toml"), toml).unwrap();
        let config = Config::load(None, project.path()).unwrap();
        let args = GenerateArgs {
            schema: vec![project.path().join("schema.rs")].into(),
            out: Some(project.path().join("drizzle")).into(),
            ..Default::default()
        };
        generate::run(&args, &config, project.path(), &mut Vec::new()).unwrap()
    };
    run("comments = true\n");
    let sql = std::fs::read_dir(project.path().join("drizzle"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "sql"))
        .unwrap();
    let sql = std::fs::read_to_string(sql).unwrap();
    for line in [
        r#"COMMENT ON TABLE "users" IS 'Everyone who signed up.';"#,
        r#"COMMENT ON COLUMN "users"."email" IS 'Where we write; it''s unique.';"#,
        r#"COMMENT ON MATERIALIZED VIEW "public"."mailable" IS 'Who can be mailed.';"#,
        r#"COMMENT ON COLUMN "mailable"."email" IS 'As typed at sign-up.';"#,
        r#"COMMENT ON TYPE "public"."mood" IS 'How a résumé feels.';"#,
    ] {
        assert!(sql.contains(line), "{line} not in:\n{sql}");
    }
    let snapshot: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(project.path().join("drizzle/meta/0000_snapshot.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        snapshot["internal"]["vitaes"]["comments"][0],
        serde_json::json!({ "on": "enum", "schema": "public", "name": "mood", "text": "How a résumé feels." })
    );
    // Read back, nothing to do; with comments off, nothing either (the
    // snapshot's comments are not the comparison's).
    assert!(matches!(
        run("comments = true\n"),
        generate::Generated::NothingToDo
    ));
    assert!(matches!(run(""), generate::Generated::NothingToDo));
}
