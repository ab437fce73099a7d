use vitaes_schema::Table;

#[derive(Table)]
pub struct Account {
    #[column(primary_key)]
    pub id: i32,
    #[column(type = "integer); DROP TABLE account; --")]
    pub balance: i64,
}

fn main() {}
