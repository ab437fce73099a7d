//! `#[derive(PgSequence)]` unit structs: `#[sequence(name = "invoice_no",
//! schema = "billing", as = "integer", start = 1000, increment = 1,
//! min_value = 1, max_value = 999999, cache = 1, cycle)]`, drizzle-kit's
//! `pgSequence(name, { startWith, increment, minValue, maxValue, cache, cycle })`.

use syn::{Data, DeriveInput, Fields, LitStr};

use super::column::sequence_number;
use super::errors::ParseErrors;
use super::meta::{checked_name, meta_key, unknown_key};
use crate::naming;
use crate::resolve::sequences::SEQUENCE_TYPES;
use crate::unresolved::{Loc, SequenceSpec, UnresolvedSequence};

/// Parses a `#[derive(PgSequence)]` struct; the name defaults to the struct
/// name in snake_case, the schema to `public`.
pub fn parse_sequence(input: &DeriveInput) -> Result<UnresolvedSequence, ParseErrors> {
    let mut errors = ParseErrors::default();
    let rust_name = naming::field_name(&input.ident.to_string());
    let mut sequence = UnresolvedSequence {
        name: naming::snake_case(&rust_name),
        rust_name,
        schema: "public".into(),
        data_type: None,
        numbers: SequenceSpec::default(),
        loc: Loc::of(input.ident.span()),
    };
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("sequence")) {
        let parsed = attr.parse_nested_meta(|meta| {
            let key = meta_key(&meta);
            if sequence_number(&key, &meta, &mut sequence.numbers)? {
                return Ok(());
            }
            match key.as_str() {
                "name" => sequence.name = checked_name(&meta.value()?.parse()?, &mut errors),
                "schema" => sequence.schema = checked_name(&meta.value()?.parse()?, &mut errors),
                "as" => {
                    let lit: LitStr = meta.value()?.parse()?;
                    let ty = lit.value().to_ascii_lowercase();
                    if SEQUENCE_TYPES.contains(&ty.as_str()) {
                        sequence.data_type = Some(ty);
                    } else {
                        errors.push_help(
                            lit.span(),
                            &format!("a sequence cannot be of type `{}`", lit.value()),
                            "use as = \"smallint\", \"integer\" or \"bigint\" (the default)",
                        );
                    }
                }
                _ => unknown_key(
                    &meta,
                    "sequence",
                    "name, schema, as, start, increment, min_value, max_value, cache, cycle",
                    &mut errors,
                )?,
            }
            Ok(())
        });
        if let Err(e) = parsed {
            errors.push(e);
        }
    }
    if sequence.numbers.increment == Some(0) {
        errors.push(syn::Error::new(
            input.ident.span(),
            "a sequence's increment cannot be 0",
        ));
    }
    if !matches!(&input.data, Data::Struct(s) if matches!(s.fields, Fields::Unit)) {
        errors.push(syn::Error::new(
            input.ident.span(),
            "`PgSequence` is derived for a unit struct: `pub struct InvoiceNo;`",
        ));
    }
    errors.finish(sequence)
}
