//! Rust twin of `after/schema.ts` (change_check).

use vitaes_schema::Table;

#[derive(Table)]
#[table(
    name = "products",
    check(name = "price_positive", expr = "\"products\".\"price\" >= 0")
)]
pub struct Products {
    #[column(primary_key)]
    pub id: i32,
    pub price: i32,
}
