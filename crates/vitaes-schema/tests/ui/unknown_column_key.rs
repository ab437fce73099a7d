use vitaes_schema::Table;

#[derive(Table)]
pub struct User {
    #[column(primary_key, colour = "red")]
    pub id: String,
}

fn main() {}
