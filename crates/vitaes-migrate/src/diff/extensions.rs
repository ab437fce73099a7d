//! Extensions: created, moved (`SET SCHEMA`), updated (`UPDATE TO`) or
//! dropped, matched by name. A side that does not say the schema or the
//! version takes whatever the other has: the server's defaults are no change.

use vitaes_schema_core::Schema;

use super::Change;

/// Appends to `creates` what `new` adds or changes, to `drops` what it lacks.
pub(super) fn diff_extensions(
    old: &Schema,
    new: &Schema,
    creates: &mut Vec<Change>,
    drops: &mut Vec<Change>,
) {
    for n in &new.extensions {
        let Some(o) = old.extensions.iter().find(|o| o.name == n.name) else {
            creates.push(Change::CreateExtension(n.clone()));
            continue;
        };
        if let Some(schema) = said_and_differs(&o.schema, &n.schema) {
            creates.push(Change::MoveExtension {
                name: n.name.clone(),
                schema: schema.clone(),
            });
        }
        if let Some(version) = said_and_differs(&o.version, &n.version) {
            creates.push(Change::UpdateExtension {
                name: n.name.clone(),
                version: version.clone(),
            });
        }
    }
    for o in &old.extensions {
        if !new.extensions.iter().any(|n| n.name == o.name) {
            drops.push(Change::DropExtension(o.clone()));
        }
    }
}

/// The new value when the new side says one and it is not the old one.
fn said_and_differs<'a>(old: &Option<String>, new: &'a Option<String>) -> Option<&'a String> {
    new.as_ref().filter(|n| old.as_ref() != Some(*n))
}

#[cfg(test)]
mod tests {
    use vitaes_schema_core::ExtensionDef;

    use super::super::diff;
    use super::*;

    fn ext(name: &str, schema: Option<&str>, version: Option<&str>) -> ExtensionDef {
        ExtensionDef {
            name: name.into(),
            schema: schema.map(Into::into),
            version: version.map(Into::into),
        }
    }

    fn kinds(old: Vec<ExtensionDef>, new: Vec<ExtensionDef>) -> Vec<&'static str> {
        let s = |extensions| Schema {
            extensions,
            ..Schema::default()
        };
        diff(&s(old), &s(new))
            .unwrap()
            .changes
            .iter()
            .map(|c| c.kind())
            .collect()
    }

    #[test]
    fn extensions_are_created_moved_updated_and_dropped_by_name() {
        let trgm = || ext("pg_trgm", None, None);
        assert_eq!(kinds(vec![], vec![trgm()]), ["create_extension"]);
        assert_eq!(kinds(vec![trgm()], vec![]), ["drop_extension"]);
        assert!(kinds(vec![trgm()], vec![trgm()]).is_empty());
        // Unsaid on the new side: the server's choice stands.
        assert!(kinds(
            vec![ext("pg_trgm", Some("public"), Some("1.6"))],
            vec![trgm()]
        )
        .is_empty());
        assert_eq!(
            kinds(
                vec![ext("pg_trgm", Some("public"), Some("1.5"))],
                vec![ext("pg_trgm", Some("extensions"), Some("1.6"))]
            ),
            ["move_extension", "update_extension"]
        );
        let s = |extensions| Schema {
            extensions,
            ..Schema::default()
        };
        let mut with_table = s(vec![trgm()]);
        with_table
            .tables
            .push(vitaes_schema_core::TableDef::empty("public", "notes"));
        let first = diff(&Schema::default(), &with_table).unwrap();
        let order: Vec<_> = first.changes.iter().map(|c| c.kind()).collect();
        assert_eq!(order, ["create_extension", "create_table"]);
        let dropped = diff(&s(vec![trgm()]), &s(vec![])).unwrap();
        assert_eq!(dropped.hazards()[0][0].as_str(), "data-loss");
    }
}
