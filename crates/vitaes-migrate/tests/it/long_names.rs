//! Names past PostgreSQL's 63 bytes: cut as PostgreSQL cuts them, so our
//! database equals drizzle-kit's; where cut names would collide (which
//! drizzle-kit's SQL cannot apply), the later one gets a hash suffix.

use std::path::Path;

use vitaes_migrate::commands::generate::{self, GenerateArgs, Generated};
use vitaes_migrate::config::Config;
use vitaes_migrate::migrations_dir::MigrationsDir;
use vitaes_test_support::test_database;

use crate::catalog::{apply_migration, dump};
use crate::drizzle::drizzle_kit_generate;
use crate::paths::{only_sql_file, repo_root};

const LONG: &str = r#"
use vitaes_schema::Table;

#[derive(Table)]
#[table(name = "organizations")]
pub struct Organizations { #[column(primary_key)] pub id: i32 }

#[derive(Table)]
#[table(name = "subscription_entitlement_records", index(columns(tertiary_lookup_code_for_external_systems)))]
pub struct SubscriptionEntitlementRecords {
    #[column(primary_key)] pub id: i32,
    #[column(unique)] pub primary_contact_email_address_for_billing: Option<String>,
    #[column(references(Organizations, id))] pub secondary_reference_organization_identifier: Option<i32>,
    pub tertiary_lookup_code_for_external_systems: Option<String>,
    #[column(identity = "always")] pub quaternary_sequence_number_generated_identity: i32,
}
"#;

fn generate(schema_text: &str, out: &Path) -> Generated {
    let src = tempfile::tempdir().unwrap();
    let file = src.path().join("schema.rs");
    std::fs::write(&file, schema_text).unwrap();
    let args = GenerateArgs {
        schema: vec![file].into(),
        out: Some(out.to_path_buf()).into(),
        ..Default::default()
    };
    generate::run(&args, &Config::default(), out, &mut Vec::new()).expect("generate")
}

/// Every name in a snapshot: tables, constraints, indexes, identity sequences.
fn snapshot_names(dir: &Path) -> Vec<String> {
    let schema = MigrationsDir::open(dir, None)
        .unwrap()
        .last_snapshot()
        .unwrap()
        .unwrap()
        .schema;
    let mut names = Vec::new();
    for t in &schema.tables {
        names.push(t.name.clone());
        names.extend(t.uniques.iter().map(|u| u.name.clone()));
        names.extend(t.foreign_keys.iter().map(|f| f.name.clone()));
        names.extend(t.indexes.iter().map(|i| i.name.clone()));
        names.extend(t.primary_key.iter().map(|p| p.name.clone()));
        names.extend(
            t.columns
                .iter()
                .filter_map(|c| c.identity.as_ref().map(|i| i.name.clone())),
        );
    }
    names
}

#[tokio::test]
async fn long_default_names_are_the_ones_drizzle_kits_database_holds() {
    let out = tempfile::tempdir().unwrap();
    generate(LONG, out.path());
    let names = snapshot_names(out.path());
    assert!(names.iter().all(|n| n.len() <= 63), "{names:?}");
    assert!(
        names.iter().filter(|n| n.len() == 63).count() >= 4,
        "{names:?}"
    );

    let (ours, theirs) = (test_database().await, test_database().await);
    let (mut a, mut b) = (ours.connect().await, theirs.connect().await);
    apply_migration(
        &mut a,
        &std::fs::read_to_string(only_sql_file(out.path())).unwrap(),
    )
    .await
    .unwrap();
    let fixture = repo_root().join("compat/drizzle/fixtures/longnames");
    apply_migration(
        &mut b,
        &std::fs::read_to_string(only_sql_file(&fixture)).unwrap(),
    )
    .await
    .unwrap();
    let (da, db) = (dump(&a).await, dump(&b).await);
    assert_eq!(da.lines, db.lines);
    for n in &names {
        assert!(
            da.lines.iter().any(|l| l.contains(n.as_str())),
            "{n} not in the catalog"
        );
    }
    assert_eq!(generate(LONG, out.path()), Generated::NothingToDo);
}

const COL_1: &str = "a_really_long_column_name_that_keeps_going_and_going_and_goin_1";
const COL_2: &str = "a_really_long_column_name_that_keeps_going_and_going_and_goin_2";
const TABLE_63: &str = "a_table_name_of_exactly_sixty_three_bytes_to_meet_the_limit_xyz";

fn colliding_rust() -> String {
    format!(
        r#"
#[derive(Table)]
#[table(name = "t")]
pub struct T {{
    #[column(primary_key)] pub id: i32,
    #[column(unique)] pub {COL_1}: Option<String>,
    #[column(unique)] pub {COL_2}: Option<String>,
}}

#[derive(Table)]
#[table(name = "{TABLE_63}")]
pub struct Wide {{
    #[column(primary_key)] pub id: i32,
    #[column(unique)] pub email: Option<String>,
}}
"#
    )
}

fn colliding_ts() -> String {
    format!(
        "import {{ integer, pgTable, text }} from 'drizzle-orm/pg-core';\n\
         export const t = pgTable('t', {{ id: integer('id').primaryKey(), one: text('{COL_1}').unique(), two: text('{COL_2}').unique() }});\n\
         export const wide = pgTable('{TABLE_63}', {{ id: integer('id').primaryKey(), email: text('email').unique() }});\n"
    )
}

#[tokio::test]
async fn colliding_cut_names_get_a_hash_suffix_and_apply_where_drizzle_kits_do_not() {
    assert_eq!((TABLE_63.len(), COL_1.len()), (63, 63));
    let out = tempfile::tempdir().unwrap();
    generate(&colliding_rust(), out.path());
    let names = snapshot_names(out.path());
    let uniques: Vec<&String> = names
        .iter()
        .filter(|n| n.starts_with("t_a_really"))
        .collect();
    assert_eq!(uniques.len(), 2);
    assert_ne!(uniques[0], uniques[1]);
    assert!(uniques.iter().all(|n| n.len() == 63), "{uniques:?}");

    let db = test_database().await;
    let mut client = db.connect().await;
    apply_migration(
        &mut client,
        &std::fs::read_to_string(only_sql_file(out.path())).unwrap(),
    )
    .await
    .expect("our names apply");
    let stored: Vec<String> = client
        .query("SELECT conname::text FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public'", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    for n in names
        .iter()
        .filter(|n| n.ends_with("unique") || n.contains("_unique_") || uniques.contains(n))
    {
        assert!(
            stored.contains(n),
            "{n} is not what PostgreSQL stored: {stored:?}"
        );
    }
    assert_eq!(
        generate(&colliding_rust(), out.path()),
        Generated::NothingToDo
    );

    // drizzle-kit writes the full names; PostgreSQL cuts both to the same 63 bytes and fails.
    let ts = tempfile::tempdir().unwrap();
    std::fs::write(ts.path().join("schema.ts"), colliding_ts()).unwrap();
    let theirs = tempfile::tempdir().unwrap();
    let output = drizzle_kit_generate(ts.path(), theirs.path(), Some("init"));
    let sql_path = theirs.path().join("0000_init.sql");
    assert!(
        sql_path.is_file(),
        "drizzle-kit wrote nothing: {}",
        String::from_utf8_lossy(&output.stdout)
    );
    let db2 = test_database().await;
    let mut c2 = db2.connect().await;
    let err = apply_migration(&mut c2, &std::fs::read_to_string(sql_path).unwrap())
        .await
        .expect_err("drizzle-kit's names collide");
    assert!(format!("{err:?}").contains("already exists"), "{err:?}");
}
