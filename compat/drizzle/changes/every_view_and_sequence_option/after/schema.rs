//! Rust twin of `after/schema.ts` (every_view_and_sequence_option).

use vitaes_schema::{PgSequence, PgView, Table};

#[derive(Table)]
#[table(name = "items")]
pub struct Items {
    #[column(primary_key)]
    pub id: i32,
    pub name: String,
    pub price: Option<i32>,
}

#[derive(PgSequence)]
#[sequence(name = "app_seq", schema = "app", start = 10, increment = 5, min_value = 10, max_value = 100000, cache = 3)]
pub struct AppSeq;

#[derive(PgView)]
#[view(name = "app_view", query = "select id from items", schema = "app", security_barrier)]
pub struct AppView {
    pub id: Option<i32>,
}

#[derive(PgView)]
#[view(name = "legacy", existing)]
pub struct Legacy {
    pub id: Option<i32>,
}

#[derive(PgView)]
#[view(name = "stock_view", query = "select id, price from items", materialized, using = "heap", with(fillfactor = 70, autovacuum_enabled = false), tablespace = "pg_default", with_no_data)]
pub struct StockView {
    pub id: Option<i32>,
    pub price: Option<i32>,
}
