//! Enum changes: created, dropped, values added in place (`ADD VALUE ...
//! BEFORE`), or rebuilt through text when values are removed or reordered.

use vitaes_schema_core::{EnumDef, Schema};

use super::casts::base_type;
use super::change::{Change, EnumColumn, TableRef};
use super::{Ambiguity, RenameDecisions};

pub(super) struct EnumPlan {
    pub created: Vec<EnumDef>,
    pub dropped: Vec<EnumDef>,
    pub added_values: Vec<Change>,
    /// Enums whose values were removed or reordered, as they should become.
    pub rebuilt: Vec<EnumDef>,
}

pub(super) fn diff_enums(
    old: &Schema,
    new: &Schema,
    decisions: &RenameDecisions,
    ambiguities: &mut Vec<Ambiguity>,
) -> EnumPlan {
    let find = |s: &Schema, e: &EnumDef| {
        s.enums
            .iter()
            .find(|o| o.schema == e.schema && o.name == e.name)
            .cloned()
    };
    let created: Vec<EnumDef> = new
        .enums
        .iter()
        .filter(|e| find(old, e).is_none())
        .cloned()
        .collect();
    let dropped: Vec<EnumDef> = old
        .enums
        .iter()
        .filter(|e| find(new, e).is_none())
        .cloned()
        .collect();

    let mut schemas: Vec<&str> = dropped.iter().map(|e| e.schema.as_str()).collect();
    schemas.dedup();
    for schema in schemas {
        let d: Vec<String> = dropped
            .iter()
            .filter(|e| e.schema == schema)
            .map(|e| e.name.clone())
            .collect();
        let a: Vec<String> = created
            .iter()
            .filter(|e| e.schema == schema && !decisions.is_new_enum(&e.schema, &e.name))
            .map(|e| e.name.clone())
            .collect();
        if !a.is_empty() {
            ambiguities.push(Ambiguity::Enums {
                schema: schema.to_string(),
                dropped: d,
                added: a,
            });
        }
    }

    let mut added_values = Vec::new();
    let mut rebuilt = Vec::new();
    for e in &new.enums {
        let Some(o) = find(old, e) else { continue };
        if o.values == e.values {
            continue;
        }
        match value_additions(&o.values, &e.values) {
            Some(additions) => added_values.extend(additions.into_iter().map(|(value, before)| {
                Change::AddEnumValue {
                    enum_def: e.clone(),
                    value,
                    before,
                }
            })),
            None => rebuilt.push(e.clone()),
        }
    }
    EnumPlan {
        created,
        dropped,
        added_values,
        rebuilt,
    }
}

/// When `new` is `old` with values inserted (old values keep their order),
/// each inserted value with the old value it goes before (`None`: at the end).
/// `None` when values were removed or reordered.
fn value_additions(old: &[String], new: &[String]) -> Option<Vec<(String, Option<String>)>> {
    let kept: Vec<&String> = new.iter().filter(|v| old.contains(v)).collect();
    if kept.len() != old.len() || kept.iter().zip(old).any(|(a, b)| *a != b) {
        return None;
    }
    Some(
        new.iter()
            .enumerate()
            .filter(|(_, v)| !old.contains(v))
            .map(|(i, v)| {
                (
                    v.clone(),
                    new[i + 1..].iter().find(|n| old.contains(n)).cloned(),
                )
            })
            .collect(),
    )
}

/// Whether a column of type `sql_type` (schema `type_schema`) uses enum `e`;
/// returns its array dimensions.
fn uses(e: &EnumDef, sql_type: &str, type_schema: Option<&str>) -> Option<usize> {
    let (base, dims) = base_type(sql_type);
    (base == e.name && type_schema.unwrap_or("public") == e.schema).then_some(dims)
}

/// The columns an enum rebuild carries through text: every column of the new
/// schema that uses it (converted back), and columns that use it now but not
/// after this plan (dropped or changing type: only converted to text, so the
/// old type can be dropped).
pub(super) fn rebuild_columns(e: &EnumDef, old: &Schema, new: &Schema) -> Vec<EnumColumn> {
    let mut out = Vec::new();
    let old_at: std::collections::HashMap<(&str, &str), &vitaes_schema_core::TableDef> = old
        .tables
        .iter()
        .map(|t| ((t.schema.as_str(), t.name.as_str()), t))
        .collect();
    for t in &new.tables {
        // A column added to an existing table is added after the rebuild,
        // with the new type; one of a new table is created before it.
        let existing = old_at.get(&(t.schema.as_str(), t.name.as_str()));
        for c in &t.columns {
            // A column of an existing table takes part only if it already
            // had the enum; one changing to it is altered after the rebuild.
            if let Some(ot) = existing {
                let had = ot
                    .column(&c.name)
                    .and_then(|o| uses(e, &o.sql_type, o.type_schema.as_deref()));
                if had.is_none() {
                    continue;
                }
            }
            if let Some(dims) = uses(e, &c.sql_type, c.type_schema.as_deref()) {
                let old_column = existing.and_then(|ot| ot.column(&c.name));
                out.push(EnumColumn {
                    table: TableRef::of(t),
                    column: c.name.clone(),
                    dims,
                    default: c.default.clone(),
                    had_default: old_column.is_some_and(|o| o.default.is_some()),
                    convert_back: true,
                });
            }
        }
    }
    let new_at: std::collections::HashMap<(&str, &str), &vitaes_schema_core::TableDef> = new
        .tables
        .iter()
        .map(|t| ((t.schema.as_str(), t.name.as_str()), t))
        .collect();
    for t in &old.tables {
        let Some(&nt) = new_at.get(&(t.schema.as_str(), t.name.as_str())) else {
            continue;
        };
        for c in &t.columns {
            let Some(dims) = uses(e, &c.sql_type, c.type_schema.as_deref()) else {
                continue;
            };
            let still = nt
                .column(&c.name)
                .and_then(|n| uses(e, &n.sql_type, n.type_schema.as_deref()));
            if still.is_none() {
                out.push(EnumColumn {
                    table: TableRef::of(t),
                    column: c.name.clone(),
                    dims,
                    default: c.default.clone(),
                    had_default: c.default.is_some(),
                    convert_back: false,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::value_additions;

    fn v(values: &[&str]) -> Vec<String> {
        values.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn additions_go_before_the_next_old_value() {
        assert_eq!(
            value_additions(&v(&["a", "c"]), &v(&["a", "b1", "b2", "c", "d"])),
            Some(vec![
                ("b1".into(), Some("c".into())),
                ("b2".into(), Some("c".into())),
                ("d".into(), None)
            ])
        );
    }

    #[test]
    fn removal_or_reorder_is_a_rebuild() {
        assert_eq!(value_additions(&v(&["a", "b"]), &v(&["a"])), None);
        assert_eq!(value_additions(&v(&["a", "b"]), &v(&["b", "a"])), None);
    }
}
