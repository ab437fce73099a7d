//! `#[derive(PgRole)]` unit structs: `#[pg_role(name = "...", create_db,
//! create_role, inherit = false, existing)]`, drizzle-kit's `pgRole(name,
//! { createDb, createRole, inherit })` and `.existing()`.

use syn::{Data, DeriveInput, Fields, LitBool, Token};

use super::errors::ParseErrors;
use super::meta::{check_derived_length, checked_name, meta_key, unknown_key, NAMES_ARE_CUT};
use crate::naming;
use crate::unresolved::{Loc, UnresolvedRole};
use crate::RoleDef;

/// Parses a `#[derive(PgRole)]` struct; the name defaults to the struct name
/// in snake_case, the attributes to PostgreSQL's (`INHERIT` only).
pub fn parse_role(input: &DeriveInput) -> Result<UnresolvedRole, ParseErrors> {
    let mut errors = ParseErrors::default();
    let rust_name = naming::field_name(&input.ident.to_string());
    let mut role = RoleDef::new(naming::snake_case(&rust_name));
    let mut named = false;
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("pg_role")) {
        let parsed = attr.parse_nested_meta(|meta| {
            // A bare key is `true`; `key = false` spells the other value.
            let flag = |meta: &syn::meta::ParseNestedMeta| -> syn::Result<bool> {
                if meta.input.peek(Token![=]) {
                    Ok(meta.value()?.parse::<LitBool>()?.value)
                } else {
                    Ok(true)
                }
            };
            match meta_key(&meta).as_str() {
                "name" => {
                    role.name = checked_name(&meta.value()?.parse()?, &mut errors);
                    named = true;
                }
                "create_db" => role.create_db = flag(&meta)?,
                "create_role" => role.create_role = flag(&meta)?,
                "inherit" => role.inherit = flag(&meta)?,
                "existing" => role.existing = flag(&meta)?,
                _ => unknown_key(
                    &meta,
                    "pg_role",
                    "name, create_db, create_role, inherit, existing",
                    &mut errors,
                )?,
            }
            Ok(())
        });
        if let Err(e) = parsed {
            errors.push(e);
        }
    }
    if !named {
        check_derived_length(
            &role.name,
            &format!("role name (from the struct `{rust_name}`)"),
            NAMES_ARE_CUT,
            input.ident.span(),
            "give it a shorter name with #[pg_role(name = \"...\")]",
            &mut errors,
        );
    }
    if !matches!(&input.data, Data::Struct(s) if matches!(s.fields, Fields::Unit)) {
        errors.push(syn::Error::new(
            input.ident.span(),
            "`PgRole` is derived for a unit struct: `pub struct Admin;`",
        ));
    }
    errors.finish(UnresolvedRole {
        rust_name,
        role,
        loc: Loc::of(input.ident.span()),
    })
}
