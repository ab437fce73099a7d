//! Rust twin of `before/schema.ts` (add_check).

use vitaes_schema::Table;

#[derive(Table)]
#[table(name = "products")]
pub struct Products {
    #[column(primary_key)]
    pub id: i32,
    pub price: i32,
}
