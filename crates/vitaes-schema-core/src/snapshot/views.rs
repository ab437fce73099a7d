//! drizzle-kit's `views` field: plain and materialized views in one map,
//! `"schema.name": { columns, definition, name, schema, isExisting, with,
//! withNoData, materialized, tablespace, using }`, keys without a value left
//! out as `JSON.stringify` does; `with` keys in camelCase with typed values.

use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::{column_json, indexmap_like, read_column, schema_name, RawColumn};
use crate::naming::{snake_case, truncate_identifier};
use crate::{OptionValue, ViewDef, ViewOption};

/// `check_option` → `checkOption`, drizzle-orm's spelling of the option.
fn camel(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for c in key.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn option_json(v: &OptionValue) -> Value {
    match v {
        OptionValue::Bool(b) => json!(b),
        OptionValue::Int(i) => json!(i),
        OptionValue::Float(f) => json!(f),
        OptionValue::Text(t) => json!(t),
    }
}

pub(super) fn write(views: &[ViewDef]) -> Value {
    let mut all = Map::new();
    for view in views {
        let mut v = Map::new();
        let mut columns = Map::new();
        for c in &view.columns {
            columns.insert(c.name.clone(), column_json(c));
        }
        v.insert("columns".into(), Value::Object(columns));
        if let Some(d) = &view.definition {
            v.insert("definition".into(), json!(d));
        }
        v.insert("name".into(), json!(view.name));
        v.insert("schema".into(), json!(view.schema));
        v.insert("isExisting".into(), json!(view.existing));
        if !view.with.is_empty() {
            let with: Map<String, Value> = view
                .with
                .iter()
                .map(|o| (camel(&o.key), option_json(&o.value)))
                .collect();
            v.insert("with".into(), Value::Object(with));
        }
        if view.materialized && view.with_no_data {
            v.insert("withNoData".into(), json!(true));
        }
        v.insert("materialized".into(), json!(view.materialized));
        if let Some(ts) = &view.tablespace {
            v.insert("tablespace".into(), json!(ts));
        }
        if let Some(using) = &view.using {
            v.insert("using".into(), json!(using));
        }
        all.insert(format!("{}.{}", view.schema, view.name), Value::Object(v));
    }
    Value::Object(all)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RawView {
    name: String,
    #[serde(default)]
    schema: String,
    #[serde(default)]
    columns: indexmap_like::Ordered<RawColumn>,
    #[serde(default)]
    definition: Option<String>,
    #[serde(default)]
    is_existing: bool,
    #[serde(default)]
    with: Map<String, Value>,
    #[serde(default)]
    with_no_data: bool,
    #[serde(default)]
    materialized: bool,
    #[serde(default)]
    tablespace: Option<String>,
    #[serde(default)]
    using: Option<String>,
}

fn read_option(v: Value) -> Option<OptionValue> {
    Some(match v {
        Value::Bool(b) => OptionValue::Bool(b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => OptionValue::Int(i),
            None => OptionValue::Float(n.as_f64()?),
        },
        Value::String(s) => OptionValue::Text(s),
        _ => return None,
    })
}

pub(super) fn read(raw: Vec<RawView>) -> Vec<ViewDef> {
    raw.into_iter()
        .map(|v| ViewDef {
            name: truncate_identifier(&v.name),
            schema: schema_name(&v.schema),
            definition: v.definition,
            materialized: v.materialized,
            existing: v.is_existing,
            columns: v.columns.0.into_iter().map(read_column).collect(),
            with: v
                .with
                .into_iter()
                .filter_map(|(k, value)| {
                    Some(ViewOption {
                        key: snake_case(&k),
                        value: read_option(value)?,
                    })
                })
                .collect(),
            with_no_data: v.with_no_data,
            using: v.using,
            tablespace: v.tablespace,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn option_names_are_drizzle_orms() {
        assert_eq!(camel("check_option"), "checkOption");
        assert_eq!(
            camel("autovacuum_vacuum_scale_factor"),
            "autovacuumVacuumScaleFactor"
        );
        assert_eq!(camel("fillfactor"), "fillfactor");
        assert_eq!(snake_case("toastTupleTarget"), "toast_tuple_target");
    }
}
