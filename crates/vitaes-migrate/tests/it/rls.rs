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

fn generate(schema: &Path, out: &Path) {
    let args = GenerateArgs {
        schema: vec![schema.to_path_buf()].into(),
        out: Some(out.to_path_buf()).into(),
        ..Default::default()
    };
    generate::run(&args, &Config::default(), out, &mut Vec::new())
        .unwrap_or_else(|e| panic!("generate {}: {e}", schema.display()));
}

/// A snapshot without its chain ids.
fn snapshot(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut doc: Value = serde_json::from_str(&text).unwrap();
    for key in ["id", "prevId"] {
        doc.as_object_mut().unwrap().remove(key);
    }
    doc
}

/// Both sides of each case, as the folder we write holds them.
fn our_folder(case: &str) -> tempfile::TempDir {
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
