//! Rust twin of `before/schema.ts` (drop_schema_with_table).

use vitaes_schema::Table;

#[derive(Table)]
#[table(name = "old_users", schema = "archive")]
pub struct OldUsers {
    #[column(primary_key)]
    pub id: i32,
}

#[derive(Table)]
#[table(name = "users")]
pub struct Users {
    #[column(primary_key)]
    pub id: i32,
}
