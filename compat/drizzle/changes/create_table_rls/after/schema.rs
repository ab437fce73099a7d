//! Rust twin of `after/schema.ts` (create_table_rls).

use vitaes_schema::Table;

#[derive(Table)]
#[table(name = "products")]
pub struct Products {
    #[column(primary_key)]
    pub id: i32,
}

#[derive(Table)]
#[table(name = "notes", rls)]
pub struct Notes {
    #[column(primary_key)]
    pub id: i32,
    pub owner: String,
}
