//! Views: their columns typed as a table's, each declared once, and none
//! named like a table or sequence of its schema (they share PostgreSQL's
//! relation namespace).

use std::collections::HashMap;

use super::{ItemRef, ResolveError, ResolveErrors};
use crate::unresolved::{TypeSpec, UnresolvedEnum, UnresolvedView};
use crate::{ColumnDef, CommentDef, CommentOn, Schema, ViewDef};

/// Adds the declared views to `schema` (after its tables and sequences, so
/// name clashes with them are found). `enums` are those the views' columns
/// may name by their Rust names.
pub fn add_views(
    schema: &mut Schema,
    views: &[UnresolvedView],
    enums: &[UnresolvedEnum],
) -> Result<(), ResolveErrors> {
    let mut errors = Vec::new();
    let enum_by_rust: HashMap<&str, &UnresolvedEnum> =
        enums.iter().map(|e| (e.rust_name.as_str(), e)).collect();
    let mut first: HashMap<(&str, &str), usize> = HashMap::new();
    let mut defs = Vec::with_capacity(views.len());
    let mut comments = Vec::new();
    for (i, v) in views.iter().enumerate() {
        let err = |message: String| ResolveError {
            item: ItemRef::View(i),
            loc: v.loc,
            message,
            other: None,
        };
        let key = (v.schema.as_str(), v.name.as_str());
        if let Some(&f) = first.get(&key) {
            errors.push(ResolveError {
                other: Some((ItemRef::View(f), views[f].loc)),
                ..err(format!(
                    "view \"{}\".\"{}\" is declared twice (by `{}` and `{}`)",
                    v.schema, v.name, views[f].rust_name, v.rust_name
                ))
            });
            continue;
        }
        first.insert(key, i);
        let clash = if schema.table(&v.schema, &v.name).is_some() {
            Some("table")
        } else if schema
            .sequences
            .iter()
            .any(|q| q.schema == v.schema && q.name == v.name)
        {
            Some("sequence")
        } else {
            None
        };
        if let Some(what) = clash {
            errors.push(err(format!(
                "view `{}` is named \"{}\".\"{}\" like a {what} of that schema: PostgreSQL keeps one relation per name",
                v.rust_name, v.schema, v.name
            )));
        }
        let mut columns = Vec::with_capacity(v.columns.len());
        for c in &v.columns {
            let (sql_type, type_schema) = match &c.ty {
                TypeSpec::Builtin(s) | TypeSpec::Sql(s) => (s.clone(), None),
                TypeSpec::Enum { rust_name, dims } => match enum_by_rust.get(rust_name.as_str()) {
                    Some(e) => (
                        format!("{}{}", e.name, "[]".repeat(*dims)),
                        Some(e.schema.clone()),
                    ),
                    None => {
                        errors.push(ResolveError {
                            loc: c.ty_loc,
                            ..err(format!(
                                "unknown type `{rust_name}` of `{}.{}`: derive PgEnum for {rust_name} or add #[column(type = \"...\")]",
                                v.rust_name, c.field
                            ))
                        });
                        (rust_name.clone(), None)
                    }
                },
            };
            columns.push(ColumnDef {
                type_schema,
                not_null: !c.nullable,
                ..ColumnDef::new(&c.name, &sql_type)
            });
        }
        if v.schema != "public" && !schema.schemas.contains(&v.schema) {
            schema.schemas.push(v.schema.clone());
        }
        if let Some(text) = &v.comment {
            comments.push(CommentDef {
                on: CommentOn::View {
                    schema: v.schema.clone(),
                    name: v.name.clone(),
                    materialized: v.materialized,
                },
                text: text.clone(),
            });
        }
        comments.extend(super::column_comments(&v.schema, &v.name, &v.columns));
        defs.push(ViewDef {
            name: v.name.clone(),
            schema: v.schema.clone(),
            definition: v.definition.clone(),
            materialized: v.materialized,
            existing: v.existing,
            columns,
            with: v.with.clone(),
            with_no_data: v.with_no_data,
            using: v.using.clone(),
            tablespace: v.tablespace.clone(),
        });
    }
    if !errors.is_empty() {
        return Err(ResolveErrors(errors));
    }
    // drizzle-kit lists plain views before materialized ones.
    defs.sort_by_key(|v| v.materialized);
    schema.views.extend(defs);
    schema.comments.extend(comments);
    Ok(())
}
