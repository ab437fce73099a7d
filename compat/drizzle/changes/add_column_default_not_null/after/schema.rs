//! Rust twin of `after/schema.ts` (add_column_default_not_null).

use vitaes_schema::Table;

#[derive(Table)]
#[table(name = "users")]
pub struct Users {
    #[column(primary_key)]
    pub id: i32,
    #[column(default = 0)]
    pub age: i32,
    #[column(default = "active")]
    pub status: String,
}
