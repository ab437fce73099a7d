//! Rust twin of `after/schema.ts` (create_views).

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
#[view(name = "raw_view", query = "select id, name from items where price > 10", check_option = "local", security_barrier, security_invoker)]
pub struct RawView {
    pub id: Option<i32>,
    pub name: Option<String>,
}

#[derive(PgView)]
#[view(name = "mat_view", query = "select id, name from items", materialized, using = "heap", with(fillfactor = 70), with_no_data)]
pub struct MatView {
    pub id: Option<i32>,
    pub name: Option<String>,
}

#[derive(PgView)]
#[view(name = "mat_on_view", query = "select id from raw_view", materialized)]
pub struct MatOnView {
    pub id: Option<i32>,
}
