use vitaes_schema::Table;

#[derive(Table)]
pub struct User {
    #[column(primary_key, identity = "always")]
    pub id: String,
}

fn main() {}
