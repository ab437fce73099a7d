//! The database our SQL builds equals the one drizzle-kit's SQL builds.

use vitaes_test_support::test_database;

use crate::catalog::{apply_sql, dump};
use crate::paths::*;

#[tokio::test]
async fn our_sql_builds_the_same_database_as_drizzle_kits() {
    let ours = generate_vitaes();
    let our_sql = std::fs::read_to_string(only_sql_file(ours.path())).unwrap();
    let their_sql = std::fs::read_to_string(only_sql_file(&vitaes_fixture_dir())).unwrap();

    let (db_ours, db_theirs) = (test_database().await, test_database().await);
    let (mut ours_client, mut theirs_client) = (db_ours.connect().await, db_theirs.connect().await);

    // Both start empty, so equality below is about what the SQL built.
    assert_eq!(dump(&ours_client).await.tables, 0);
    apply_sql(&mut ours_client, &our_sql).await;
    apply_sql(&mut theirs_client, &their_sql).await;

    let a = dump(&ours_client).await;
    let b = dump(&theirs_client).await;
    assert_eq!(a.tables, 5);
    assert_eq!(a.primary_keys, 5);
    assert_eq!(a.uniques, 4);
    assert_eq!(a.foreign_keys, 2);
    assert_eq!(a.indexes, 11);
    assert!(
        a.lines.iter().any(|l| l.contains("ON DELETE CASCADE")),
        "{:#?}",
        a.lines
    );
    assert!(
        a.lines
            .iter()
            .any(|l| l.contains("is_public boolean not null default false")),
        "{:#?}",
        a.lines
    );
    assert_eq!(a, b);
}
