use vitaes_schema::Table;

#[derive(Table)]
pub struct Counter {
    #[column(primary_key)]
    pub id: i32,
    #[column(default = true)]
    pub value: i32,
}

fn main() {}
