//! One case per change kind: `compat/drizzle/changes/<case>/{before,after}`
//! hold a schema in TypeScript and its Rust twin, and drizzle-kit's own
//! migrations for it. For each case our second migration is
//! - recorded as an insta snapshot,
//! - byte-identical to drizzle-kit's apart from our `-- hazard:` comments,
//!   except where drizzle-kit's fails or loses data on PostgreSQL (each listed
//!   in [`DELIBERATE`] with the reason),
//! - applied on PostgreSQL after the first, giving the same catalog as the
//!   `after` schema generated from empty,
//! - followed by "nothing to migrate" when generated again.

use std::path::{Path, PathBuf};

use vitaes_migrate::commands::generate::{self, GenerateArgs, Generated};
use vitaes_migrate::config::Config;
use vitaes_migrate::exit_code::exit_code;
use vitaes_test_support::test_database;

use crate::catalog::{apply_migration, dump_unordered, supabase_roles};
use crate::paths::{repo_root, sql_files};

/// Where our SQL differs from drizzle-kit's on purpose, and why.
const DELIBERATE: &[(&str, &str)] = &[
    (
        "alter_type_text_to_integer",
        "PostgreSQL has no assignment cast from text to integer, so drizzle-kit's SET DATA TYPE fails; ours adds USING \"qty\"::integer",
    ),
    (
        "drop_column_primary_key",
        "drizzle-kit cannot name the key and writes a comment, so its DROP NOT NULL fails; ours drops \"users_pkey\" first",
    ),
    (
        "add_identity_nullable",
        "drizzle-kit filters out SET NOT NULL for the table, so ADD GENERATED fails; ours sets NOT NULL first",
    ),
    (
        "drop_identity_nullable",
        "drizzle-kit filters out DROP NOT NULL for the table, leaving the column NOT NULL; ours drops it after the identity",
    ),
    (
        "drop_table_while_altering",
        "drizzle-kit disables row level security on a table it then drops; ours only drops it",
    ),
    (
        "sequence_cycle_off",
        "drizzle-kit only leaves the word CYCLE out, so the sequence keeps cycling; ours says NO CYCLE",
    ),
    (
        "alter_type_under_views",
        "PostgreSQL refuses to retype a column a view reads, so drizzle-kit's SET DATA TYPE fails; ours drops the views (dependents first) and creates them again after",
    ),
    (
        "view_reading_a_view",
        "drizzle-kit creates views in the order of their export names, a_view before the z_view it reads, which fails; ours creates z_view first",
    ),
];

/// Cases drizzle-kit cannot generate without a terminal (it asks whether a
/// table moved): ours refuses too until the move is declared.
const REFUSED: &[&str] = &["move_table_schema"];

fn cases() -> Vec<PathBuf> {
    let dir = repo_root().join("compat/drizzle/changes");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("before/schema.rs").is_file())
        .collect();
    cases.sort();
    cases
}

fn generate_into(schema: &Path, out: &Path) -> Result<Generated, vitaes_migrate::Error> {
    generate_json(schema, out).map(|(g, _)| g)
}

/// Generates with `--json`, returning what happened and the printed document.
fn generate_json(
    schema: &Path,
    out: &Path,
) -> Result<(Generated, serde_json::Value), vitaes_migrate::Error> {
    let args = GenerateArgs {
        schema: vec![schema.to_path_buf()].into(),
        out: Some(out.to_path_buf()).into(),
        json: true.into(),
        ..Default::default()
    };
    let mut printed = Vec::new();
    let result = generate::run(&args, &Config::default(), out, &mut printed)?;
    let doc = serde_json::from_slice(&printed).expect("--json prints one JSON document");
    Ok((result, doc))
}

/// The committed schema of `--json` output.
fn plan_schema() -> jsonschema::Validator {
    let text =
        std::fs::read_to_string(repo_root().join("crates/vitaes-migrate/schemas/plan.schema.json"))
            .unwrap();
    jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).expect("a valid JSON Schema")
}

/// The hazards each case's change carries (all its changes together).
const HAZARDS: &[(&str, &[&str])] = &[
    ("add_check", &["lock", "may-fail"]),
    ("add_policy", &["rows-hidden"]),
    ("add_column_generated", &["rewrite"]),
    ("add_column_identity", &["rewrite"]),
    ("add_column_primary_key", &["lock", "may-fail"]),
    ("add_column_unique", &["lock", "may-fail"]),
    ("add_composite_pk", &["lock", "may-fail"]),
    ("add_fk", &["lock", "may-fail"]),
    ("add_generated", &["rewrite"]),
    ("add_identity_nullable", &["lock", "may-fail"]),
    ("add_index", &["lock"]),
    ("add_unique", &["lock", "may-fail"]),
    ("alter_type_text_to_enum", &["rewrite", "may-fail"]),
    (
        "alter_type_text_to_enum_with_default",
        &["rewrite", "may-fail"],
    ),
    ("alter_type_text_to_integer", &["rewrite", "may-fail"]),
    ("change_check", &["lock", "may-fail"]),
    ("change_composite_pk", &["lock", "may-fail"]),
    ("change_composite_pk_named", &["lock", "may-fail"]),
    ("change_fk", &["lock", "may-fail"]),
    ("change_generated", &["rewrite"]),
    ("change_index", &["lock", "may-fail"]),
    ("drop_column", &["data-loss"]),
    ("drop_enum", &["data-loss"]),
    ("drop_index", &["index-dropped"]),
    ("drop_policy", &["policy-dropped"]),
    ("drop_sequence", &["data-loss"]),
    ("drop_views", &["data-loss"]),
    ("alter_type_under_views", &["recompute", "rewrite"]),
    ("enable_rls", &["rows-hidden"]),
    ("drop_schema_with_table", &["data-loss"]),
    ("drop_table", &["data-loss"]),
    (
        "drop_table_while_altering",
        &["data-loss", "lock", "may-fail"],
    ),
    ("enum_remove_value", &["data-loss", "rewrite", "may-fail"]),
    ("enum_reorder", &["rewrite"]),
    ("set_not_null", &["lock", "may-fail"]),
];

#[tokio::test]
async fn every_change_kind() {
    let cases = cases();
    assert!(
        cases.len() >= 40,
        "expected the change cases, found {}",
        cases.len()
    );
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        if let Err(e) = run_case(case, &name).await {
            failures.push(format!("{name}: {e}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

async fn run_case(case: &Path, name: &str) -> Result<(), String> {
    let (before, after) = (case.join("before/schema.rs"), case.join("after/schema.rs"));
    let out = tempfile::tempdir().unwrap();
    generate_into(&before, out.path()).map_err(|e| format!("generate before: {e}"))?;
    let second = generate_json(&after, out.path());
    if REFUSED.contains(&name) {
        return match second {
            Err(e) if exit_code(&e) == 1 => Ok(()),
            other => Err(format!("expected a refusal, got {other:?}")),
        };
    }
    let (_, doc) = second.map_err(|e| format!("generate after: {e}"))?;
    if let Some(error) = plan_schema().iter_errors(&doc).next() {
        return Err(format!(
            "--json output does not match schemas/plan.schema.json: {error}"
        ));
    }
    let mut found: Vec<String> = doc["changes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| {
            c["hazards"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| h.as_str().unwrap().to_string())
        })
        .collect();
    found.sort();
    found.dedup();
    let mut expected: Vec<String> = HAZARDS
        .iter()
        .find(|(c, _)| *c == name)
        .map_or(vec![], |(_, h)| h.iter().map(|s| s.to_string()).collect());
    expected.sort();
    if found != expected {
        return Err(format!("hazards {found:?}, expected {expected:?}"));
    }
    let files = sql_files(out.path());
    let [first_sql, ours] = files.as_slice() else {
        return Err(format!("expected two migrations, got {}", files.len()));
    };
    insta::assert_snapshot!(format!("change_{name}"), ours);

    let theirs_path = case.join("drizzle/0001_after.sql");
    if theirs_path.is_file() {
        let theirs = std::fs::read_to_string(&theirs_path).unwrap();
        let ours = &without_hazard_comments(ours);
        match DELIBERATE.iter().find(|(c, _)| *c == name) {
            Some((_, why)) => {
                if *ours == theirs {
                    return Err(format!(
                        "listed as deliberately different ({why}) but equal to drizzle-kit's"
                    ));
                }
            }
            None => {
                if *ours != theirs {
                    return Err(format!(
                        "differs from drizzle-kit's:\n--- ours\n{ours}\n--- drizzle-kit\n{theirs}"
                    ));
                }
            }
        }
    }

    // On PostgreSQL: before, then our change, equals after built from empty.
    let (migrated, fresh) = (test_database().await, test_database().await);
    let (mut a, mut b) = (migrated.connect().await, fresh.connect().await);
    supabase_roles(&a).await;
    apply_migration(&mut a, first_sql)
        .await
        .map_err(|e| format!("applying before: {e}"))?;
    apply_migration(&mut a, ours)
        .await
        .map_err(|e| format!("applying our change: {e}"))?;
    let scratch = tempfile::tempdir().unwrap();
    generate_into(&after, scratch.path()).map_err(|e| format!("generate after from empty: {e}"))?;
    let from_empty = sql_files(scratch.path());
    apply_migration(&mut b, &from_empty[0])
        .await
        .map_err(|e| format!("applying after from empty: {e}"))?;
    let (da, db) = (dump_unordered(&a).await, dump_unordered(&b).await);
    if da != db {
        let only_a: Vec<_> = da.lines.iter().filter(|l| !db.lines.contains(l)).collect();
        let only_b: Vec<_> = db.lines.iter().filter(|l| !da.lines.contains(l)).collect();
        return Err(format!(
            "migrated database differs:\n  only migrated: {only_a:#?}\n  only fresh: {only_b:#?}"
        ));
    }

    match generate_into(&after, out.path()) {
        Ok(Generated::NothingToDo) => Ok(()),
        other => Err(format!("second generate was not empty: {other:?}")),
    }
}

/// A migration without the `-- hazard: ...` lines we put above statements.
fn without_hazard_comments(sql: &str) -> String {
    sql.split_inclusive('\n')
        .filter(|line| !line.starts_with("-- hazard: "))
        .collect()
}
