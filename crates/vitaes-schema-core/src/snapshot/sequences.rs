//! drizzle-kit's `sequences` field (`"schema.name": { name, schema,
//! increment, startWith, minValue, maxValue, cache, cycle }`), and the numbers
//! an identity column's sequence shares with it.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::schema_name;
use crate::naming::truncate_identifier;
use crate::{SequenceDef, SequenceOptions};

/// The numbers in drizzle-kit's key order, after `name` and `schema`.
pub(super) fn write_options(into: &mut Map<String, Value>, o: &SequenceOptions) {
    into.insert("increment".into(), json!(o.increment));
    into.insert("startWith".into(), json!(o.start_with));
    into.insert("minValue".into(), json!(o.min_value));
    into.insert("maxValue".into(), json!(o.max_value));
    into.insert("cache".into(), json!(o.cache));
    into.insert("cycle".into(), json!(o.cycle));
}

pub(super) fn write(sequences: &[SequenceDef]) -> Value {
    let mut all = Map::new();
    for s in sequences {
        let mut v = Map::new();
        v.insert("name".into(), json!(s.name));
        v.insert("schema".into(), json!(s.schema));
        write_options(&mut v, &s.options);
        all.insert(format!("{}.{}", s.schema, s.name), Value::Object(v));
    }
    Value::Object(all)
}

/// `internal.vitaes.sequenceTypes`: the `AS` type of each sequence that is
/// not `bigint` (drizzle-kit has no such option).
pub(super) fn write_types(sequences: &[SequenceDef]) -> Map<String, Value> {
    sequences
        .iter()
        .filter(|s| s.data_type != "bigint")
        .map(|s| (format!("{}.{}", s.schema, s.name), json!(s.data_type)))
        .collect()
}

/// A sequence's numbers as a snapshot has them; any left out take
/// drizzle-kit's defaults.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub(super) struct RawOptions {
    #[serde(default)]
    increment: Option<String>,
    #[serde(default)]
    start_with: Option<String>,
    #[serde(default)]
    min_value: Option<String>,
    #[serde(default)]
    max_value: Option<String>,
    #[serde(default)]
    cache: Option<String>,
    #[serde(default)]
    cycle: Option<bool>,
}

impl RawOptions {
    pub(super) fn read(self) -> SequenceOptions {
        SequenceOptions {
            increment: self.increment.unwrap_or_else(|| "1".into()),
            start_with: self.start_with.unwrap_or_else(|| "1".into()),
            min_value: self.min_value.unwrap_or_else(|| "1".into()),
            max_value: self.max_value.unwrap_or_default(),
            cache: self.cache.unwrap_or_else(|| "1".into()),
            cycle: self.cycle.unwrap_or(false),
        }
    }
}

#[derive(Deserialize)]
pub(super) struct RawSequence {
    name: String,
    #[serde(default)]
    schema: String,
    #[serde(flatten)]
    options: RawOptions,
}

pub(super) fn read(raw: Vec<RawSequence>, types: &BTreeMap<String, String>) -> Vec<SequenceDef> {
    raw.into_iter()
        .map(|s| {
            let name = truncate_identifier(&s.name);
            let schema = schema_name(&s.schema);
            let data_type = types
                .get(&format!("{schema}.{name}"))
                .cloned()
                .unwrap_or_else(|| "bigint".into());
            let mut options = s.options.read();
            if options.max_value.is_empty() {
                options.max_value = "9223372036854775807".into();
            }
            SequenceDef {
                name,
                schema,
                data_type,
                options,
            }
        })
        .collect()
}
