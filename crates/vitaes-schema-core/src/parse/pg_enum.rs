//! `#[derive(PgEnum)]` enums: `#[pg_enum(name = "...", schema = "...")]` on
//! the enum, `#[pg_enum(rename = "...")]` on a variant.

use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, LitStr};

use super::errors::ParseErrors;
use super::meta::{checked_name, meta_key, unknown_key};
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
        loc: Loc::of(input.ident.span()),
    };
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("pg_enum")) {
        let parsed = attr.parse_nested_meta(|meta| {
            match meta_key(&meta).as_str() {
                "name" => result.name = checked_name(&meta.value()?.parse()?, &mut errors),
                "schema" => result.schema = checked_name(&meta.value()?.parse()?, &mut errors),
                _ => unknown_key(&meta, "pg_enum", "name, schema", &mut errors)?,
            }
            Ok(())
        });
        if let Err(e) = parsed {
            errors.push(e);
        }
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
                    }
                    _ => unknown_key(&meta, "pg_enum", "rename (on a variant)", &mut errors)?,
                }
                Ok(())
            });
            if let Err(e) = parsed {
                errors.push(e);
            }
        }
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
    for attr in input
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("pg_schema"))
    {
        let parsed = attr.parse_nested_meta(|meta| {
            match meta_key(&meta).as_str() {
                "name" => result.name = checked_name(&meta.value()?.parse()?, &mut errors),
                _ => unknown_key(&meta, "pg_schema", "name", &mut errors)?,
            }
            Ok(())
        });
        if let Err(e) = parsed {
            errors.push(e);
        }
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
