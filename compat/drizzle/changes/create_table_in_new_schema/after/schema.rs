//! Rust twin of `after/schema.ts` (create_table_in_new_schema).

use vitaes_schema::Table;

#[derive(Table)]
#[table(name = "items", schema = "app")]
pub struct Items {
    #[column(primary_key)]
    pub id: i32,
    pub name: String,
}

#[derive(Table)]
#[table(name = "users")]
pub struct Users {
    #[column(primary_key)]
    pub id: i32,
}
