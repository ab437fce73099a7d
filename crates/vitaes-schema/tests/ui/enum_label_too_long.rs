use vitaes_schema::PgEnum;

#[derive(PgEnum)]
pub enum Status {
    Active,
    #[pg_enum(rename = "suspended_until_the_billing_contact_confirms_the_new_payment_method")]
    Suspended,
}

fn main() {}
