//! The résumé app's own tables.

use chrono::NaiveDateTime;
use vitaes_schema::Table;

#[derive(Table)]
#[table(
    name = "resume",
    index(name = "idx_resume_user_email", columns(user_email)),
    index(name = "idx_resume_slug", columns(slug)),
    unique(name = "uk_resume_name_user_email", columns(name, user_email))
)]
pub struct Resume {
    #[column(primary_key)]
    pub id: String,
    pub name: String,
    pub user_email: String,
    #[column(type = "json")]
    pub data: Option<serde_json::Value>,
    #[column(default_now)]
    pub created_at: NaiveDateTime,
    #[column(default_now)]
    pub updated_at: NaiveDateTime,
    #[column(default = false)]
    pub is_public: bool,
    #[column(unique)]
    pub slug: String,
    #[column(default = 0)]
    pub views: i32,
    #[column(default = 0)]
    pub downloads: i32,
    pub thumbnail_url: Option<String>,
}
