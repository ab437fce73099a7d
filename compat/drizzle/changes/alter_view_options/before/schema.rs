//! Rust twin of `before/schema.ts` (alter_view_options).

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
#[view(name = "v", query = "select id, name from items where price > 10", check_option = "local", security_barrier)]
pub struct V {
    pub id: Option<i32>,
    pub name: Option<String>,
}
