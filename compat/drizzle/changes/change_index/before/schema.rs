//! Rust twin of `before/schema.ts` (change_index).

use vitaes_schema::Table;

#[derive(Table)]
#[table(name = "posts", index(name = "posts_title_idx", columns(title)))]
pub struct Posts {
    #[column(primary_key)]
    pub id: i32,
    pub title: String,
    pub draft: bool,
}
