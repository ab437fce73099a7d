//! Rust twin of `before/schema.ts` (drop_not_null).

use vitaes_schema::Table;

#[derive(Table)]
#[table(name = "users")]
pub struct Users {
    #[column(primary_key)]
    pub id: i32,
    pub name: String,
}
