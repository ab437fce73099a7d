//! Rust twin of `after/schema.ts` (alter_type_under_views).

use vitaes_schema::{PgSequence, PgView, Table};

#[derive(Table)]
#[table(name = "items")]
pub struct Items {
    #[column(primary_key)]
    pub id: i32,
    pub name: String,
    pub price: Option<i64>,
}

#[derive(PgView)]
#[view(name = "price_view", query = "select id, price from items")]
pub struct PriceView {
    pub id: Option<i32>,
    pub price: Option<i64>,
}

#[derive(PgView)]
#[view(name = "price_totals", query = "select sum(price) as total from price_view", materialized)]
pub struct PriceTotals {
    #[column(type = "numeric")]
    pub total: Option<String>,
}
