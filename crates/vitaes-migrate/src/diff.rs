//! The diff: a pure function from two schemas to an ordered plan. No files,
//! no database — `generate` feeds it the last snapshot, `push` (later) the
//! live schema.
//!
//! This version plans what creates objects (schemas, enums, tables, keys,
//! indexes); any other difference is reported as [`Unsupported`] rather than
//! guessed at.

use vitaes_schema_core::{EnumDef, ForeignKey, IndexDef, Schema, TableDef};

/// One change, carrying what the SQL renderer needs.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    CreateSchema(String),
    CreateEnum(EnumDef),
    CreateTable(TableDef),
    AddForeignKey { table: TableDef, fk: ForeignKey },
    CreateIndex { table: TableDef, index: IndexDef },
}

/// The changes that turn one schema into another, in an order that applies:
/// schemas, enums, tables, then foreign keys (so tables may reference each
/// other in any order), then indexes — drizzle-kit's order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plan {
    pub changes: Vec<Change>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

/// Differences this version cannot plan yet, described for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported(pub Vec<String>);

/// Plans the changes from `old` to `new`.
pub fn diff(old: &Schema, new: &Schema) -> Result<Plan, Unsupported> {
    let mut unsupported = Vec::new();
    let mut schemas = Vec::new();
    let mut enums = Vec::new();
    let mut tables = Vec::new();
    let mut fks = Vec::new();
    let mut indexes = Vec::new();

    for s in &new.schemas {
        if !old.schemas.contains(s) {
            schemas.push(Change::CreateSchema(s.clone()));
        }
    }
    for s in &old.schemas {
        if !new.schemas.contains(s) {
            unsupported.push(format!("schema \"{s}\" was removed"));
        }
    }

    for e in &new.enums {
        match old
            .enums
            .iter()
            .find(|o| o.schema == e.schema && o.name == e.name)
        {
            None => enums.push(Change::CreateEnum(e.clone())),
            Some(o) if o.values != e.values => unsupported.push(format!(
                "enum \"{}\".\"{}\" changed its values",
                e.schema, e.name
            )),
            Some(_) => {}
        }
    }
    for o in &old.enums {
        if !new
            .enums
            .iter()
            .any(|e| e.schema == o.schema && e.name == o.name)
        {
            unsupported.push(format!("enum \"{}\".\"{}\" was removed", o.schema, o.name));
        }
    }

    for t in &new.tables {
        match old.table(&t.schema, &t.name) {
            None => {
                tables.push(Change::CreateTable(t.clone()));
                for fk in &t.foreign_keys {
                    fks.push(Change::AddForeignKey {
                        table: t.clone(),
                        fk: fk.clone(),
                    });
                }
                for ix in &t.indexes {
                    indexes.push(Change::CreateIndex {
                        table: t.clone(),
                        index: ix.clone(),
                    });
                }
            }
            Some(o) => diff_table(o, t, &mut fks, &mut indexes, &mut unsupported),
        }
    }
    for o in &old.tables {
        if new.table(&o.schema, &o.name).is_none() {
            unsupported.push(format!("table \"{}\".\"{}\" was removed", o.schema, o.name));
        }
    }

    if !unsupported.is_empty() {
        return Err(Unsupported(unsupported));
    }
    let changes = schemas
        .into_iter()
        .chain(enums)
        .chain(tables)
        .chain(fks)
        .chain(indexes)
        .collect();
    Ok(Plan { changes })
}

/// Within one table: new foreign keys and indexes are planned; anything else
/// that differs is unsupported.
fn diff_table(
    old: &TableDef,
    new: &TableDef,
    fks: &mut Vec<Change>,
    indexes: &mut Vec<Change>,
    unsupported: &mut Vec<String>,
) {
    let name = format!("\"{}\".\"{}\"", new.schema, new.name);
    if old.columns != new.columns {
        unsupported.push(format!("columns of {name} changed"));
    }
    if old.primary_key != new.primary_key {
        unsupported.push(format!("primary key of {name} changed"));
    }
    if old.uniques != new.uniques {
        unsupported.push(format!("unique constraints of {name} changed"));
    }
    if old.checks != new.checks {
        unsupported.push(format!("check constraints of {name} changed"));
    }
    for fk in &new.foreign_keys {
        match old.foreign_keys.iter().find(|o| o.name == fk.name) {
            None => fks.push(Change::AddForeignKey {
                table: new.clone(),
                fk: fk.clone(),
            }),
            Some(o) if o != fk => {
                unsupported.push(format!("foreign key \"{}\" on {name} changed", fk.name))
            }
            Some(_) => {}
        }
    }
    for o in &old.foreign_keys {
        if !new.foreign_keys.iter().any(|fk| fk.name == o.name) {
            unsupported.push(format!("foreign key \"{}\" on {name} was removed", o.name));
        }
    }
    for ix in &new.indexes {
        match old.indexes.iter().find(|o| o.name == ix.name) {
            None => indexes.push(Change::CreateIndex {
                table: new.clone(),
                index: ix.clone(),
            }),
            Some(o) if o != ix => {
                unsupported.push(format!("index \"{}\" on {name} changed", ix.name))
            }
            Some(_) => {}
        }
    }
    for o in &old.indexes {
        if !new.indexes.iter().any(|ix| ix.name == o.name) {
            unsupported.push(format!("index \"{}\" on {name} was removed", o.name));
        }
    }
}

/// A short descriptive tag for a plan: `init` for a first migration, else
/// named after what it mostly does.
pub fn describe(old: &Schema, plan: &Plan) -> String {
    if old.is_empty() {
        return "init".to_string();
    }
    let created: Vec<&str> = plan
        .changes
        .iter()
        .filter_map(|c| match c {
            Change::CreateTable(t) => Some(t.name.as_str()),
            _ => None,
        })
        .collect();
    let raw = match (created.as_slice(), plan.changes.first()) {
        ([one], _) => format!("create_{one}"),
        ([_, _, ..], _) => format!("create_{}_tables", created.len()),
        ([], Some(Change::CreateIndex { index, .. })) => format!("add_index_{}", index.name),
        ([], Some(Change::AddForeignKey { fk, .. })) => format!("add_fk_{}", fk.name),
        ([], Some(Change::CreateEnum(e))) => format!("create_enum_{}", e.name),
        ([], Some(Change::CreateSchema(s))) => format!("create_schema_{s}"),
        _ => "changes".to_string(),
    };
    sanitize_tag(&raw)
}

/// Lower-case ASCII letters, digits and `_`, at most 40 characters.
pub fn sanitize_tag(raw: &str) -> String {
    let mut out: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    out.truncate(40);
    out.trim_matches('_').to_string()
}
