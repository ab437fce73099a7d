//! Extensions pushed onto a real server: created before the tables that use
//! them, then nothing; one the code does not declare is never dropped.

use crate::sources::{kinds, options, schema_from};
use vitaes_migrate::push::{plan, push};
use vitaes_test_support::test_database;

/// A trigram index needs the extension's operator class: it works only when
/// the extension is created first.
const TRGM: &str = r#"
#[derive(PgExtension)]
pub struct PgTrgm;

#[derive(Table)]
#[table(index(name = "note_body_trgm", columns(body opclass = "gin_trgm_ops"), method = "gin"))]
pub struct Note { #[column(primary_key)] pub id: i32, pub body: String }
"#;

const WITHOUT: &str = r#"
#[derive(Table)]
#[table(index(name = "note_body_trgm", columns(body opclass = "gin_trgm_ops"), method = "gin"))]
pub struct Note { #[column(primary_key)] pub id: i32, pub body: String }
"#;

#[tokio::test]
async fn an_extension_is_created_first_then_nothing_and_never_dropped_undeclared() {
    let (with, without) = (schema_from(TRGM), schema_from(WITHOUT));
    let db = test_database().await;
    let client = db.connect().await;
    let first = plan(&client, &with, &options(&with)).await.unwrap();
    assert_eq!(
        kinds(&first),
        ["create_extension", "create_table", "create_index"]
    );
    push(&client, &with, &options(&with)).await.unwrap();
    let installed: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(installed, 1);
    let again = plan(&client, &with, &options(&with)).await.unwrap();
    assert!(again.is_empty(), "second push plans {:?}", kinds(&again));
    // Left out of the code, the extension stays (its index still needs it).
    let undeclared = plan(&client, &without, &options(&without)).await.unwrap();
    assert!(undeclared.is_empty(), "{:?}", kinds(&undeclared));
}
