//! What one annotated struct or enum says, before the other structs are known.
//!
//! Names inside attributes are still Rust identifiers (struct and field
//! names); [`crate::resolve()`] turns a set of these into a [`crate::Schema`].
//! The derive embeds this value in the code it generates, so the compiled
//! `Table` impl and the CLI's source reader hand the resolver the very same
//! input.

use serde::{Deserialize, Serialize};

use crate::model::{DefaultValue, FkAction, Generated, IdentityKind, PolicyDef};

/// A 1-based line and column in a source file, where the parser saw an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Loc {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

impl Loc {
    /// Where `span` starts (1-based column).
    #[cfg(feature = "parse")]
    pub fn of(span: proc_macro2::Span) -> Loc {
        let start = span.start();
        Loc {
            line: start.line,
            column: start.column + 1,
        }
    }
}

/// A `#[derive(Table)]` struct as parsed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnresolvedTable {
    /// The struct's identifier, used by other tables' references.
    pub rust_name: String,
    /// The table's SQL name (the struct name in snake_case unless `name = "..."`).
    pub name: String,
    /// The table's schema (`public` unless `schema = "..."`).
    pub schema: String,
    /// One per field, in declaration order.
    pub columns: Vec<UnresolvedColumn>,
    /// A table-level `primary_key(...)`, if declared.
    pub primary_key: Option<UnresolvedPrimaryKey>,
    /// Table-level `unique(...)` constraints.
    pub uniques: Vec<UnresolvedUnique>,
    /// `index(...)` declarations, in order.
    pub indexes: Vec<UnresolvedIndex>,
    /// Table-level `foreign_key(...)` declarations.
    pub foreign_keys: Vec<UnresolvedForeignKey>,
    /// `check(name = ..., expr = ...)` declarations.
    pub checks: Vec<UnresolvedCheck>,
    /// `rls`: row-level security on without a policy needing it. Left out of
    /// the derive's embedded JSON when off, as `policies` when empty.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub rls: bool,
    /// `rls(force)`: `FORCE ROW LEVEL SECURITY` as well (implies `rls`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub force_rls: bool,
    /// `policy(...)` declarations, complete (they name roles and SQL, no fields).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub policies: Vec<PolicyDef>,
    /// `renamed_from = "old"`: the table's previous SQL name, for the diff.
    pub renamed_from: Option<String>,
    /// `external`: declared only to be referenced (see [`crate::Schema::external`]).
    #[serde(default)]
    pub external: bool,
    /// The doc comment (`///`), for `COMMENT ON` when `comments = true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Where the struct is, for the CLI's messages (not set by the derive).
    #[serde(skip)]
    pub loc: Loc,
}

impl UnresolvedTable {
    /// The column declared by the Rust field `field`, if any.
    pub fn column_by_field(&self, field: &str) -> Option<&UnresolvedColumn> {
        self.columns.iter().find(|c| c.field == field)
    }
}

/// A field of a `Table` struct as parsed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnresolvedColumn {
    /// The Rust field name (raw prefix removed).
    pub field: String,
    /// The column's SQL name (the field name unless `name = "..."`).
    pub name: String,
    /// Where the SQL type comes from.
    pub ty: TypeSpec,
    /// The field is an `Option<T>`.
    pub nullable: bool,
    /// `primary_key` on the field.
    pub primary_key: bool,
    /// `unique` on the field, if declared.
    pub unique: Option<ColumnUnique>,
    /// `default = ...`, if declared.
    pub default: Option<DefaultValue>,
    /// `references = "Table.field"`, if declared.
    pub references: Option<ColumnReference>,
    /// `identity`, if declared.
    pub identity: Option<IdentitySpec>,
    /// `serial`: a serial/bigserial/smallserial by the integer width.
    pub serial: bool,
    /// `generated = "<expr>"` / `generated(stored = "<expr>")`, or `generated(virtual = "<expr>")`.
    pub generated: Option<Generated>,
    /// `renamed_from = "old"`: the column's previous SQL name, for the diff.
    pub renamed_from: Option<String>,
    /// The doc comment (`///`), for `COMMENT ON` when `comments = true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Where the field's name is written.
    #[serde(skip)]
    pub loc: Loc,
    /// Where the field's type is written.
    #[serde(skip)]
    pub ty_loc: Loc,
}

/// `identity = "always"` or `identity(by_default, start = 10, increment = 2, ...)`:
/// options left out take drizzle-kit's defaults (from 1 up to the type's maximum).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentitySpec {
    /// `always` or `by_default`.
    pub kind: IdentityKind,
    /// The sequence's name, if given.
    pub name: Option<String>,
    /// The sequence's numbers as given.
    #[serde(flatten)]
    pub numbers: SequenceSpec,
}

/// A sequence's numbers as written (`start = 1000, increment = 2, cycle`), on
/// an identity column or a `#[derive(PgSequence)]`; the resolver fills in the
/// rest from the sequence's type.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SequenceSpec {
    /// `increment`, if given.
    pub increment: Option<i64>,
    /// `start`, if given.
    pub start: Option<i64>,
    /// `min_value`, if given.
    pub min_value: Option<i64>,
    /// `max_value`, if given.
    pub max_value: Option<i64>,
    /// `cache`, if given.
    pub cache: Option<i64>,
    /// `cycle`.
    pub cycle: bool,
}

/// How a column's SQL type was given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TypeSpec {
    /// `type = "..."`, already in drizzle-kit's spelling.
    Sql(String),
    /// A type that is not built in: a `PgEnum` by its Rust name, in `dims` arrays.
    Enum {
        /// The enum's Rust name, resolved against the `PgEnum`s.
        rust_name: String,
        /// Array dimensions: 0 for the type itself, 1 for `Vec<T>`, and so on.
        dims: usize,
    },
    /// A built-in mapping of the written Rust type.
    Builtin(String),
}

/// A column-level `unique` (or `unique(name = ..., nulls_not_distinct)`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnUnique {
    /// The constraint's name, if given.
    pub name: Option<String>,
    /// `nulls_not_distinct`.
    pub nulls_not_distinct: bool,
}

/// A column-level `references = "Table.field"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnReference {
    /// The referenced struct and field, as written.
    pub table: String,
    /// The referenced field's Rust name.
    pub field: String,
    /// `on_delete = "..."`, if given.
    pub on_delete: Option<FkAction>,
    /// `on_update = "..."`, if given.
    pub on_update: Option<FkAction>,
    /// Where the referenced struct and field are named.
    #[serde(skip)]
    pub loc: Loc,
    /// Where the referenced field is named.
    #[serde(skip)]
    pub field_loc: Loc,
}

/// A table-level `primary_key(...)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnresolvedPrimaryKey {
    /// The constraint's name, if given.
    pub name: Option<String>,
    /// The key's Rust field names, in order.
    pub fields: Vec<String>,
    /// Where `primary_key(...)` is written.
    #[serde(skip)]
    pub loc: Loc,
}

/// A table-level `unique(...)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnresolvedUnique {
    /// The constraint's name, if given.
    pub name: Option<String>,
    /// The constrained Rust field names, in order.
    pub fields: Vec<String>,
    /// `nulls_not_distinct`.
    pub nulls_not_distinct: bool,
    /// Where `unique(...)` is written.
    #[serde(skip)]
    pub loc: Loc,
}

/// An `index(...)` declaration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnresolvedIndex {
    /// The index's name, if given.
    pub name: Option<String>,
    /// The indexed fields or expressions, in order.
    pub columns: Vec<UnresolvedIndexColumn>,
    /// `unique`.
    pub unique: bool,
    /// `method = "..."`, if given (`btree` otherwise).
    pub method: Option<String>,
    /// `concurrently`.
    pub concurrently: bool,
    /// `where = "..."`: a partial index's predicate.
    pub where_clause: Option<String>,
    /// Storage parameters, `with(fillfactor = 70)`.
    pub with: Vec<(String, serde_json::Value)>,
    /// Where `index(...)` is written.
    #[serde(skip)]
    pub loc: Loc,
}

/// One key of an `index(...)`, with its ordering.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnresolvedIndexColumn {
    /// The field or expression indexed.
    pub target: IndexTarget,
    /// Ascending unless `desc`.
    pub asc: bool,
    /// `nulls_first` / `nulls_last`; defaults to `!asc`, as in PostgreSQL.
    pub nulls_first: bool,
    /// An operator class, if given.
    pub opclass: Option<String>,
}

/// What an index key is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum IndexTarget {
    /// A field of this struct.
    Field(String),
    /// An SQL expression, `expr("lower(email)")`.
    Expr(String),
}

/// A table-level `check(name = ..., expr = ...)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnresolvedCheck {
    /// The constraint's name (required).
    pub name: String,
    /// The SQL boolean expression.
    pub expr: String,
    /// Where `check(...)` is written.
    #[serde(skip)]
    pub loc: Loc,
}

/// A table-level `foreign_key(...)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnresolvedForeignKey {
    /// The constraint's name, if given.
    pub name: Option<String>,
    /// The referencing Rust field names, in order.
    pub fields: Vec<String>,
    /// The referenced struct's Rust name.
    pub ref_table: String,
    /// The referenced Rust field names, matching `fields`.
    pub ref_fields: Vec<String>,
    /// `on_delete = "..."`, if given.
    pub on_delete: Option<FkAction>,
    /// `on_update = "..."`, if given.
    pub on_update: Option<FkAction>,
    /// Where the foreign key is declared.
    #[serde(skip)]
    pub loc: Loc,
    /// Where each referenced field is named.
    #[serde(skip)]
    pub ref_field_locs: Vec<Loc>,
}

/// A `#[derive(PgEnum)]` enum as parsed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnresolvedEnum {
    /// The enum's identifier, used by columns of this type.
    pub rust_name: String,
    /// The type's SQL name (the enum name in snake_case unless `name = "..."`).
    pub name: String,
    /// The type's schema (`public` unless `schema = "..."`).
    pub schema: String,
    /// The labels: variant names in snake_case unless renamed.
    pub values: Vec<String>,
    /// The doc comment (`///`), for `COMMENT ON` when `comments = true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Where the enum is, for the CLI's messages.
    #[serde(skip)]
    pub loc: Loc,
}

/// A `#[derive(PgSchema)]` unit struct: declares a schema, even one with no
/// tables yet (drizzle-kit's `pgSchema("name")`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnresolvedSchema {
    /// The struct's identifier.
    pub rust_name: String,
    /// The schema's SQL name (the struct name in snake_case unless `name = "..."`).
    pub name: String,
    /// Where the struct is, for the CLI's messages.
    #[serde(skip)]
    pub loc: Loc,
}

/// A `#[derive(PgRole)]` unit struct: a role the code creates, or refers to
/// (`existing`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnresolvedRole {
    /// The struct's identifier.
    pub rust_name: String,
    /// The role as declared.
    pub role: crate::RoleDef,
    /// Where the struct is, for the CLI's messages.
    #[serde(skip)]
    pub loc: Loc,
}

/// A `#[derive(PgExtension)]` unit struct.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnresolvedExtension {
    /// The struct's identifier.
    pub rust_name: String,
    /// The extension as declared.
    pub extension: crate::ExtensionDef,
    /// Where the struct is, for the CLI's messages.
    #[serde(skip)]
    pub loc: Loc,
}

/// A `#[derive(PgSequence)]` unit struct.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnresolvedSequence {
    /// The struct's identifier.
    pub rust_name: String,
    /// The sequence's name.
    pub name: String,
    /// Its schema (`public` unless said).
    pub schema: String,
    /// `as = "integer"`, if given.
    pub data_type: Option<String>,
    /// Its numbers as given.
    pub numbers: SequenceSpec,
    /// Where the struct is, for the CLI's messages.
    #[serde(skip)]
    pub loc: Loc,
}

/// A `#[derive(PgView)]` struct.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnresolvedView {
    /// The struct's identifier.
    pub rust_name: String,
    /// The view's name.
    pub name: String,
    /// Its schema (`public` unless said).
    pub schema: String,
    /// `query = "..."`; `None` for an `existing` view.
    pub definition: Option<String>,
    /// `materialized`.
    pub materialized: bool,
    /// `existing`.
    pub existing: bool,
    /// `check_option`, `security_barrier`, `security_invoker` and `with(...)`, in order.
    pub with: Vec<crate::ViewOption>,
    /// `with_no_data`.
    pub with_no_data: bool,
    /// `using = "..."`.
    pub using: Option<String>,
    /// `tablespace = "..."`.
    pub tablespace: Option<String>,
    /// The fields, as a table's columns.
    pub columns: Vec<UnresolvedColumn>,
    /// The doc comment (`///`), for `COMMENT ON` when `comments = true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Where the struct is, for the CLI's messages.
    #[serde(skip)]
    pub loc: Loc,
}
