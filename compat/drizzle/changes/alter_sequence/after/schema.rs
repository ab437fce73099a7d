//! Rust twin of `after/schema.ts` (alter_sequence).

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
#[sequence(name = "invoice_no", start = 2000, increment = 3, cache = 10, cycle)]
pub struct InvoiceNo;
