//! Rust twin of `after/schema.ts` (create_sequences).

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
#[sequence(name = "invoice_no", start = 1000, increment = 2, min_value = 1, max_value = 1000000, cache = 5, cycle)]
pub struct InvoiceNo;

#[derive(PgSequence)]
#[sequence(name = "plain_seq")]
pub struct PlainSeq;

#[derive(Table)]
#[table(name = "invoices")]
pub struct Invoices {
    #[column(primary_key, default_sql = "nextval('invoice_no')")]
    pub id: i32,
}
