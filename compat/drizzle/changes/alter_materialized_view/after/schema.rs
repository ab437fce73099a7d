//! Rust twin of `after/schema.ts` (alter_materialized_view).

use vitaes_schema::{PgSequence, PgView, Table};

#[derive(Table)]
#[table(name = "items")]
pub struct Items {
    #[column(primary_key)]
    pub id: i32,
    pub name: String,
    pub price: Option<i32>,
}

#[derive(PgView)]
#[view(name = "mv", query = "select id, name from items", materialized, with(fillfactor = 80, autovacuum_enabled = false))]
pub struct Mv {
    pub id: Option<i32>,
    pub name: Option<String>,
}
