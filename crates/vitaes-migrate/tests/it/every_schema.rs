//! The "every attribute" schema: the Rust twin of
//! `compat/drizzle/schemas/every/every.ts`, using every attribute the derive
//! accepts. Compiled here (the derive's model) and read as source by the CLI
//! (`tests/it/every_schema.rs`), so both front ends are checked on it.
//!
//! Struct names sort like the TypeScript export names, so both tools create
//! the tables in the same order.

#![allow(dead_code)]
// clippy reads `#[table(...)]` column lists as repeated attributes.
#![allow(clippy::duplicated_attributes)]

use std::net::IpAddr;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use uuid::Uuid;
use vitaes_schema::{PgEnum, Table};

#[derive(PgEnum)]
pub enum Mood {
    Sad,
    Ok,
    Happy,
}

#[derive(PgEnum)]
#[pg_enum(name = "plan_tier", schema = "billing")]
pub enum PlanTier {
    Free,
    Pro,
    Enterprise,
}

#[derive(Table)]
#[table(
    name = "customers",
    schema = "billing",
    check(
        name = "customers_balance_check",
        expr = "\"billing\".\"customers\".\"balance\" >= 0"
    )
)]
pub struct Customers {
    #[column(primary_key, identity = "by_default")]
    pub id: i32,
    #[column(references(Organizations, id), on_delete = "cascade")]
    pub org_id: i32,
    #[column(default = "free")]
    pub tier: PlanTier,
    #[column(type = "numeric(12,2)", default = "0")]
    pub balance: String,
}

#[derive(Table)]
#[table(
    name = "events",
    foreign_key(
        name = "events_membership_fk",
        columns(org_id, user_id),
        references(Memberships, columns(org_id, user_id)),
        on_delete = "cascade"
    ),
    index(name = "events_occurred_at_idx", columns(occurred_at desc nulls last)),
    index(name = "events_day_idx", columns(day nulls first)),
    index(name = "events_score_idx", columns(score asc nulls last)),
    index(
        name = "events_org_day_uidx",
        columns(org_id, day),
        unique,
        where = "\"events\".\"deleted_at\" is null"
    ),
    index(name = "events_user_idx", columns(user_id), concurrently),
    index(name = "events_org_idx", columns(org_id), with(fillfactor = 70)),
    index(name = "events_user_hash_idx", columns(user_id), method = "hash")
)]
pub struct Events {
    #[column(primary_key, identity = "always")]
    pub id: i64,
    pub org_id: i32,
    pub user_id: Uuid,
    pub kind: Option<Mood>,
    #[column(type = "json")]
    pub payload: Option<serde_json::Value>,
    pub day: Option<NaiveDate>,
    pub at_time: Option<NaiveTime>,
    #[column(default = 1.5)]
    pub score: Option<f32>,
    pub weight: Option<f64>,
    pub counts: Option<Vec<i32>>,
    #[column(type = "timestamptz(3)", default_now)]
    pub occurred_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
}

#[derive(Table)]
#[table(
    name = "memberships",
    primary_key(columns(org_id, user_id)),
    index(columns(user_id, org_id))
)]
pub struct Memberships {
    #[column(
        references(Organizations, id),
        on_delete = "cascade",
        on_update = "restrict"
    )]
    pub org_id: i32,
    #[column(references(Users, id), on_delete = "cascade")]
    pub user_id: Uuid,
    #[column(default = -1)]
    pub position: i32,
    #[column(default_now)]
    pub joined_at: NaiveDateTime,
}

/// Its default foreign key name is 74 bytes; PostgreSQL keeps 63.
#[derive(Table)]
#[table(name = "organization_subscription_entitlements")]
pub struct OrganizationSubscriptionEntitlements {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(references(Customers, id))]
    pub billing_customer_id: i32,
    pub feature: String,
}

#[derive(Table)]
#[table(
    name = "organizations",
    foreign_key(
        name = "organizations_parent_fk",
        columns(parent_id),
        references(Organizations, columns(id)),
        on_delete = "set null"
    ),
    unique(name = "organizations_name_parent_key", columns(name, parent_id)),
    unique(columns(slug, parent_id), nulls_not_distinct),
    check(
        name = "organizations_seats_check",
        expr = "\"organizations\".\"seats\" > 0"
    )
)]
pub struct Organizations {
    #[column(primary_key, serial)]
    pub id: i32,
    pub name: String,
    #[column(type = "varchar(255)")]
    pub slug: Option<String>,
    pub parent_id: Option<i32>,
    #[column(default = 5)]
    pub seats: i16,
    #[column(default = "it's")]
    pub motto: Option<String>,
    /// Not a column.
    #[column(skip)]
    pub member_count_cache: Option<u64>,
}

#[derive(Table)]
#[table(
    name = "tag_assignments",
    primary_key(name = "tag_assignments_pk", columns(tag, event_id))
)]
pub struct TagAssignments {
    pub tag: String,
    #[column(references(Events, id), on_delete = "cascade")]
    pub event_id: i64,
    #[column(references(Users, id), on_delete = "set null")]
    pub assigned_by: Option<Uuid>,
}

#[derive(Table)]
#[table(
    name = "users",
    index(name = "users_email_lower_idx", columns(expr("lower(\"email\")"))),
    index(name = "users_settings_idx", columns(settings opclass = "jsonb_path_ops"), method = "gin"),
    check(name = "users_email_check", expr = "\"users\".\"email\" like '%@%'")
)]
pub struct Users {
    #[column(primary_key, default_sql = "gen_random_uuid()")]
    pub id: Uuid,
    #[column(type = "varchar(255)", unique)]
    pub email: String,
    #[column(generated = "lower(email)")]
    pub email_lower: Option<String>,
    #[column(unique = "users_handle_key")]
    pub handle: String,
    #[column(unique(name = "users_nickname_key", nulls_not_distinct))]
    pub nickname: Option<String>,
    #[column(default = "ok")]
    pub mood: Mood,
    pub past_moods: Option<Vec<Mood>>,
    #[column(default = true)]
    pub is_active: bool,
    #[column(default_sql = "'{}'::text[]")]
    pub tags: Vec<String>,
    #[column(default_sql = "'{}'::jsonb")]
    pub settings: serde_json::Value,
    pub last_ip: Option<IpAddr>,
    #[column(default_now)]
    pub created_at: DateTime<Utc>,
}

/// The schema from the compiled impls, in the order the CLI reads the file.
pub fn schema() -> Result<vitaes_schema::Schema, vitaes_schema::ResolveErrors> {
    vitaes_schema::SchemaBuilder::new()
        .pg_enum::<Mood>()
        .pg_enum::<PlanTier>()
        .table::<Customers>()
        .table::<Events>()
        .table::<Memberships>()
        .table::<OrganizationSubscriptionEntitlements>()
        .table::<Organizations>()
        .table::<TagAssignments>()
        .table::<Users>()
        .build()
}

pub fn source_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/every_schema.rs")
}
