use vitaes_schema::Table;

#[derive(Table)]
pub struct Event {
    #[column(primary_key)]
    pub id: i32,
    #[column(default_sql = "now(")]
    pub at: String,
}

fn main() {}
