use vitaes_schema::Table;

#[derive(Table)]
pub struct User {
    #[column(primary_key)]
    pub id: String,
}

#[derive(Table)]
pub struct Session {
    #[column(primary_key)]
    pub id: String,
    #[column(references(User, idd))]
    pub user_id: String,
}

fn main() {}
