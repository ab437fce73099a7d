//! Changes within a table that exists on both sides: columns, keys,
//! constraints and indexes, each put into its group.

use std::collections::HashSet;

use vitaes_schema_core::naming::pkey_name;
use vitaes_schema_core::{
    Check, ColumnDef, DefaultValue, ForeignKey, GeneratedKind, IndexDef, TableDef, Unique,
};

use super::change::{Change, TableRef};
use super::normalize::same;
use super::{Ambiguity, Groups, RenameDecisions};

pub(super) fn diff_table(
    ot: &TableDef,
    nt: &TableDef,
    rebuilt_columns: &HashSet<(TableRef, String)>,
    decisions: &RenameDecisions,
    g: &mut Groups,
) -> Result<(), Ambiguity> {
    let table = TableRef::of(nt);
    let own = Some((nt.schema.as_str(), nt.name.as_str()));

    let dropped: Vec<&ColumnDef> = ot
        .columns
        .iter()
        .filter(|c| nt.column(&c.name).is_none())
        .collect();
    let added: Vec<&ColumnDef> = nt
        .columns
        .iter()
        .filter(|c| ot.column(&c.name).is_none())
        .collect();
    let undecided = added
        .iter()
        .filter(|c| !decisions.is_new_column(&table, &c.name))
        .count();
    if !dropped.is_empty() && undecided > 0 {
        return Err(Ambiguity::Columns {
            table,
            dropped: dropped.iter().map(|c| c.name.clone()).collect(),
            added: added.iter().map(|c| c.name.clone()).collect(),
        });
    }

    primary_keys(ot, nt, &table, g);

    // Constraints and indexes whose text mentions a column of a rebuilt enum
    // are dropped before the rebuild and created again after it.
    let touches_rebuilt = |sql: &str| {
        nt.columns.iter().any(|c| {
            rebuilt_columns.contains(&(table.clone(), c.name.clone())) && sql.contains(&c.name)
        })
    };

    by_name(
        &ot.uniques,
        &nt.uniques,
        |u: &Unique| &u.name,
        |a, b| a == b,
        |u| {
            g.drop_uniques.push(Change::DropUnique {
                table: table.clone(),
                name: u.name.clone(),
            })
        },
        |u| {
            g.add_uniques.push(Change::AddUnique {
                table: table.clone(),
                unique: u.clone(),
            })
        },
    );
    by_name(
        &ot.checks,
        &nt.checks,
        |c: &Check| &c.name,
        |a, b| same(&a.expr, &b.expr, own) && !touches_rebuilt(&b.expr),
        |c| {
            g.drop_checks.push(Change::DropCheck {
                table: table.clone(),
                name: c.name.clone(),
            })
        },
        |c| {
            g.add_checks.push(Change::AddCheck {
                table: table.clone(),
                check: c.clone(),
            })
        },
    );
    by_name(
        &ot.foreign_keys,
        &nt.foreign_keys,
        |f: &ForeignKey| &f.name,
        |a, b| a == b,
        |f| {
            g.drop_fks.push(Change::DropForeignKey {
                table: table.clone(),
                name: f.name.clone(),
            })
        },
        |f| {
            g.added_fks.push(Change::AddForeignKey {
                table: table.clone(),
                fk: f.clone(),
            })
        },
    );
    by_name(
        &ot.indexes,
        &nt.indexes,
        |i: &IndexDef| &i.name,
        |a, b| same_index(a, b, own) && !index_text(b).is_some_and(|s| touches_rebuilt(&s)),
        |i| {
            let drop = Change::DropIndex {
                table: table.clone(),
                name: i.name.clone(),
            };
            if index_text(i).is_some_and(|s| touches_rebuilt(&s)) {
                g.drop_rebuild_indexes.push(drop);
            } else {
                g.drop_indexes.push(drop);
            }
        },
        |i| {
            g.added_indexes.push(Change::CreateIndex {
                table: table.clone(),
                index: i.clone(),
            })
        },
    );

    for c in &added {
        g.add_columns.push(Change::AddColumn {
            table: table.clone(),
            column: (*c).clone(),
        });
    }
    for c in &dropped {
        g.drop_columns.push(Change::DropColumn {
            table: table.clone(),
            column: c.name.clone(),
        });
    }
    for nc in &nt.columns {
        if let Some(oc) = ot.column(&nc.name) {
            let rebuilt = rebuilt_columns.contains(&(table.clone(), nc.name.clone()));
            alter_column(&table, oc, nc, rebuilt, own, g);
        }
    }
    Ok(())
}

/// Pairs items by name: calls `dropped` for each old item that is gone or
/// changed and `added` for each new item that is new or changed.
fn by_name<T>(
    old: &[T],
    new: &[T],
    name: impl Fn(&T) -> &String,
    equal: impl Fn(&T, &T) -> bool,
    mut dropped: impl FnMut(&T),
    mut added: impl FnMut(&T),
) {
    for o in old {
        match new.iter().find(|n| name(n) == name(o)) {
            Some(n) if equal(o, n) => {}
            _ => dropped(o),
        }
    }
    for n in new {
        match old.iter().find(|o| name(o) == name(n)) {
            Some(o) if equal(o, n) => {}
            _ => added(n),
        }
    }
}

fn same_index(a: &IndexDef, b: &IndexDef, own: Option<(&str, &str)>) -> bool {
    let where_same = match (&a.where_clause, &b.where_clause) {
        (Some(x), Some(y)) => same(x, y, own),
        (None, None) => true,
        _ => false,
    };
    where_same
        && a.unique == b.unique
        && a.method == b.method
        && a.with == b.with
        && a.columns.len() == b.columns.len()
        && a.columns.iter().zip(&b.columns).all(|(x, y)| {
            x.is_expression == y.is_expression
                && x.asc == y.asc
                && x.nulls_first == y.nulls_first
                && x.opclass == y.opclass
                && if x.is_expression {
                    same(&x.expression, &y.expression, own)
                } else {
                    x.expression == y.expression
                }
        })
}

/// The SQL text of an index's predicate and expressions, if it has any.
fn index_text(ix: &IndexDef) -> Option<String> {
    let mut parts: Vec<&str> = ix
        .columns
        .iter()
        .filter(|c| c.is_expression)
        .map(|c| c.expression.as_str())
        .collect();
    if let Some(w) = &ix.where_clause {
        parts.push(w);
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// Column-level keys change in the table's alterations; composite keys in
/// their own groups (dropped before, added after the alterations).
fn primary_keys(ot: &TableDef, nt: &TableDef, table: &TableRef, g: &mut Groups) {
    let old_col = ot
        .columns
        .iter()
        .find(|c| c.primary_key)
        .map(|c| c.name.clone());
    let new_col = nt
        .columns
        .iter()
        .find(|c| c.primary_key)
        .map(|c| c.name.clone());
    if old_col != new_col {
        if let Some(c) = &old_col {
            // A key on a dropped column goes with the column, unless a new
            // column takes the key in its ADD COLUMN, which runs first.
            let key_on_new_column = new_col.as_ref().is_some_and(|n| ot.column(n).is_none());
            if nt.column(c).is_some() || key_on_new_column {
                g.alterations.push(Change::DropPrimaryKey {
                    table: table.clone(),
                    name: pkey_name(&ot.name),
                });
            }
        }
        if let Some(c) = &new_col {
            // A new column carries PRIMARY KEY in its ADD COLUMN.
            if ot.column(c).is_some() {
                g.alterations.push(Change::AddColumnPrimaryKey {
                    table: table.clone(),
                    column: c.clone(),
                });
            }
        }
    }
    match (&ot.primary_key, &nt.primary_key) {
        (Some(o), Some(n)) if o == n => {}
        (Some(o), Some(n)) if o.name == n.name => g.altered_pks.push(Change::AlterPrimaryKey {
            table: table.clone(),
            old_name: o.name.clone(),
            pk: n.clone(),
        }),
        (o, n) => {
            if let Some(o) = o {
                g.drop_pks.push(Change::DropPrimaryKey {
                    table: table.clone(),
                    name: o.name.clone(),
                });
            }
            if let Some(n) = n {
                let change = Change::AddPrimaryKey {
                    table: table.clone(),
                    pk: n.clone(),
                };
                if n.columns.iter().all(|c| ot.column(c).is_some()) {
                    g.add_pks.push(change);
                } else {
                    g.add_pks_on_new_columns.push(change);
                }
            }
        }
    }
}

fn same_default(
    a: &Option<DefaultValue>,
    b: &Option<DefaultValue>,
    own: Option<(&str, &str)>,
) -> bool {
    match (a, b) {
        (Some(DefaultValue::Sql(x)), Some(DefaultValue::Sql(y))) => same(x, y, own),
        (x, y) => x == y,
    }
}

/// One column on both sides, in drizzle-kit's per-column order: type,
/// default, not null, identity, generated.
fn alter_column(
    table: &TableRef,
    oc: &ColumnDef,
    nc: &ColumnDef,
    rebuilt: bool,
    own: Option<(&str, &str)>,
    g: &mut Groups,
) {
    let column = nc.name.clone();
    // A virtual column has no DROP EXPRESSION: becoming a plain column is a drop and add.
    let generated_changed = match (&oc.generated, &nc.generated) {
        (None, Some(_)) => true,
        (Some(a), Some(b)) => a.kind != b.kind || !same(&a.expr, &b.expr, own),
        (Some(a), None) => a.kind == GeneratedKind::Virtual,
        (None, None) => false,
    };
    if generated_changed {
        // Dropped and added again with everything it declares.
        g.alterations.push(Change::SetGenerated {
            table: table.clone(),
            column: nc.clone(),
        });
        return;
    }

    let type_changed = oc.sql_type != nc.sql_type || oc.type_schema != nc.type_schema;
    let mut default_done = rebuilt;
    if type_changed {
        g.alterations.push(Change::AlterColumnType {
            table: table.clone(),
            from: oc.clone(),
            to: nc.clone(),
            from_enum: oc.type_schema.is_some(),
            to_enum: nc.type_schema.is_some(),
        });
        // The type change sets the new default itself.
        default_done = default_done || nc.default.is_some();
    }
    if !default_done && !same_default(&oc.default, &nc.default, own) {
        g.alterations.push(match &nc.default {
            Some(d) => Change::SetDefault {
                table: table.clone(),
                column: column.clone(),
                default: d.clone(),
            },
            None => Change::DropDefault {
                table: table.clone(),
                column: column.clone(),
            },
        });
    }
    // An identity is dropped before NOT NULL can be, and added after it is set.
    if oc.identity.is_some() && nc.identity.is_none() {
        g.alterations.push(Change::DropIdentity {
            table: table.clone(),
            column: column.clone(),
        });
    }
    if oc.not_null != nc.not_null {
        g.alterations.push(if nc.not_null {
            Change::SetNotNull {
                table: table.clone(),
                column: column.clone(),
            }
        } else {
            Change::DropNotNull {
                table: table.clone(),
                column: column.clone(),
            }
        });
    }
    match (&oc.identity, &nc.identity) {
        (None, Some(i)) => g.alterations.push(Change::AddIdentity {
            table: table.clone(),
            column: column.clone(),
            identity: i.clone(),
        }),
        (Some(a), Some(b)) if a != b => g.alterations.push(Change::AlterIdentity {
            table: table.clone(),
            column: column.clone(),
            from: a.clone(),
            to: b.clone(),
        }),
        _ => {}
    }
    if oc.generated.is_some() && nc.generated.is_none() {
        g.alterations.push(Change::DropGenerated {
            table: table.clone(),
            column,
        });
    }
}
