use vitaes_schema::Table;

#[derive(Table)]
#[table(name = "a_table_name_that_is_much_longer_than_the_sixty_three_bytes_postgres_keeps")]
pub struct User {
    #[column(primary_key)]
    pub id: String,
}

fn main() {}
