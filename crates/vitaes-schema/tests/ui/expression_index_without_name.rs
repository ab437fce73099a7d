use vitaes_schema::Table;

#[derive(Table)]
#[table(index(columns(expr("lower(email)"))))]
pub struct User {
    #[column(primary_key)]
    pub id: String,
    pub email: String,
}

fn main() {}
