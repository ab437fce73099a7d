//! `COMMENT ON`: a comment is set when it is new or changed, or when its
//! object is created (or created again) by the plan; removed (`IS NULL`)
//! when the code drops it from an object that stays. Comments on objects the
//! plan drops go with them.

use std::collections::{HashMap, HashSet};

use vitaes_schema_core::{CommentOn, Schema};

use super::Change;

/// `(schema, relation or type)` of what a change creates or drops, and the
/// columns likewise.
#[derive(Default)]
struct Touched {
    objects: HashSet<(String, String)>,
    columns: HashSet<(String, String, String)>,
}

impl Touched {
    fn covers(&self, on: &CommentOn) -> bool {
        match on {
            CommentOn::Table { schema, name }
            | CommentOn::View { schema, name, .. }
            | CommentOn::Enum { schema, name } => {
                self.objects.contains(&(schema.clone(), name.clone()))
            }
            CommentOn::Column {
                schema,
                table,
                column,
            } => {
                self.objects.contains(&(schema.clone(), table.clone()))
                    || self
                        .columns
                        .contains(&(schema.clone(), table.clone(), column.clone()))
            }
        }
    }
}

fn created_and_dropped<'a>(changes: impl Iterator<Item = &'a Change>) -> (Touched, Touched) {
    let (mut created, mut dropped) = (Touched::default(), Touched::default());
    let obj = |s: &str, n: &str| (s.to_string(), n.to_string());
    for c in changes {
        match c {
            Change::CreateTable(t) => {
                created.objects.insert(obj(&t.schema, &t.name));
            }
            Change::CreateView(v) => {
                created.objects.insert(obj(&v.schema, &v.name));
            }
            Change::CreateEnum(e) | Change::RebuildEnum { new: e, .. } => {
                created.objects.insert(obj(&e.schema, &e.name));
            }
            Change::AddColumn { table, column } | Change::SetGenerated { table, column } => {
                created.columns.insert((
                    table.schema.clone(),
                    table.name.clone(),
                    column.name.clone(),
                ));
            }
            Change::DropTable(t) => {
                dropped.objects.insert(obj(&t.schema, &t.name));
            }
            Change::DropView { view, .. } => {
                dropped.objects.insert(obj(&view.schema, &view.name));
            }
            Change::DropEnum(e) => {
                dropped.objects.insert(obj(&e.schema, &e.name));
            }
            Change::DropColumn { table, column } => {
                dropped
                    .columns
                    .insert((table.schema.clone(), table.name.clone(), column.clone()));
            }
            _ => {}
        }
    }
    (created, dropped)
}

/// Whether `on` names an object of `s` (after the plan's renames).
fn exists(s: &Schema, on: &CommentOn) -> bool {
    match on {
        CommentOn::Table { schema, name } => s.table(schema, name).is_some(),
        CommentOn::Column {
            schema,
            table,
            column,
        } => {
            s.table(schema, table)
                .is_some_and(|t| t.column(column).is_some())
                || s.views.iter().any(|v| {
                    &v.schema == schema
                        && &v.name == table
                        && v.columns.iter().any(|c| &c.name == column)
                })
        }
        CommentOn::View { schema, name, .. } => s
            .views
            .iter()
            .any(|v| &v.schema == schema && &v.name == name),
        CommentOn::Enum { schema, name } => s
            .enums
            .iter()
            .any(|e| &e.schema == schema && &e.name == name),
    }
}

/// The comment changes, given every other change of the plan. `old` is the
/// old schema with the plan's renames applied: a comment of the old schema
/// on a name no longer there was carried by a rename, and is set again on
/// the new name if the code still has it.
pub(super) fn diff_comments<'a>(
    old: &Schema,
    new: &Schema,
    changes: impl Iterator<Item = &'a Change>,
) -> Vec<Change> {
    let (created, dropped) = created_and_dropped(changes);
    let olds: HashMap<_, &str> = old
        .comments
        .iter()
        .filter(|c| exists(old, &c.on))
        .map(|c| (c.on.key(), c.text.as_str()))
        .collect();
    let mut out = Vec::new();
    for n in &new.comments {
        let unchanged = olds.get(&n.on.key()) == Some(&n.text.as_str());
        if !unchanged || created.covers(&n.on) {
            out.push(Change::SetComment {
                on: n.on.clone(),
                text: Some(n.text.clone()),
            });
        }
    }
    let news: HashSet<_> = new.comments.iter().map(|c| c.on.key()).collect();
    for o in &old.comments {
        if olds.contains_key(&o.on.key()) && !news.contains(&o.on.key()) && !dropped.covers(&o.on) {
            out.push(Change::SetComment {
                on: o.on.clone(),
                text: None,
            });
        }
    }
    out
}
