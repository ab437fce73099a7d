//! `#[derive(Table)]`, `#[derive(PgEnum)]` and `embed_migrations!`: thin wrappers over
//! `vitaes-schema-core`'s parser. The expansion lives in `expand` as
//! functions over `proc_macro2::TokenStream`, so it is unit-tested without a
//! compiler in the loop.

#![warn(missing_docs)]

use proc_macro::TokenStream;

mod embed;
mod expand;

/// Makes a struct a table. See the `vitaes-schema` crate for the attributes.
#[proc_macro_derive(Table, attributes(table, column))]
pub fn derive_table(input: TokenStream) -> TokenStream {
    expand::derive_table_inner(input.into()).into()
}

/// Makes a unit-variant enum a PostgreSQL enum type.
#[proc_macro_derive(PgEnum, attributes(pg_enum))]
pub fn derive_pg_enum(input: TokenStream) -> TokenStream {
    expand::derive_pg_enum_inner(input.into()).into()
}

/// Declares a PostgreSQL schema (a unit struct), even before it has tables.
#[proc_macro_derive(PgSchema, attributes(pg_schema))]
pub fn derive_pg_schema(input: TokenStream) -> TokenStream {
    expand::derive_pg_schema_inner(input.into()).into()
}

/// Declares a PostgreSQL extension (a unit struct), created before what uses it.
#[proc_macro_derive(PgExtension, attributes(pg_extension))]
pub fn derive_pg_extension(input: TokenStream) -> TokenStream {
    expand::derive_pg_extension_inner(input.into()).into()
}

/// Declares a standalone sequence (a unit struct).
#[proc_macro_derive(PgSequence, attributes(sequence))]
pub fn derive_pg_sequence(input: TokenStream) -> TokenStream {
    expand::derive_pg_sequence_inner(input.into()).into()
}

/// Declares a view or materialized view; the fields are its columns.
#[proc_macro_derive(PgView, attributes(view, column))]
pub fn derive_pg_view(input: TokenStream) -> TokenStream {
    expand::derive_pg_view_inner(input.into()).into()
}

/// Declares a PostgreSQL role (a unit struct), or one the code only refers to.
#[proc_macro_derive(PgRole, attributes(pg_role))]
pub fn derive_pg_role(input: TokenStream) -> TokenStream {
    expand::derive_pg_role_inner(input.into()).into()
}

/// A migrations folder compiled in: `embed_migrations!("migrations")`, relative
/// to the crate's `Cargo.toml`, becomes a `vitaes_migrate::migrator::Migrator`.
/// Use it through `vitaes_migrate::embed_migrations!`.
#[proc_macro]
pub fn embed_migrations(input: TokenStream) -> TokenStream {
    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    embed::embed_migrations_inner(input.into(), std::path::Path::new(&dir)).into()
}
