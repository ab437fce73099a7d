use vitaes_schema::Table;

#[derive(Table)]
pub struct Counter {
    #[column(primary_key)]
    pub id: i32,
    #[column(default = 99999999999)]
    pub small: i16,
}

fn main() {}
