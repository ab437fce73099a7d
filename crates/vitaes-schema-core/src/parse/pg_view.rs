//! `#[derive(PgView)]` structs: `#[view(name = "...", schema = "...", query =
//! "SELECT ...", materialized, with_no_data, check_option = "local",
//! security_barrier, security_invoker, with(fillfactor = 70), using = "heap",
//! tablespace = "...", existing)]`, drizzle-kit's `pgView` and
//! `pgMaterializedView`. The fields are the view's columns, typed as a
//! table's are.

use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Lit, LitStr};

use super::errors::ParseErrors;
use super::meta::{checked_name, doc_comment, meta_key, unknown_key};
use super::table::parse_table_with;
use crate::naming::{self, RenameRule};
use crate::unresolved::{Loc, UnresolvedView};
use crate::{OptionValue, ViewOption};

/// What the query of a view may start with.
const QUERY_STARTS: &[&str] = &["select", "with", "values", "table", "("];

/// Parses a `#[derive(PgView)]` struct.
pub fn parse_view(
    input: &DeriveInput,
    default_rename: Option<RenameRule>,
) -> Result<UnresolvedView, ParseErrors> {
    let mut errors = ParseErrors::default();
    // The fields are read as a table's columns (the `view` attribute is not
    // the table parser's, so it is taken away first).
    let mut as_table = input.clone();
    as_table.attrs.retain(|a| !a.path().is_ident("view"));
    let columns = match parse_table_with(&as_table, default_rename) {
        Ok(parsed) => parsed.table.columns,
        Err(e) => {
            errors.extend(e);
            Vec::new()
        }
    };
    let rust_name = naming::field_name(&input.ident.to_string());
    let mut view = UnresolvedView {
        name: naming::snake_case(&rust_name),
        rust_name,
        schema: "public".into(),
        definition: None,
        materialized: false,
        existing: false,
        with: Vec::new(),
        with_no_data: false,
        using: None,
        tablespace: None,
        columns,
        comment: doc_comment(&input.attrs),
        loc: Loc::of(input.ident.span()),
    };
    let mut query_span = None;
    let mut view_only = Vec::new();
    let mut materialized_only = Vec::new();
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("view")) {
        let parsed = attr.parse_nested_meta(|meta| {
            let key = meta_key(&meta);
            match key.as_str() {
                "name" => view.name = checked_name(&meta.value()?.parse()?, &mut errors),
                "schema" => view.schema = checked_name(&meta.value()?.parse()?, &mut errors),
                "query" => {
                    let lit: LitStr = meta.value()?.parse()?;
                    let text = lit.value().trim().to_string();
                    let lower = text.to_ascii_lowercase();
                    if !QUERY_STARTS.iter().any(|s| lower.starts_with(s)) {
                        errors.push_help(
                            lit.span(),
                            "a view's `query` is a query",
                            "write the SELECT the view runs: query = \"SELECT id, name FROM items\"",
                        );
                    }
                    query_span = Some(lit.span());
                    view.definition = Some(text);
                }
                "materialized" => view.materialized = true,
                "existing" => view.existing = true,
                "with_no_data" => {
                    view.with_no_data = true;
                    materialized_only.push((meta.path.span(), "with_no_data"));
                }
                "using" => {
                    view.using = Some(checked_name(&meta.value()?.parse()?, &mut errors));
                    materialized_only.push((meta.path.span(), "using"));
                }
                "tablespace" => {
                    view.tablespace = Some(checked_name(&meta.value()?.parse()?, &mut errors));
                    materialized_only.push((meta.path.span(), "tablespace"));
                }
                "check_option" => {
                    let lit: LitStr = meta.value()?.parse()?;
                    let value = lit.value();
                    if value != "local" && value != "cascaded" {
                        errors.push_help(
                            lit.span(),
                            &format!("`{value}` is not a check option"),
                            "use check_option = \"local\" or check_option = \"cascaded\"",
                        );
                    }
                    view.with.push(ViewOption {
                        key: key.clone(),
                        value: OptionValue::Text(value),
                    });
                    view_only.push((meta.path.span(), "check_option"));
                }
                "security_barrier" | "security_invoker" => {
                    let value = if meta.input.peek(syn::Token![=]) {
                        meta.value()?.parse::<syn::LitBool>()?.value
                    } else {
                        true
                    };
                    view.with.push(ViewOption {
                        key: key.clone(),
                        value: OptionValue::Bool(value),
                    });
                    view_only.push((
                        meta.path.span(),
                        if key == "security_barrier" {
                            "security_barrier"
                        } else {
                            "security_invoker"
                        },
                    ));
                }
                "with" => meta.parse_nested_meta(|param| {
                    let key = meta_key(&param);
                    let lit: Lit = param.value()?.parse()?;
                    let value = match &lit {
                        Lit::Int(i) => OptionValue::Int(i.base10_parse()?),
                        Lit::Float(f) => OptionValue::Float(f.base10_parse()?),
                        Lit::Bool(b) => OptionValue::Bool(b.value),
                        Lit::Str(s) => OptionValue::Text(s.value()),
                        _ => {
                            return Err(syn::Error::new(
                                lit.span(),
                                "a storage parameter takes a number, bool or string",
                            ))
                        }
                    };
                    if !key.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                        errors.push(syn::Error::new(
                            param.path.span(),
                            "a storage parameter's name is a snake_case word (`fillfactor`, `autovacuum_enabled`)",
                        ));
                    }
                    view.with.push(ViewOption { key, value });
                    Ok(())
                })?,
                _ => unknown_key(
                    &meta,
                    "view",
                    "name, schema, query, materialized, with_no_data, check_option, security_barrier, \
                     security_invoker, with, using, tablespace, existing",
                    &mut errors,
                )?,
            }
            Ok(())
        });
        if let Err(e) = parsed {
            errors.push(e);
        }
    }
    match (&view.definition, view.existing) {
        (None, false) => errors.push_help(
            input.ident.span(),
            "a view needs its `query`",
            "add query = \"SELECT ...\", or `existing` for a view the code only reads",
        ),
        (Some(_), true) => errors.push(syn::Error::new(
            query_span.unwrap_or_else(|| input.ident.span()),
            "an `existing` view is not created, so it has no `query`",
        )),
        _ => {}
    }
    if view.materialized {
        for (span, key) in view_only {
            errors.push(syn::Error::new(
                span,
                format!("`{key}` is an option of plain views, not of materialized ones"),
            ));
        }
    } else {
        for (span, key) in materialized_only {
            errors.push_help(
                span,
                &format!("`{key}` is an option of materialized views"),
                "add `materialized`, or leave it out",
            );
        }
    }
    for c in &view.columns {
        let table_only = [
            (c.primary_key, "primary_key"),
            (c.unique.is_some(), "unique"),
            (c.references.is_some(), "references"),
            (c.identity.is_some(), "identity"),
            (c.serial, "serial"),
            (c.generated.is_some(), "generated"),
            (c.default.is_some(), "default"),
        ];
        for (_, what) in table_only.iter().filter(|(on, _)| *on) {
            errors.push(syn::Error::new(
                field_span(input, &c.field),
                format!(
                    "`{what}` is a table column's attribute; a view's columns are what its query yields"
                ),
            ));
        }
    }
    errors.finish(view)
}

/// Where the field `name` is written (the struct's name if not found).
fn field_span(input: &DeriveInput, name: &str) -> proc_macro2::Span {
    if let Data::Struct(s) = &input.data {
        for f in &s.fields {
            if let Some(ident) = &f.ident {
                if naming::field_name(&ident.to_string()) == name {
                    return ident.span();
                }
            }
        }
    }
    input.ident.span()
}
