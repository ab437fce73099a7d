//! Rust twin of `before/schema.ts` (add_column_default_not_null).

use vitaes_schema::Table;

#[derive(Table)]
#[table(name = "users")]
pub struct Users {
    #[column(primary_key)]
    pub id: i32,
}
