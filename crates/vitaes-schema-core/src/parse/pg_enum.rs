//! `#[derive(PgEnum)]` enums: `#[pg_enum(name = "...", schema = "...")]` on
//! the enum, `#[pg_enum(rename = "...")]` on a variant.

use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, LitStr};

use super::errors::ParseErrors;
use super::meta::{
    check_derived_length, checked_name, doc_comment, meta_key, unknown_key, LABELS_ARE_LIMITED,
    NAMES_ARE_CUT,
};
use crate::naming;
use crate::unresolved::{Loc, UnresolvedEnum, UnresolvedSchema};

/// Parses a `#[derive(PgEnum)]` enum: unit variants only, values snake_case
/// unless renamed.
pub fn parse_enum(input: &DeriveInput) -> Result<UnresolvedEnum, ParseErrors> {
    let mut errors = ParseErrors::default();
    let rust_name = naming::field_name(&input.ident.to_string());
    let mut result = UnresolvedEnum {
        name: naming::snake_case(&rust_name),
        rust_name,
        schema: "public".to_string(),
        values: Vec::new(),
        comment: doc_comment(&input.attrs),
        loc: Loc::of(input.ident.span()),
    };
    let mut named = false;
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("pg_enum")) {
        let parsed = attr.parse_nested_meta(|meta| {
            match meta_key(&meta).as_str() {
                "name" => {
                    result.name = checked_name(&meta.value()?.parse()?, &mut errors);
                    named = true;
                }
                "schema" => result.schema = checked_name(&meta.value()?.parse()?, &mut errors),
                _ => unknown_key(&meta, "pg_enum", "name, schema", &mut errors)?,
            }
            Ok(())
        });
        if let Err(e) = parsed {
            errors.push(e);
        }
    }
    if !named {
        check_derived_length(
            &result.name,
            &format!("enum name (from the enum `{}`)", result.rust_name),
            NAMES_ARE_CUT,
            input.ident.span(),
            "give it a shorter SQL name with #[pg_enum(name = \"...\")]",
            &mut errors,
        );
    }
    let Data::Enum(data) = &input.data else {
        errors.push(syn::Error::new(
            input.ident.span(),
            "`PgEnum` can only be derived for an enum of unit variants",
        ));
        return Err(errors);
    };
    for variant in &data.variants {
        if !matches!(variant.fields, Fields::Unit) {
            errors.push(syn::Error::new(
                variant.fields.span(),
                "a `PgEnum` variant cannot hold data: each variant is one enum value",
            ));
        }
        let mut value = naming::snake_case(&variant.ident.to_string());
        let mut label_span = variant.ident.span();
        let mut renamed = false;
        for attr in variant
            .attrs
            .iter()
            .filter(|a| a.path().is_ident("pg_enum"))
        {
            let parsed = attr.parse_nested_meta(|meta| {
                match meta_key(&meta).as_str() {
                    "rename" => {
                        let lit: LitStr = meta.value()?.parse()?;
                        value = lit.value();
                        label_span = lit.span();
                        renamed = true;
                    }
                    _ => unknown_key(&meta, "pg_enum", "rename (on a variant)", &mut errors)?,
                }
                Ok(())
            });
            if let Err(e) = parsed {
                errors.push(e);
            }
        }
        // PostgreSQL rejects a label over 63 bytes (it does not cut labels).
        let help = if renamed {
            "choose a label of at most 63 bytes"
        } else {
            "give the variant a shorter label with #[pg_enum(rename = \"...\")]"
        };
        let (what, rule) = ("enum label", LABELS_ARE_LIMITED);
        check_derived_length(&value, what, rule, label_span, help, &mut errors);
        if result.values.contains(&value) {
            errors.push(syn::Error::new(
                variant.ident.span(),
                format!("duplicate enum value `{value}`"),
            ));
        }
        result.values.push(value);
    }
    if result.values.is_empty() {
        errors.push(syn::Error::new(
            input.ident.span(),
            "a `PgEnum` needs at least one variant",
        ));
    }
    errors.finish(result)
}

/// Parses a `#[derive(PgSchema)]` struct: `#[pg_schema(name = "...")]`, the
/// name defaulting to the struct name in snake_case.
pub fn parse_schema(input: &DeriveInput) -> Result<UnresolvedSchema, ParseErrors> {
    let mut errors = ParseErrors::default();
    let rust_name = naming::field_name(&input.ident.to_string());
    let mut result = UnresolvedSchema {
        name: naming::snake_case(&rust_name),
        rust_name,
        loc: Loc::of(input.ident.span()),
    };
    let mut named = false;
    for attr in input
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("pg_schema"))
    {
        let parsed = attr.parse_nested_meta(|meta| {
            match meta_key(&meta).as_str() {
                "name" => {
                    result.name = checked_name(&meta.value()?.parse()?, &mut errors);
                    named = true;
                }
                _ => unknown_key(&meta, "pg_schema", "name", &mut errors)?,
            }
            Ok(())
        });
        if let Err(e) = parsed {
            errors.push(e);
        }
    }
    if !named {
        check_derived_length(
            &result.name,
            &format!("schema name (from the struct `{}`)", result.rust_name),
            NAMES_ARE_CUT,
            input.ident.span(),
            "give it a shorter SQL name with #[pg_schema(name = \"...\")]",
            &mut errors,
        );
    }
    if !matches!(&input.data, Data::Struct(s) if matches!(s.fields, Fields::Unit)) {
        errors.push(syn::Error::new(
            input.ident.span(),
            "`PgSchema` is derived for a unit struct: `pub struct Billing;`",
        ));
    }
    if result.name == "public" {
        errors.push(syn::Error::new(
            input.ident.span(),
            "`public` exists already; declare only other schemas",
        ));
    }
    errors.finish(result)
}
