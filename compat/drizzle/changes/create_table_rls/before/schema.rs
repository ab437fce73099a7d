//! Rust twin of `before/schema.ts` (create_table_rls).

use vitaes_schema::Table;

#[derive(Table)]
#[table(name = "products")]
pub struct Products {
    #[column(primary_key)]
    pub id: i32,
}
