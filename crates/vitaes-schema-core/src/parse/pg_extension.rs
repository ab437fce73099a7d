//! `#[derive(PgExtension)]` unit structs: `#[pg_extension(name = "pgcrypto",
//! schema = "public", version = "1.3")]`.

use syn::{Data, DeriveInput, Fields, LitStr};

use super::errors::ParseErrors;
use super::meta::{checked_name, meta_key, unknown_key};
use crate::naming;
use crate::unresolved::{Loc, UnresolvedExtension};
use crate::ExtensionDef;

/// Parses a `#[derive(PgExtension)]` struct. The name defaults to the
/// struct name in snake_case; extensions with a `-` (`uuid-ossp`) need
/// `name = "..."`.
pub fn parse_extension(input: &DeriveInput) -> Result<UnresolvedExtension, ParseErrors> {
    let mut errors = ParseErrors::default();
    let rust_name = naming::field_name(&input.ident.to_string());
    let mut extension = ExtensionDef {
        name: naming::snake_case(&rust_name),
        schema: None,
        version: None,
    };
    for attr in input
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("pg_extension"))
    {
        let parsed = attr.parse_nested_meta(|meta| {
            match meta_key(&meta).as_str() {
                "name" => extension.name = checked_name(&meta.value()?.parse()?, &mut errors),
                "schema" => {
                    extension.schema = Some(checked_name(&meta.value()?.parse()?, &mut errors))
                }
                "version" => {
                    let v: LitStr = meta.value()?.parse()?;
                    if v.value().is_empty() {
                        errors.push(syn::Error::new(
                            v.span(),
                            "an extension's version is not empty: leave `version` out for the package's default",
                        ));
                    }
                    extension.version = Some(v.value());
                }
                _ => unknown_key(&meta, "pg_extension", "name, schema, version", &mut errors)?,
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
            "`PgExtension` is derived for a unit struct: `pub struct Pgcrypto;`",
        ));
    }
    errors.finish(UnresolvedExtension {
        rust_name,
        extension,
        loc: Loc::of(input.ident.span()),
    })
}
