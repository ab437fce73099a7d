//! One of each attribute form the parser reads.

use vitaes_schema::{PgEnum, PgSchema, Table};

#[derive(PgSchema)]
#[pg_schema(name = "billing")]
pub struct Billing;

#[derive(PgEnum)]
#[pg_enum(name = "plan_tier", schema = "billing")]
pub enum PlanTier {
    Free,
    #[pg_enum(rename = "pro-plan")]
    Pro,
}

#[derive(Table)]
#[table(
    name = "account",
    schema = "billing",
    rename_all = "camelCase",
    primary_key(columns(id, region)),
    index(name = "account_email_idx", columns(email), unique, method = "btree", where = "active"),
    index(name = "account_lower_idx", columns(expr("lower(email)"), region desc nulls first)),
    unique(name = "account_org_email", columns(org_id, email), nulls_not_distinct),
    check(name = "visits_positive", expr = "visits >= 0"),
    foreign_key(columns(org_id), references(Org, columns(id)), on_delete = "cascade")
)]
pub struct Account {
    #[column(identity(by_default, start = 10, increment = 2, cache = 5))]
    pub id: i64,
    pub region: String,
    #[column(unique, name = "e_mail", type = "varchar(255)")]
    pub email: String,
    #[column(default = true)]
    pub active: bool,
    #[column(default = 0, renamed_from = "hits")]
    pub visits: i32,
    #[column(default_sql = "now()")]
    pub seen_at: chrono::DateTime<chrono::Utc>,
    #[column(generated = "lower(email)")]
    pub lower_email: Option<String>,
    #[column(references(Org, id), on_update = "restrict")]
    pub org_id: Option<i64>,
    pub tier: Vec<PlanTier>,
    #[column(skip)]
    pub cached: u128,
}

#[derive(Table)]
pub struct Org {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(default_now)]
    pub created_at: chrono::NaiveDateTime,
}
