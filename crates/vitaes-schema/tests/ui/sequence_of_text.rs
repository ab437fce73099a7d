use vitaes_schema::PgSequence;

#[derive(PgSequence)]
#[sequence(name = "invoice_no", as = "text")]
pub struct InvoiceNo;

fn main() {}
