use vitaes_schema::Table;

#[derive(Table)]
pub struct User {
    #[column(primary_key)]
    pub id: String,
    #[column(unique, unique)]
    pub email: String,
}

fn main() {}
