//! Rust twin of `after/schema.ts` (add_column_unique).

use vitaes_schema::Table;

#[derive(Table)]
#[table(name = "users")]
pub struct Users {
    #[column(primary_key)]
    pub id: i32,
    #[column(unique)]
    pub email: Option<String>,
}
