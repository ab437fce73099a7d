//! Rust twin of `after/schema.ts` (sequence_cycle_off).

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
#[sequence(name = "invoice_no", start = 1000, increment = 2, min_value = 1, max_value = 1000000, cache = 5)]
pub struct InvoiceNo;
