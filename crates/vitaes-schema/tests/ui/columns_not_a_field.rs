use vitaes_schema::Table;

#[derive(Table)]
#[table(index(name = "idx_user_email", columns(emial)))]
pub struct User {
    #[column(primary_key)]
    pub id: String,
    pub email: String,
}

fn main() {}
