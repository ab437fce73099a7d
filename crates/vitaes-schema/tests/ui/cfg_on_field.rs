use vitaes_schema::Table;

#[derive(Table)]
pub struct User {
    #[column(primary_key)]
    pub id: String,
    #[cfg(all())]
    pub email: String,
}

fn main() {}
