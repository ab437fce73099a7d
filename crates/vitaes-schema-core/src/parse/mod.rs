//! The one attribute parser: `syn::DeriveInput` → [`UnresolvedTable`](crate::UnresolvedTable) /
//! [`UnresolvedEnum`](crate::UnresolvedEnum), with every check that needs only the item itself.
//!
//! Both the derive and the CLI call it. Errors are collected, not returned at
//! the first one, so a struct with three mistakes reports three messages,
//! each at its own token.

mod column;
mod errors;
mod meta;
mod pg_enum;
mod pg_extension;
mod pg_role;
mod pg_sequence;
mod pg_view;
mod project;
mod sql_expr;
mod table;

pub use errors::ParseErrors;
pub use meta::FieldUse;
pub use pg_enum::{parse_enum, parse_schema};
pub use pg_extension::parse_extension;
pub use pg_role::parse_role;
pub use pg_sequence::parse_sequence;
pub use pg_view::parse_view;
pub use project::{describe_toml_error, project_rename_all};
pub use sql_expr::parse_expression;
pub use table::{parse_table, parse_table_with, ParsedTable};

/// Whether an item's `#[derive(...)]` list names `derive_name` (`Table`,
/// `PgEnum`), written bare or as a path (`vitaes_schema::Table`).
pub fn has_derive(attrs: &[syn::Attribute], derive_name: &str) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("derive"))
        .any(|a| {
            let mut found = false;
            let _ = a.parse_nested_meta(|meta| {
                if meta
                    .path
                    .segments
                    .last()
                    .is_some_and(|s| s.ident == derive_name)
                {
                    found = true;
                }
                Ok(())
            });
            found
        })
}

#[cfg(test)]
mod tests;
