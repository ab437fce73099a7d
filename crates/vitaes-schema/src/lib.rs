//! Schema-as-code for PostgreSQL. Annotate plain structs and enums; the
//! `vitaes-migrate` tool turns them into drizzle-kit compatible migrations.
//!
//! ```
//! use vitaes_schema::{PgEnum, Table};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//!
//! #[derive(PgEnum)]
//! pub enum Role { Owner, Member }
//!
//! #[derive(Table)]
//! #[table(name = "user")]
//! pub struct User {
//!     #[column(primary_key)] pub id: String,
//!     #[column(unique)]      pub email: String,
//!     pub role: Role,
//! }
//!
//! #[derive(Table)]
//! pub struct Session {
//!     #[column(primary_key)] pub id: String,
//!     #[column(references(User, id), on_delete = "cascade")] pub user_id: String,
//! }
//!
//! // `User` brings `Role` along: no `.pg_enum::<Role>()` needed.
//! let schema = vitaes_schema::SchemaBuilder::new().table::<User>().table::<Session>().build()?;
//! assert_eq!(schema.tables.len(), 2);
//! assert_eq!(schema.enums[0].name, "role");
//! assert_eq!(schema.enums[0].values, ["owner", "member"]);
//! # Ok(()) }
//! ```
//!
//! Attributes name Rust structs and fields; `references(User, id)` is checked
//! by the compiler (a typo is rustc's "no field `idd`"). A table brings the
//! enums its columns use; [`SchemaBuilder::pg_enum`] is for an enum no table
//! uses. A table it references must be registered too, or `build` says which
//! `.table::<T>()` is missing.

#![warn(missing_docs)]

pub use vitaes_schema_core as core;
pub use vitaes_schema_core::model::*;
pub use vitaes_schema_core::{
    ResolveError, ResolveErrors, UnresolvedEnum, UnresolvedExtension, UnresolvedRole,
    UnresolvedSchema, UnresolvedSequence, UnresolvedTable, UnresolvedView,
};
pub use vitaes_schema_macros::{PgEnum, PgExtension, PgRole, PgSchema, PgSequence, PgView, Table};

/// A table: implemented by `#[derive(Table)]`.
pub trait Table {
    /// The table's SQL name.
    const NAME: &'static str;
    /// The table's SQL schema (`public` unless declared).
    const SCHEMA: &'static str;
    /// A struct with one `&'static str` field per column, holding its SQL name.
    type Columns: 'static;
    /// The SQL names of the columns: `User::COLUMNS.email == "email"`.
    const COLUMNS: Self::Columns;
    /// The table as parsed, before the other tables are known.
    fn unresolved() -> UnresolvedTable;
    /// The `PgEnum` types of the table's columns (`Option<E>` and `Vec<E>`
    /// fields too), so that [`SchemaBuilder::table`] registers them along
    /// with the table and the caller need not know which enums each table
    /// uses. The derive lists the types it takes to be enums (not built in,
    /// no `type = "..."`); the default, none, suits a table without any.
    fn enums() -> Vec<UnresolvedEnum> {
        Vec::new()
    }
}

/// A PostgreSQL enum type: implemented by `#[derive(PgEnum)]`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a column type: derive PgEnum for `{Self}` or add `type = \"...\"`",
    label = "not a built-in column type and not a `PgEnum`",
    note = "add #[derive(PgEnum)] to the enum, or #[column(type = \"...\")] to the field"
)]
pub trait PgEnum {
    /// The type's SQL name.
    const NAME: &'static str;
    /// The type's SQL schema (`public` unless declared).
    const SCHEMA: &'static str;
    /// The enum's values, in order.
    const VALUES: &'static [&'static str];
    /// The enum as parsed, for the resolver.
    fn unresolved() -> UnresolvedEnum;
    /// This variant's SQL value.
    fn as_value(&self) -> &'static str;
}

/// A PostgreSQL schema: implemented by `#[derive(PgSchema)]` on a unit struct.
pub trait PgSchema {
    /// The schema's SQL name.
    const NAME: &'static str;
    /// The schema as parsed, for the resolver.
    fn unresolved() -> UnresolvedSchema;
}

/// A PostgreSQL role: implemented by `#[derive(PgRole)]` on a unit struct.
pub trait PgRole {
    /// The role's name, as policies' `to(...)` spell it.
    const NAME: &'static str;
    /// The role as parsed, for the resolver.
    fn unresolved() -> UnresolvedRole;
}

/// A PostgreSQL extension: implemented by `#[derive(PgExtension)]` on a unit struct.
pub trait PgExtension {
    /// The extension's name (`pgcrypto`, `uuid-ossp`).
    const NAME: &'static str;
    /// The extension as parsed, for the resolver.
    fn unresolved() -> UnresolvedExtension;
}

/// A standalone sequence: implemented by `#[derive(PgSequence)]` on a unit struct.
pub trait PgSequence {
    /// The sequence's name.
    const NAME: &'static str;
    /// The sequence as parsed, for the resolver.
    fn unresolved() -> UnresolvedSequence;
}

/// A view or materialized view: implemented by `#[derive(PgView)]`.
pub trait PgView {
    /// The view's name.
    const NAME: &'static str;
    /// The view as parsed, for the resolver.
    fn unresolved() -> UnresolvedView;
}

/// Assembles a [`Schema`] from compiled tables and enums through the same
/// resolver the CLI uses. List tables in the order migrations should create
/// them (drizzle-kit's order: source file, then struct name).
///
/// A table brings the enums its columns use; enums come in the order they
/// are first registered, so `.pg_enum::<E>()` before the tables fixes their
/// order, and registering an enum again (by another table, or explicitly)
/// adds nothing.
#[derive(Default)]
pub struct SchemaBuilder {
    tables: Vec<UnresolvedTable>,
    enums: Vec<UnresolvedEnum>,
    schemas: Vec<UnresolvedSchema>,
    roles: Vec<UnresolvedRole>,
    extensions: Vec<UnresolvedExtension>,
    sequences: Vec<UnresolvedSequence>,
    views: Vec<UnresolvedView>,
}

impl SchemaBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the table and the enums its columns use ([`Table::enums`]).
    pub fn table<T: Table>(mut self) -> Self {
        self.tables.push(T::unresolved());
        for e in T::enums() {
            self.add_enum(e);
        }
        self
    }

    /// Adds an enum that no registered table uses, or fixes the place of
    /// one that a table would bring anyway.
    pub fn pg_enum<E: PgEnum>(mut self) -> Self {
        self.add_enum(E::unresolved());
        self
    }

    /// Skips an enum already registered. Only an identical one is skipped: two
    /// different enums with one Rust name stay, for the resolver to report.
    fn add_enum(&mut self, e: UnresolvedEnum) {
        if !self.enums.contains(&e) {
            self.enums.push(e);
        }
    }

    /// Declares the schema `S`, even if no table uses it yet.
    pub fn pg_schema<S: PgSchema>(mut self) -> Self {
        self.schemas.push(S::unresolved());
        self
    }

    /// Declares the role `R` (created when roles are managed, or only
    /// referred to when it is `existing`).
    pub fn pg_role<R: PgRole>(mut self) -> Self {
        self.roles.push(R::unresolved());
        self
    }

    /// Declares the extension `E`.
    pub fn pg_extension<E: PgExtension>(mut self) -> Self {
        self.extensions.push(E::unresolved());
        self
    }

    /// Declares the sequence `S`.
    pub fn pg_sequence<S: PgSequence>(mut self) -> Self {
        self.sequences.push(S::unresolved());
        self
    }

    /// Declares the view `V`.
    pub fn pg_view<V: PgView>(mut self) -> Self {
        self.views.push(V::unresolved());
        self
    }

    /// Resolves everything registered into a [`Schema`], or every mistake found.
    pub fn build(self) -> Result<Schema, ResolveErrors> {
        let mut schema =
            vitaes_schema_core::resolve_registered(&self.tables, &self.enums, &self.schemas)?;
        let standalone = vitaes_schema_core::resolve::Standalone {
            roles: &self.roles,
            extensions: &self.extensions,
            sequences: &self.sequences,
            views: &self.views,
        };
        vitaes_schema_core::resolve::add_standalone(&mut schema, standalone, &self.enums)?;
        Ok(schema)
    }
}

#[doc(hidden)]
pub mod __private {
    use super::*;

    pub fn table_from_json(json: &str) -> UnresolvedTable {
        serde_json::from_str(json).expect("the derive embeds a valid table")
    }

    pub fn enum_from_json(json: &str) -> UnresolvedEnum {
        serde_json::from_str(json).expect("the derive embeds a valid enum")
    }

    pub fn schema_from_json(json: &str) -> UnresolvedSchema {
        serde_json::from_str(json).expect("the derive embeds a valid schema")
    }

    pub fn role_from_json(json: &str) -> UnresolvedRole {
        serde_json::from_str(json).expect("the derive embeds a valid role")
    }

    pub fn extension_from_json(json: &str) -> UnresolvedExtension {
        serde_json::from_str(json).expect("the derive embeds a valid extension")
    }

    pub fn sequence_from_json(json: &str) -> UnresolvedSequence {
        serde_json::from_str(json).expect("the derive embeds a valid sequence")
    }

    pub fn view_from_json(json: &str) -> UnresolvedView {
        serde_json::from_str(json).expect("the derive embeds a valid view")
    }
}
