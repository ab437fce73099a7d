//! Rust twin of `after/schema.ts` (enum_reorder).

use vitaes_schema::{PgEnum, Table};

#[derive(PgEnum)]
#[pg_enum(name = "status")]
pub enum Status {
    Closed,
    Pending,
    Open,
}

#[derive(Table)]
#[table(name = "tickets")]
pub struct Tickets {
    #[column(primary_key)]
    pub id: i32,
    pub status: Option<Status>,
}
