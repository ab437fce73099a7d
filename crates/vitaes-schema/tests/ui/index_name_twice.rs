use vitaes_schema::Table;

#[derive(Table)]
#[table(
    index(name = "ix_post", columns(title)),
    index(name = "ix_post", columns(slug))
)]
pub struct Post {
    #[column(primary_key)]
    pub id: i32,
    pub title: String,
    pub slug: String,
}

fn main() {}
