//! Our `generate` output against drizzle-kit's committed output for the same
//! schema: SQL byte for byte, snapshot as parsed JSON (ids aside), journal
//! apart from `when` and the tag.

use serde_json::Value;
use vitaes_migrate::source::load_schema;
use vitaes_schema_core::snapshot;

use crate::paths::*;

fn read(path: &std::path::Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn json(path: &std::path::Path) -> Value {
    serde_json::from_str(&read(path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn sql_is_byte_identical_to_drizzle_kit() {
    let ours = generate_vitaes();
    let our_sql = read(&only_sql_file(ours.path()));
    let their_sql = read(&only_sql_file(&vitaes_fixture_dir()));
    assert!(
        their_sql.contains("CREATE TABLE \"resume\""),
        "fixture looks wrong"
    );
    assert_eq!(our_sql, their_sql);
    // The file ends exactly where drizzle-kit's does: after the last index, no newline.
    assert!(our_sql.ends_with("USING btree (\"slug\");"));
    assert_eq!(our_sql.matches("--> statement-breakpoint\n").count(), 8);
}

#[test]
fn snapshot_equals_drizzle_kits_apart_from_ids() {
    let ours = generate_vitaes();
    let mut a = json(&ours.path().join("meta/0000_snapshot.json"));
    let mut b = json(&vitaes_fixture_dir().join("meta/0000_snapshot.json"));
    for v in [&mut a, &mut b] {
        let obj = v.as_object_mut().unwrap();
        assert_eq!(obj["prevId"], "00000000-0000-0000-0000-000000000000");
        assert!(obj
            .remove("id")
            .is_some_and(|id| id.as_str().is_some_and(|s| s.len() == 36)));
        obj.remove("prevId");
    }
    assert_eq!(a["tables"].as_object().unwrap().len(), 5);
    assert_eq!(a, b);
}

#[test]
fn journal_equals_drizzle_kits_apart_from_when_and_tag() {
    let ours = generate_vitaes();
    let mut a = json(&ours.path().join("meta/_journal.json"));
    let mut b = json(&vitaes_fixture_dir().join("meta/_journal.json"));
    assert_eq!(a["entries"][0]["tag"], "0000_init");
    for v in [&mut a, &mut b] {
        let entry = v["entries"][0].as_object_mut().unwrap();
        assert!(entry
            .remove("when")
            .is_some_and(|w| w.as_u64().is_some_and(|w| w > 1_600_000_000_000)));
        entry.remove("tag");
    }
    assert_eq!(a, b);
}

#[test]
fn snapshot_reader_reads_drizzle_kits_snapshot_as_our_schema() {
    let text = read(&vitaes_fixture_dir().join("meta/0000_snapshot.json"));
    let theirs = snapshot::from_json(&text).expect("drizzle-kit's snapshot parses");
    let ours = load_schema(&[vitaes_schema_dir()]).expect("sources load");
    assert_eq!(theirs.schema, ours);
    assert_eq!(theirs.prev_id, snapshot::ZERO_ID);
}

#[test]
fn snapshot_round_trips_through_our_writer() {
    let ours = load_schema(&[vitaes_schema_dir()]).expect("sources load");
    let snap = snapshot::Snapshot {
        id: "x".into(),
        prev_id: snapshot::ZERO_ID.into(),
        schema: ours,
    };
    let back = snapshot::from_json(&snapshot::to_json(&snap)).expect("our snapshot parses");
    assert_eq!(back, snap);
}

#[test]
fn snapshot_reader_cuts_long_names_as_postgres_does() {
    let text = read(&vitaes_fixture_dir().join("meta/0000_snapshot.json"));
    let long = format!("{}_unique", "very_long_constraint_name_".repeat(3));
    assert!(long.len() > 63);
    let edited = text.replace("\"user_email_unique\"", &format!("\"{long}\""));
    let snap = snapshot::from_json(&edited).expect("parses");
    let user = snap.schema.table("public", "user").unwrap();
    assert_eq!(user.uniques[0].name, long[..63]);
}

#[test]
fn derive_model_equals_cli_model_for_the_vitaes_crate() {
    let from_derive = vitaes_db::schema().expect("the compiled tables resolve");
    let from_sources = load_schema(&[vitaes_schema_dir()]).expect("sources load");
    assert_eq!(from_derive.tables.len(), 5);
    assert_eq!(from_derive, from_sources);
}

#[test]
fn committed_migrations_are_up_to_date_with_the_example() {
    // What the README's main command checks: the repository's own folder.
    let dir = repo_root().join("migrations");
    let snap = vitaes_migrate::migrations_dir::MigrationsDir::open(&dir, None)
        .and_then(|d| d.last_snapshot())
        .expect("migrations/ reads")
        .expect("migrations/ has a snapshot");
    let code = load_schema(&[vitaes_schema_dir()]).expect("sources load");
    assert_eq!(snap.schema, code);
    let sql = read(&only_sql_file(&dir));
    assert_eq!(sql, read(&only_sql_file(&vitaes_fixture_dir())));
}
