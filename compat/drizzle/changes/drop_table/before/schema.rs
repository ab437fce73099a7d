//! Rust twin of `before/schema.ts` (drop_table).

use vitaes_schema::Table;

#[derive(Table)]
#[table(name = "posts")]
pub struct Posts {
    #[column(primary_key)]
    pub id: i32,
    pub title: Option<String>,
}

#[derive(Table)]
#[table(name = "users")]
pub struct Users {
    #[column(primary_key)]
    pub id: i32,
}
