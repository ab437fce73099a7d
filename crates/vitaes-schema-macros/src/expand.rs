//! Parse (core) → expand. Errors from the parser become one `compile_error!`
//! per mistake, each at its own span.

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{format_ident, quote, ToTokens};
use syn::{Data, DeriveInput, Fields};
use vitaes_schema_core::parse::{
    parse_enum, parse_extension, parse_role, parse_schema, parse_sequence, parse_table_with,
    parse_view, project_rename_all,
};
use vitaes_schema_core::resolve::lone_table_errors;
use vitaes_schema_core::unresolved::Loc;

/// Expands `#[derive(Table)]`: a hidden struct of the columns' SQL names and
/// `impl vitaes_schema::Table`. The parsed table is embedded as JSON, so the
/// compiled impl hands the resolver exactly what the CLI's source reader
/// would; `Table::enums` lists the `PgEnum`s its columns use, so the builder
/// registers them with the table.
pub fn derive_table_inner(input: TokenStream) -> TokenStream {
    let input: DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(e) => return e.to_compile_error(),
    };
    let (rename, track) = match project_rename(&input) {
        Ok(found) => found,
        Err(e) => return e,
    };
    let parsed = match parse_table_with(&input, rename) {
        Ok(parsed) => parsed,
        Err(errors) => return errors.to_compile_errors(),
    };
    let lone = lone_table_errors(&parsed.table);
    if !lone.is_empty() {
        return resolver_errors(&input, lone);
    }
    let ident = &input.ident;
    let vis = &input.vis;
    let columns_ident = format_ident!("__{}Columns", ident);
    let table_name = &parsed.table.name;
    let schema_name = &parsed.table.schema;

    // Field idents in declaration order, skipping `#[column(skip)]` fields.
    let Data::Struct(data) = &input.data else {
        unreachable!("parse_table accepts structs only")
    };
    let Fields::Named(named) = &data.fields else {
        unreachable!("parse_table accepts named fields only")
    };
    let column_fields: Vec<_> = named
        .named
        .iter()
        .filter_map(|f| {
            let ident = f.ident.as_ref()?;
            let field = vitaes_schema_core::naming::field_name(&ident.to_string());
            parsed
                .table
                .column_by_field(&field)
                .map(|c| (ident, c.name.clone()))
        })
        .collect();
    let field_decls = column_fields
        .iter()
        .map(|(f, _)| quote!(#vis #f: &'static str));
    let field_values = column_fields.iter().map(|(f, name)| quote!(#f: #name));

    let field_uses = parsed.field_uses.iter().map(|u| {
        let (table, field) = (&u.table, &u.field);
        quote!(let _: &'static str = <#table as ::vitaes_schema::Table>::COLUMNS.#field;)
    });
    // The parser's list of the fields' enum types (through `Option` and
    // `Vec`): each must be a `PgEnum` (the bound's message says how to fix
    // it), and `enums()` hands them to the builder, so `.table::<T>()`
    // registers them. Without any, the trait's default (none) stands.
    let enums_fn = (!parsed.enum_types.is_empty()).then(|| {
        let enum_types = parsed.enum_types.iter();
        quote! {
            fn enums() -> ::std::vec::Vec<::vitaes_schema::UnresolvedEnum> {
                fn __vitaes_require_pg_enum<T: ::vitaes_schema::PgEnum>() -> ::vitaes_schema::UnresolvedEnum {
                    <T as ::vitaes_schema::PgEnum>::unresolved()
                }
                ::std::vec![#(__vitaes_require_pg_enum::<#enum_types>()),*]
            }
        }
    });
    let json = json_literal(&parsed.table);

    quote! {
        #[doc(hidden)]
        #[allow(non_camel_case_types, dead_code)]
        #vis struct #columns_ident {
            #(#field_decls,)*
        }

        #track

        impl ::vitaes_schema::Table for #ident {
            const NAME: &'static str = #table_name;
            const SCHEMA: &'static str = #schema_name;
            type Columns = #columns_ident;
            const COLUMNS: #columns_ident = #columns_ident { #(#field_values,)* };

            fn unresolved() -> ::vitaes_schema::UnresolvedTable {
                #(#field_uses)*
                ::vitaes_schema::__private::table_from_json(#json)
            }

            #enums_fn
        }
    }
}

/// The resolver's messages about one struct as compile errors, each at the
/// token the parser took its place from (the struct's name if none matches).
fn resolver_errors(input: &DeriveInput, errors: Vec<(Loc, String)>) -> TokenStream {
    let tokens = input.to_token_stream();
    errors
        .into_iter()
        .map(|(loc, message)| {
            let span = span_at(tokens.clone(), loc).unwrap_or_else(|| input.ident.span());
            syn::Error::new(span, message).to_compile_error()
        })
        .collect()
}

/// The span of the token that starts at `loc`, searching into groups.
fn span_at(tokens: TokenStream, loc: Loc) -> Option<Span> {
    tokens.into_iter().find_map(|tree| match tree {
        TokenTree::Group(group) => span_at(group.stream(), loc),
        other => (Loc::of(other.span()) == loc).then(|| other.span()),
    })
}

/// Expands `#[derive(PgEnum)]`: `impl vitaes_schema::PgEnum`.
pub fn derive_pg_enum_inner(input: TokenStream) -> TokenStream {
    let input: DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(e) => return e.to_compile_error(),
    };
    let parsed = match parse_enum(&input) {
        Ok(parsed) => parsed,
        Err(errors) => return errors.to_compile_errors(),
    };
    let ident = &input.ident;
    let (name, schema) = (&parsed.name, &parsed.schema);
    let values = &parsed.values;
    let Data::Enum(data) = &input.data else {
        unreachable!("parse_enum accepts enums only")
    };
    let variants = data.variants.iter().map(|v| &v.ident);
    let json = json_literal(&parsed);
    quote! {
        impl ::vitaes_schema::PgEnum for #ident {
            const NAME: &'static str = #name;
            const SCHEMA: &'static str = #schema;
            const VALUES: &'static [&'static str] = &[#(#values),*];

            fn unresolved() -> ::vitaes_schema::UnresolvedEnum {
                ::vitaes_schema::__private::enum_from_json(#json)
            }

            fn as_value(&self) -> &'static str {
                match self {
                    #(Self::#variants => #values,)*
                }
            }
        }
    }
}

/// Expands `#[derive(PgSchema)]`: `impl vitaes_schema::PgSchema`.
pub fn derive_pg_schema_inner(input: TokenStream) -> TokenStream {
    let input: DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(e) => return e.to_compile_error(),
    };
    let parsed = match parse_schema(&input) {
        Ok(parsed) => parsed,
        Err(errors) => return errors.to_compile_errors(),
    };
    let ident = &input.ident;
    let name = &parsed.name;
    let json = json_literal(&parsed);
    quote! {
        impl ::vitaes_schema::PgSchema for #ident {
            const NAME: &'static str = #name;

            fn unresolved() -> ::vitaes_schema::UnresolvedSchema {
                ::vitaes_schema::__private::schema_from_json(#json)
            }
        }
    }
}

/// Expands `#[derive(PgRole)]`: `impl vitaes_schema::PgRole`.
pub fn derive_pg_role_inner(input: TokenStream) -> TokenStream {
    let input: DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(e) => return e.to_compile_error(),
    };
    let parsed = match parse_role(&input) {
        Ok(parsed) => parsed,
        Err(errors) => return errors.to_compile_errors(),
    };
    let ident = &input.ident;
    let name = &parsed.role.name;
    let json = json_literal(&parsed);
    quote! {
        impl ::vitaes_schema::PgRole for #ident {
            const NAME: &'static str = #name;

            fn unresolved() -> ::vitaes_schema::UnresolvedRole {
                ::vitaes_schema::__private::role_from_json(#json)
            }
        }
    }
}

/// The project's `rename_all` (vitaes.toml nearest the crate), as the CLI
/// reads it, and an `include_bytes!` of that file so that editing it rebuilds
/// the crate.
fn project_rename(
    input: &DeriveInput,
) -> Result<
    (
        Option<vitaes_schema_core::naming::RenameRule>,
        Option<TokenStream>,
    ),
    TokenStream,
> {
    let project = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(|dir| project_rename_all(std::path::Path::new(&dir)))
        .transpose();
    match project {
        Ok(found) => Ok(match found.flatten() {
            Some((rule, path)) => {
                let path = path.to_string_lossy().into_owned();
                (
                    Some(rule),
                    Some(quote! { const _: &[u8] = ::std::include_bytes!(#path); }),
                )
            }
            None => (None, None),
        }),
        Err(message) => Err(syn::Error::new(input.ident.span(), message).to_compile_error()),
    }
}

/// Expands `#[derive(PgSequence)]`: `impl vitaes_schema::PgSequence`.
pub fn derive_pg_sequence_inner(input: TokenStream) -> TokenStream {
    let input: DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(e) => return e.to_compile_error(),
    };
    let parsed = match parse_sequence(&input) {
        Ok(parsed) => parsed,
        Err(errors) => return errors.to_compile_errors(),
    };
    let ident = &input.ident;
    let name = &parsed.name;
    let json = json_literal(&parsed);
    quote! {
        impl ::vitaes_schema::PgSequence for #ident {
            const NAME: &'static str = #name;

            fn unresolved() -> ::vitaes_schema::UnresolvedSequence {
                ::vitaes_schema::__private::sequence_from_json(#json)
            }
        }
    }
}

/// Expands `#[derive(PgView)]`: `impl vitaes_schema::PgView`.
pub fn derive_pg_view_inner(input: TokenStream) -> TokenStream {
    let input: DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(e) => return e.to_compile_error(),
    };
    let (rename, track) = match project_rename(&input) {
        Ok(found) => found,
        Err(e) => return e,
    };
    let parsed = match parse_view(&input, rename) {
        Ok(parsed) => parsed,
        Err(errors) => return errors.to_compile_errors(),
    };
    let ident = &input.ident;
    let name = &parsed.name;
    let json = json_literal(&parsed);
    quote! {
        #track
        impl ::vitaes_schema::PgView for #ident {
            const NAME: &'static str = #name;

            fn unresolved() -> ::vitaes_schema::UnresolvedView {
                ::vitaes_schema::__private::view_from_json(#json)
            }
        }
    }
}

/// Expands `#[derive(PgExtension)]`: `impl vitaes_schema::PgExtension`.
pub fn derive_pg_extension_inner(input: TokenStream) -> TokenStream {
    let input: DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(e) => return e.to_compile_error(),
    };
    let parsed = match parse_extension(&input) {
        Ok(parsed) => parsed,
        Err(errors) => return errors.to_compile_errors(),
    };
    let ident = &input.ident;
    let name = &parsed.extension.name;
    let json = json_literal(&parsed);
    quote! {
        impl ::vitaes_schema::PgExtension for #ident {
            const NAME: &'static str = #name;

            fn unresolved() -> ::vitaes_schema::UnresolvedExtension {
                ::vitaes_schema::__private::extension_from_json(#json)
            }
        }
    }
}

/// The parsed item as a pretty-printed raw string literal, so the expansion
/// stays readable (`cargo expand`, the insta snapshots below).
fn json_literal(value: &impl serde::Serialize) -> proc_macro2::Literal {
    let json = serde_json::to_string_pretty(value).expect("parsed items serialise");
    let mut hashes = String::from("#");
    while json.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{json}\"{hashes}")
        .parse()
        .expect("a raw string literal parses")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pretty(tokens: TokenStream) -> String {
        prettyplease::unparse(&syn::parse2(tokens).expect("expansion is a file"))
    }

    #[test]
    fn table_expansion() {
        let input = quote! {
            #[table(name = "session", index(name = "idx_session_user", columns(user_id)))]
            pub struct Session {
                #[column(primary_key)]
                pub id: String,
                #[column(unique)]
                pub token: String,
                #[column(references(User, id), on_delete = "cascade")]
                pub user_id: String,
                pub expires_at: Option<chrono::NaiveDateTime>,
                pub mood: Mood,
            }
        };
        insta::assert_snapshot!(pretty(derive_table_inner(input)));
    }

    #[test]
    fn table_with_composite_keys_and_index_options_expansion() {
        let input = quote! {
            #[table(
                schema = "billing",
                primary_key(columns(org_id, user_id)),
                foreign_key(columns(org_id, user_id), references(Membership, columns(org_id, user_id)), on_delete = "cascade"),
                index(name = "ix_at", columns(at desc nulls last, expr("lower(note)")), where = "at IS NOT NULL"),
                check(name = "positive", expr = "org_id > 0")
            )]
            pub(crate) struct Event {
                pub org_id: i32,
                pub user_id: String,
                #[column(identity = "always")]
                pub seq: i64,
                pub at: Option<chrono::DateTime<chrono::Utc>>,
                #[column(name = "note_text")]
                pub note: String,
                #[column(skip)]
                pub cache: Vec<u8>,
            }
        };
        insta::assert_snapshot!(pretty(derive_table_inner(input)));
    }

    #[test]
    fn pg_role_expansion() {
        let input = quote! {
            #[pg_role(name = "admin", create_db, inherit = false)]
            pub struct Admin;
        };
        insta::assert_snapshot!(pretty(derive_pg_role_inner(input)));
    }

    #[test]
    fn pg_enum_expansion() {
        let input = quote! {
            #[pg_enum(name = "mood")]
            pub enum Mood { Sad, Ok, #[pg_enum(rename = "HAPPY")] Happy }
        };
        insta::assert_snapshot!(pretty(derive_pg_enum_inner(input)));
    }

    #[test]
    fn errors_become_one_compile_error_each() {
        let input = quote! {
            #[table(nme = "x")]
            pub struct T {
                #[column(primary_key, colour = "red")]
                pub id: String,
                #[column(default = [1])]
                pub n: i32,
            }
        };
        let out = derive_table_inner(input).to_string();
        assert_eq!(out.matches("compile_error").count(), 3, "{out}");
        assert!(out.contains("unknown `table` key `nme`"), "{out}");
        assert!(out.contains("unknown `column` key `colour`"), "{out}");
        assert!(out.contains("`default` takes a literal"), "{out}");
    }
}
