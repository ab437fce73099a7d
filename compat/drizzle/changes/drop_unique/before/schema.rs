//! Rust twin of `before/schema.ts` (drop_unique).

use vitaes_schema::Table;

#[derive(Table)]
#[table(
    name = "users",
    unique(name = "users_code_key", columns(code), nulls_not_distinct)
)]
pub struct Users {
    #[column(primary_key)]
    pub id: i32,
    #[column(unique)]
    pub email: Option<String>,
    pub code: Option<String>,
}
