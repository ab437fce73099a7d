//! Rust twin of `after/schema.ts` (drop_column_primary_key).

use vitaes_schema::Table;

#[derive(Table)]
#[table(name = "users")]
pub struct Users {
    pub id: Option<i32>,
    pub name: Option<String>,
}
