//! Sequences: the numbers drizzle-kit fills in for an identity column or a
//! `#[derive(PgSequence)]`, and the declared sequences added to a schema.

use std::collections::HashMap;

use super::{ItemRef, ResolveError, ResolveErrors};
use crate::unresolved::{SequenceSpec, UnresolvedSequence};
use crate::{SequenceDef, SequenceOptions};

/// The types a sequence may have, as `AS` spells them.
pub const SEQUENCE_TYPES: &[&str] = &["smallint", "integer", "bigint"];

/// A sequence's numbers as drizzle-kit spells them out: unless given, it
/// increments by 1 from 1 up to the type's maximum (down from -1 to its
/// minimum when the increment is negative), caching 1.
pub fn options(spec: &SequenceSpec, sql_type: &str) -> SequenceOptions {
    let (type_min, type_max) = match sql_type {
        "smallint" => ("-32768", "32767"),
        "bigint" => ("-9223372036854775808", "9223372036854775807"),
        _ => ("-2147483648", "2147483647"),
    };
    let increment = spec.increment.unwrap_or(1);
    let text =
        |v: Option<i64>, default: &str| v.map_or_else(|| default.to_string(), |v| v.to_string());
    let min_value = text(spec.min_value, if increment < 0 { type_min } else { "1" });
    let max_value = text(spec.max_value, if increment < 0 { "-1" } else { type_max });
    let start_with = text(
        spec.start,
        if increment < 0 {
            &max_value
        } else {
            &min_value
        },
    );
    SequenceOptions {
        increment: increment.to_string(),
        start_with,
        min_value,
        max_value,
        cache: text(spec.cache, "1"),
        cycle: spec.cycle,
    }
}

/// Adds the declared sequences, each once (one declared twice is an error
/// naming both structs), and their schemas to the schema list.
pub fn add_sequences(
    schema: &mut crate::Schema,
    sequences: &[UnresolvedSequence],
) -> Result<(), ResolveErrors> {
    let mut errors = Vec::new();
    let mut first: HashMap<(&str, &str), usize> = HashMap::new();
    for (i, s) in sequences.iter().enumerate() {
        let key = (s.schema.as_str(), s.name.as_str());
        if let Some(&f) = first.get(&key) {
            errors.push(ResolveError {
                item: ItemRef::Sequence(i),
                loc: s.loc,
                message: format!(
                    "sequence \"{}\".\"{}\" is declared twice (by `{}` and `{}`)",
                    s.schema, s.name, sequences[f].rust_name, s.rust_name
                ),
                other: Some((ItemRef::Sequence(f), sequences[f].loc)),
            });
            continue;
        }
        first.insert(key, i);
        let data_type = s.data_type.clone().unwrap_or_else(|| "bigint".into());
        super::add_schema(&mut schema.schemas, &s.schema);
        schema.sequences.push(SequenceDef {
            name: s.name.clone(),
            schema: s.schema.clone(),
            options: options(&s.numbers, &data_type),
            data_type,
        });
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ResolveErrors(errors))
    }
}
