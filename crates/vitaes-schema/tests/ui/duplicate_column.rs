use vitaes_schema::Table;

#[derive(Table)]
pub struct User {
    #[column(primary_key)]
    pub id: String,
    pub email: String,
    #[column(name = "email")]
    pub email_address: String,
}

fn main() {}
