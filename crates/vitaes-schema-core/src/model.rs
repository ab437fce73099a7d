//! The resolved schema model: what a set of annotated structs means in SQL terms.
//!
//! Every name here is an SQL name (already defaulted and truncated by
//! [`crate::naming`]); the diff, the SQL renderer and the snapshot format all
//! work on this one model.

use serde::{Deserialize, Serialize};

/// A whole database schema as the code (or a snapshot) declares it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Schema {
    /// Non-`public` schemas the tables and enums live in, in declaration order.
    pub schemas: Vec<String>,
    /// Enum types in declaration order.
    pub enums: Vec<EnumDef>,
    /// Tables in generation order (drizzle-kit's: source file, then struct name).
    pub tables: Vec<TableDef>,
    /// Tables declared only so others can reference them
    /// (`#[table(external)]`, e.g. Supabase's `auth.users`): never created,
    /// altered, dropped or written to a snapshot; push checks they exist.
    pub external: Vec<TableDef>,
    /// Roles (`#[derive(PgRole)]`) in declaration order. Roles belong to the
    /// cluster, so which of them are compared is the caller's choice (the
    /// `[roles]` section of vitaes.toml), not the diff's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<RoleDef>,
    /// Extensions (`#[derive(PgExtension)]`) in declaration order, created
    /// before everything that may use them. drizzle-kit manages none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<ExtensionDef>,
    /// Standalone sequences in declaration order, created before the tables
    /// whose defaults may use them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sequences: Vec<SequenceDef>,
    /// Views and materialized views in declaration order (plain views first,
    /// as drizzle-kit lists them); the diff creates them in dependency order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub views: Vec<ViewDef>,
    /// `COMMENT ON` texts, from doc comments when `comments = true`
    /// (drizzle-kit keeps none). Kept apart from the objects so that a schema
    /// without comments is exactly the schema drizzle-kit knows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub comments: Vec<CommentDef>,
}

/// A database comment on one object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentDef {
    /// What it is on.
    #[serde(flatten)]
    pub on: CommentOn,
    /// The text.
    pub text: String,
}

/// The object a comment is on.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "on", rename_all = "snake_case")]
pub enum CommentOn {
    /// `COMMENT ON TABLE`.
    Table {
        /// The table's schema.
        schema: String,
        /// The table.
        name: String,
    },
    /// `COMMENT ON COLUMN` of a table or view.
    Column {
        /// The relation's schema.
        schema: String,
        /// The table or view.
        table: String,
        /// The column.
        column: String,
    },
    /// `COMMENT ON [MATERIALIZED] VIEW`.
    View {
        /// The view's schema.
        schema: String,
        /// The view.
        name: String,
        /// `MATERIALIZED VIEW`.
        #[serde(default)]
        materialized: bool,
    },
    /// `COMMENT ON TYPE` of an enum.
    Enum {
        /// The type's schema.
        schema: String,
        /// The type.
        name: String,
    },
}

impl CommentOn {
    /// The object as `schema.name[.column]`, whatever its kind of view.
    pub fn key(&self) -> (u8, &str, &str, &str) {
        match self {
            CommentOn::Table { schema, name } => (0, schema, name, ""),
            CommentOn::Column {
                schema,
                table,
                column,
            } => (1, schema, table, column),
            CommentOn::View { schema, name, .. } => (2, schema, name, ""),
            CommentOn::Enum { schema, name } => (3, schema, name, ""),
        }
    }
}

/// `CREATE [MATERIALIZED] VIEW` (`#[derive(PgView)]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ViewDef {
    /// The view's name.
    pub name: String,
    /// Its schema.
    pub schema: String,
    /// The query (`SELECT ...`), as written; `None` for an `existing` view.
    pub definition: Option<String>,
    /// `CREATE MATERIALIZED VIEW`.
    pub materialized: bool,
    /// Declared for Rust code only: never created, altered or dropped.
    pub existing: bool,
    /// The columns the query yields, as declared by the struct's fields.
    pub columns: Vec<ColumnDef>,
    /// `WITH (...)` options in declaration order, by their SQL names
    /// (`check_option`, `security_barrier`, `fillfactor`).
    pub with: Vec<ViewOption>,
    /// `WITH NO DATA` (materialized views; a creation-time choice only).
    pub with_no_data: bool,
    /// `USING <access method>` (materialized views).
    pub using: Option<String>,
    /// `TABLESPACE <name>` (materialized views).
    pub tablespace: Option<String>,
}

/// One `WITH (key = value)` option of a view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ViewOption {
    /// The SQL name (`check_option`, `fillfactor`).
    pub key: String,
    /// The value.
    pub value: OptionValue,
}

/// A storage option's value, typed as drizzle-kit's snapshot keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum OptionValue {
    /// `true` / `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A decimal number.
    Float(f64),
    /// A word (`local`, `cascaded`, `off`).
    Text(String),
}

impl OptionValue {
    /// The value as `WITH (...)` writes it: unquoted, as drizzle-kit does.
    pub fn to_sql(&self) -> String {
        match self {
            OptionValue::Bool(b) => b.to_string(),
            OptionValue::Int(i) => i.to_string(),
            OptionValue::Float(f) => f.to_string(),
            OptionValue::Text(t) => t.clone(),
        }
    }
}

impl ViewDef {
    /// The option `key`, if set.
    pub fn option(&self, key: &str) -> Option<&OptionValue> {
        self.with.iter().find(|o| o.key == key).map(|o| &o.value)
    }
}

/// `CREATE EXTENSION IF NOT EXISTS "name" [SCHEMA "s"] [VERSION 'v']`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtensionDef {
    /// The extension's name as `pg_available_extensions` spells it (`uuid-ossp`).
    pub name: String,
    /// Where its objects go; the server's default (the first schema of
    /// `search_path`) when not said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// A pinned version; the package's default when not said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

impl Schema {
    /// The table `schema.name`, if declared.
    pub fn table(&self, schema: &str, name: &str) -> Option<&TableDef> {
        self.tables
            .iter()
            .find(|t| t.schema == schema && t.name == name)
    }

    /// Whether `schema.name` is one of [`Schema::external`].
    pub fn is_external(&self, schema: &str, name: &str) -> bool {
        self.external
            .iter()
            .any(|t| t.schema == schema && t.name == name)
    }

    /// True when nothing at all is declared.
    pub fn is_empty(&self) -> bool {
        self.schemas.is_empty()
            && self.enums.is_empty()
            && self.tables.is_empty()
            && self.sequences.is_empty()
            && self.views.is_empty()
    }
}

/// A role (`CREATE ROLE`), with the attributes drizzle-kit 0.31 manages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleDef {
    /// The role's name.
    pub name: String,
    /// `CREATEDB`.
    pub create_db: bool,
    /// `CREATEROLE`.
    pub create_role: bool,
    /// `INHERIT` (PostgreSQL's default) or `NOINHERIT`.
    pub inherit: bool,
    /// Declared only to be referred to (`#[pg_role(existing)]`): never
    /// created, altered, dropped or written to a snapshot.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub existing: bool,
}

impl RoleDef {
    /// A role with PostgreSQL's defaults (`CREATE ROLE "name"`).
    pub fn new(name: impl Into<String>) -> RoleDef {
        RoleDef {
            name: name.into(),
            create_db: false,
            create_role: false,
            inherit: true,
            existing: false,
        }
    }
}

/// A PostgreSQL enum type (`CREATE TYPE ... AS ENUM`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnumDef {
    /// The type's SQL name.
    pub name: String,
    /// The schema the type lives in (`public` by default).
    pub schema: String,
    /// The labels, in declaration order.
    pub values: Vec<String>,
}

/// A table with its columns, keys, indexes and checks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableDef {
    /// The table's SQL name.
    pub name: String,
    /// `public` unless declared otherwise.
    pub schema: String,
    /// Columns in declaration order.
    pub columns: Vec<ColumnDef>,
    /// A table-level (composite or named) primary key. A column-level key is
    /// [`ColumnDef::primary_key`] instead, as drizzle-kit models it.
    pub primary_key: Option<PrimaryKey>,
    /// Unique constraints: column-level ones first, then the table's.
    pub uniques: Vec<Unique>,
    /// Foreign key constraints.
    pub foreign_keys: Vec<ForeignKey>,
    /// Indexes, in declaration order.
    pub indexes: Vec<IndexDef>,
    /// Check constraints.
    pub checks: Vec<Check>,
    /// `#[table(rls)]` (drizzle-kit's `.enableRLS()`, its snapshot's
    /// `isRLSEnabled`): row-level security declared on its own. A table with
    /// policies has it too; [`TableDef::rls_enabled`] says whether it is on.
    #[serde(default)]
    pub rls: bool,
    /// Row-level security policies, in declaration order.
    #[serde(default)]
    pub policies: Vec<PolicyDef>,
    /// `#[table(rls(force))]`: `FORCE ROW LEVEL SECURITY`, the policies bind
    /// the table's owner too (who otherwise bypasses them). drizzle-kit has
    /// no such switch; snapshots keep it in a field of our own.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub force_rls: bool,
    /// Row-level security is off although the table has policies: a state
    /// only a live database can be in (code and snapshots imply it on), set
    /// by introspection so that the diff enables it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub rls_off: bool,
    /// `renamed_from = "old"`: a hint for the diff, not part of the table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
}

impl TableDef {
    /// The primary key's columns, whichever way it is declared (on the
    /// table, or `primary_key` on one column); empty without one.
    pub fn key_columns(&self) -> Vec<&str> {
        match &self.primary_key {
            Some(pk) => pk.columns.iter().map(String::as_str).collect(),
            None => self
                .columns
                .iter()
                .filter(|c| c.primary_key)
                .map(|c| c.name.as_str())
                .collect(),
        }
    }

    /// A table with no columns, keys or indexes yet.
    pub fn empty(schema: impl Into<String>, name: impl Into<String>) -> TableDef {
        TableDef {
            name: name.into(),
            schema: schema.into(),
            columns: Vec::new(),
            primary_key: None,
            uniques: Vec::new(),
            foreign_keys: Vec::new(),
            indexes: Vec::new(),
            checks: Vec::new(),
            rls: false,
            policies: Vec::new(),
            force_rls: false,
            rls_off: false,
            renamed_from: None,
        }
    }

    /// Whether row-level security is on: declared, or implied by a policy
    /// (as drizzle-kit enables it for a table with policies), unless a live
    /// table says otherwise ([`TableDef::rls_off`]).
    pub fn rls_enabled(&self) -> bool {
        (self.rls || !self.policies.is_empty()) && !self.rls_off
    }

    /// The column called `name`, if any.
    pub fn column(&self, name: &str) -> Option<&ColumnDef> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// The policy called `name`, if the table has one.
    pub fn policy(&self, name: &str) -> Option<&PolicyDef> {
        self.policies.iter().find(|p| p.name == name)
    }
}

/// A table column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnDef {
    /// The column's SQL name.
    pub name: String,
    /// The type as drizzle-kit spells it (`text`, `varchar(255)`, `timestamp with time zone`,
    /// `integer[]`, or an enum's name).
    pub sql_type: String,
    /// Set when `sql_type` names an enum outside `public`.
    pub type_schema: Option<String>,
    /// A single-column primary key (`PRIMARY KEY` on the column itself).
    pub primary_key: bool,
    /// `NOT NULL`.
    pub not_null: bool,
    /// The `DEFAULT`, if any.
    pub default: Option<DefaultValue>,
    /// Set for an identity column.
    pub identity: Option<Identity>,
    /// Set for a generated column (`GENERATED ALWAYS AS (...)`).
    pub generated: Option<Generated>,
    /// `renamed_from = "old"`: a hint for the diff, not part of the column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
}

impl ColumnDef {
    /// A nullable column of `sql_type` with no default, key or identity.
    pub fn new(name: impl Into<String>, sql_type: impl Into<String>) -> ColumnDef {
        ColumnDef {
            name: name.into(),
            sql_type: sql_type.into(),
            type_schema: None,
            primary_key: false,
            not_null: false,
            default: None,
            identity: None,
            generated: None,
            renamed_from: None,
        }
    }
}

/// `GENERATED ALWAYS AS (expr) STORED | VIRTUAL`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Generated {
    /// The expression, as written (or as the server spells it, when read back).
    pub expr: String,
    /// Computed on write and stored, or (PostgreSQL 18) computed on read.
    pub kind: GeneratedKind,
}

impl Generated {
    /// A stored generated column's expression (what `generated = "..."` declares).
    pub fn stored(expr: impl Into<String>) -> Generated {
        Generated {
            expr: expr.into(),
            kind: GeneratedKind::Stored,
        }
    }
}

/// How a generated column keeps its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GeneratedKind {
    /// `STORED`: computed when a row is written, kept on disk.
    Stored,
    /// `VIRTUAL`: computed when read, nothing stored; PostgreSQL 18 and newer only.
    Virtual,
}

impl GeneratedKind {
    /// The SQL keyword: `STORED` or `VIRTUAL`.
    pub fn as_sql(self) -> &'static str {
        match self {
            GeneratedKind::Stored => "STORED",
            GeneratedKind::Virtual => "VIRTUAL",
        }
    }

    /// The snapshot spelling (`generated.type`): `stored` or `virtual`.
    pub fn as_str(self) -> &'static str {
        match self {
            GeneratedKind::Stored => "stored",
            GeneratedKind::Virtual => "virtual",
        }
    }
}

/// The first PostgreSQL `server_version_num` with virtual generated columns.
pub const VIRTUAL_GENERATED_SINCE: i32 = 180000;

/// `GENERATED { ALWAYS | BY DEFAULT } AS IDENTITY` with its sequence options,
/// spelled out as drizzle-kit records them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    /// `ALWAYS` or `BY DEFAULT`.
    pub kind: IdentityKind,
    /// The sequence's name (`<table>_<column>_seq` unless given).
    pub name: String,
    /// The schema of the sequence (the table's).
    pub schema: String,
    /// The sequence's numbers.
    #[serde(flatten)]
    pub options: SequenceOptions,
}

/// A sequence's numbers, every one spelled out (drizzle-kit's defaults filled
/// in), as decimal text the way drizzle-kit's snapshots keep them. Shared by
/// identity columns and standalone sequences.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SequenceOptions {
    /// `INCREMENT BY`.
    pub increment: String,
    /// `START WITH`.
    pub start_with: String,
    /// `MINVALUE`.
    pub min_value: String,
    /// `MAXVALUE`.
    pub max_value: String,
    /// `CACHE`.
    pub cache: String,
    /// `CYCLE`.
    pub cycle: bool,
}

/// `CREATE SEQUENCE` (`#[derive(PgSequence)]`), used by defaults such as
/// `nextval('invoice_no')`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SequenceDef {
    /// The sequence's name.
    pub name: String,
    /// Its schema.
    pub schema: String,
    /// `AS smallint | integer | bigint` (PostgreSQL's default, `bigint`,
    /// unless said; drizzle-kit has no such option and always means bigint).
    pub data_type: String,
    /// Its numbers.
    #[serde(flatten)]
    pub options: SequenceOptions,
}

/// Whether an identity column's value may be supplied on insert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum IdentityKind {
    /// `GENERATED ALWAYS AS IDENTITY`.
    Always,
    /// `GENERATED BY DEFAULT AS IDENTITY`.
    ByDefault,
}

impl IdentityKind {
    /// drizzle-kit's snapshot spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            IdentityKind::Always => "always",
            IdentityKind::ByDefault => "byDefault",
        }
    }
}

/// A column default as drizzle-kit records it in a snapshot: JSON booleans and
/// numbers stay typed, everything else is SQL text (`'it''s'`, `now()`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum DefaultValue {
    /// A JSON boolean (`true`, `false`).
    Bool(bool),
    /// An integral number.
    Int(i64),
    /// A number with a fractional part.
    Float(f64),
    /// An SQL expression, including quoted string literals.
    Sql(String),
}

impl DefaultValue {
    /// A float default; integral values become [`DefaultValue::Int`], since
    /// JSON (and so a snapshot) cannot tell `1.0` from `1`.
    pub fn from_float(f: f64) -> DefaultValue {
        if f.fract() == 0.0 && f.abs() < 9.0e15 {
            DefaultValue::Int(f as i64)
        } else {
            DefaultValue::Float(f)
        }
    }

    /// The text that follows `DEFAULT` in SQL.
    pub fn to_sql(&self) -> String {
        match self {
            DefaultValue::Bool(b) => b.to_string(),
            DefaultValue::Int(i) => i.to_string(),
            DefaultValue::Float(f) => format_float(*f),
            DefaultValue::Sql(s) => s.clone(),
        }
    }
}

/// Formats a float the way JavaScript's `String(n)` does for the values a
/// default can hold, so SQL and snapshot match drizzle-kit's.
pub fn format_float(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e21 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// A primary key constraint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrimaryKey {
    /// The constraint's name.
    pub name: String,
    /// The key's columns, in order.
    pub columns: Vec<String>,
}

/// A unique constraint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unique {
    /// The constraint's name.
    pub name: String,
    /// The constrained columns, in order.
    pub columns: Vec<String>,
    /// `NULLS NOT DISTINCT`: NULLs count as equal (PostgreSQL 15+).
    pub nulls_not_distinct: bool,
}

/// A foreign key constraint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignKey {
    /// The constraint's name.
    pub name: String,
    /// The referencing columns of this table, in order.
    pub columns: Vec<String>,
    /// The referenced table's schema.
    pub ref_schema: String,
    /// The referenced table's name.
    pub ref_table: String,
    /// The referenced columns, matching `columns` position by position.
    pub ref_columns: Vec<String>,
    /// `ON DELETE`.
    pub on_delete: FkAction,
    /// `ON UPDATE`.
    pub on_update: FkAction,
}

/// A referential action, spelled as drizzle-kit writes it (`cascade`, `no action`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FkAction {
    /// `NO ACTION` (the default).
    NoAction,
    /// `RESTRICT`.
    Restrict,
    /// `CASCADE`.
    Cascade,
    /// `SET NULL`.
    SetNull,
    /// `SET DEFAULT`.
    SetDefault,
}

impl FkAction {
    /// Every action, `NoAction` first.
    pub const ALL: [FkAction; 5] = [
        FkAction::NoAction,
        FkAction::Restrict,
        FkAction::Cascade,
        FkAction::SetNull,
        FkAction::SetDefault,
    ];

    /// drizzle-kit's and SQL's lowercase spelling (`no action`, `set null`).
    pub fn as_str(self) -> &'static str {
        match self {
            FkAction::NoAction => "no action",
            FkAction::Restrict => "restrict",
            FkAction::Cascade => "cascade",
            FkAction::SetNull => "set null",
            FkAction::SetDefault => "set default",
        }
    }

    /// Accepts drizzle-kit's spelling, SQL's, and snake_case (`set_null`).
    pub fn parse(s: &str) -> Option<FkAction> {
        let norm = s.trim().to_ascii_lowercase().replace('_', " ");
        FkAction::ALL.into_iter().find(|a| a.as_str() == norm)
    }
}

/// A check constraint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    /// The constraint's name.
    pub name: String,
    /// The SQL boolean expression, without the surrounding `CHECK (...)`.
    pub expr: String,
}

/// An index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexDef {
    /// The index's name.
    pub name: String,
    /// The indexed columns or expressions, in order.
    pub columns: Vec<IndexColumn>,
    /// `CREATE UNIQUE INDEX`.
    pub unique: bool,
    /// `CREATE INDEX CONCURRENTLY`.
    pub concurrently: bool,
    /// `btree` unless declared otherwise.
    pub method: String,
    /// The partial index's predicate (SQL after `WHERE`), if any.
    pub where_clause: Option<String>,
    /// Storage parameters in declaration order (`fillfactor = 70`).
    pub with: Vec<(String, serde_json::Value)>,
}

/// One key of an index: a column or an expression, with its ordering.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexColumn {
    /// A column's SQL name, or an SQL expression when `is_expression`.
    pub expression: String,
    /// True when `expression` is SQL rather than a column name.
    pub is_expression: bool,
    /// Ascending (`ASC`) rather than `DESC`.
    pub asc: bool,
    /// `first` or `last`.
    pub nulls_first: bool,
    /// An operator class (`text_pattern_ops`), if any.
    pub opclass: Option<String>,
}

/// A row-level security policy (`CREATE POLICY`), as drizzle-kit records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyDef {
    /// The policy's name, unique within its table.
    pub name: String,
    /// `AS PERMISSIVE` or `AS RESTRICTIVE`.
    pub kind: PolicyKind,
    /// The command it applies to (`FOR ...`).
    pub command: PolicyCommand,
    /// The roles it applies to, sorted (drizzle-kit sorts them); `public` by default.
    pub to: Vec<String>,
    /// The `USING` expression, if any.
    pub using: Option<String>,
    /// The `WITH CHECK` expression, if any.
    pub with_check: Option<String>,
    /// `renamed_from = "old"`: a hint for the diff, not part of the policy
    /// (never written to a snapshot).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
}

/// Whether a policy grants access (`PERMISSIVE`, OR-ed) or restricts it
/// (`RESTRICTIVE`, AND-ed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PolicyKind {
    /// `AS PERMISSIVE`, the default.
    Permissive,
    /// `AS RESTRICTIVE`.
    Restrictive,
}

impl PolicyKind {
    /// SQL's and drizzle-kit's snapshot spelling (`PERMISSIVE`).
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyKind::Permissive => "PERMISSIVE",
            PolicyKind::Restrictive => "RESTRICTIVE",
        }
    }

    /// Accepts either case (`permissive`, `RESTRICTIVE`).
    pub fn parse(s: &str) -> Option<PolicyKind> {
        [PolicyKind::Permissive, PolicyKind::Restrictive]
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

/// The command a policy applies to (`FOR ...`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PolicyCommand {
    /// `FOR ALL`, the default.
    All,
    /// `FOR SELECT`.
    Select,
    /// `FOR INSERT`.
    Insert,
    /// `FOR UPDATE`.
    Update,
    /// `FOR DELETE`.
    Delete,
}

impl PolicyCommand {
    /// Every command, `All` first.
    pub const ALL: [PolicyCommand; 5] = [
        PolicyCommand::All,
        PolicyCommand::Select,
        PolicyCommand::Insert,
        PolicyCommand::Update,
        PolicyCommand::Delete,
    ];

    /// SQL's and drizzle-kit's snapshot spelling (`SELECT`).
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyCommand::All => "ALL",
            PolicyCommand::Select => "SELECT",
            PolicyCommand::Insert => "INSERT",
            PolicyCommand::Update => "UPDATE",
            PolicyCommand::Delete => "DELETE",
        }
    }

    /// Accepts either case (`select`, `SELECT`).
    pub fn parse(s: &str) -> Option<PolicyCommand> {
        PolicyCommand::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(s.trim()))
    }
}
