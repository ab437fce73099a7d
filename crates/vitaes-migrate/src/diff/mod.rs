//! The diff: a pure function from two schemas to an ordered [`Plan`]. No
//! files, no database — `generate` feeds it the last snapshot, `push` the
//! live schema.
//!
//! Changes are collected into groups and the groups concatenated in
//! drizzle-kit's order (schemas, enums, tables, drops of constraints, column
//! alterations, additions, column drops, enum and schema drops last), so that
//! every plan applies: foreign keys between new tables come after both
//! tables, an index on a dropped column is dropped before the column, an enum
//! is dropped after the columns that used it.
//!
//! A drop and an add of the same kind side by side (two columns or policies
//! of one table, two tables or enums of one schema) may be a rename; the diff
//! never guesses and returns [`Ambiguities`] instead.

pub(crate) mod casts;
mod change;
mod comments;
mod enums;
mod extensions;
pub(crate) mod hazards;
pub(crate) mod normalize;
pub mod phases;
mod policies;
pub(crate) mod refusal;
pub(crate) mod renames;
mod roles;
mod sequences;
mod tables;
pub(crate) mod views;

use std::collections::{HashMap, HashSet};
use std::fmt;

use vitaes_schema_core::folder::sanitize_tag;
use vitaes_schema_core::{EnumDef, Schema, TableDef};

pub use change::{Change, EnumColumn, Plan, TableRef};
pub use hazards::Hazard;
pub use renames::{NoRename, QualifiedName, Rename, RenameDecisions};

use renames::RenameChanges;

/// Changes in the order their groups are applied.
#[derive(Default)]
struct Groups {
    create_schemas: Vec<Change>,
    /// Extensions before everything that may use their types and functions.
    create_extensions: Vec<Change>,
    create_enums: Vec<Change>,
    rename_enums: Vec<Change>,
    add_enum_values: Vec<Change>,
    /// Sequences created or altered before the tables whose defaults use them.
    sequences: Vec<Change>,
    /// Roles created or altered before the tables whose policies name them (drizzle-kit's place).
    roles: Vec<Change>,
    create_tables: Vec<Change>,
    /// Row-level security switched on or off on existing tables (drizzle-kit's place for them).
    rls: Vec<Change>,
    /// Views dropped (dependents first) before anything they read changes.
    drop_views: Vec<Change>,
    alter_views: Vec<Change>,
    drop_tables: Vec<Change>,
    move_tables: Vec<Change>,
    rename_tables: Vec<Change>,
    rename_columns: Vec<Change>,
    rename_derived: Vec<Change>,
    drop_uniques: Vec<Change>,
    drop_checks: Vec<Change>,
    drop_fks: Vec<Change>,
    /// Indexes whose predicate or expressions use a column of a rebuilt enum:
    /// they would not survive the column going through text.
    drop_rebuild_indexes: Vec<Change>,
    rebuild_enums: Vec<Change>,
    drop_indexes: Vec<Change>,
    drop_pks: Vec<Change>,
    alterations: Vec<Change>,
    add_pks: Vec<Change>,
    add_columns: Vec<Change>,
    /// Keys over a column the same plan adds. drizzle-kit puts every new key
    /// before the columns are added, which fails for these.
    add_pks_on_new_columns: Vec<Change>,
    created_fks: Vec<Change>,
    created_indexes: Vec<Change>,
    added_fks: Vec<Change>,
    added_indexes: Vec<Change>,
    drop_columns: Vec<Change>,
    altered_pks: Vec<Change>,
    add_uniques: Vec<Change>,
    add_checks: Vec<Change>,
    /// Views created, in dependency order, once what they read is in place.
    create_views: Vec<Change>,
    /// Policy renames: after the table and column renames, before the
    /// policies are dropped, created and altered (drizzle-kit's place).
    rename_policies: Vec<Change>,
    drop_policies: Vec<Change>,
    create_policies: Vec<Change>,
    alter_policies: Vec<Change>,
    /// Comments, once their objects are in place.
    comments: Vec<Change>,
    /// Roles dropped after the policies that name them: drizzle-kit drops
    /// them first, which PostgreSQL refuses while a policy still names one.
    drop_roles: Vec<Change>,
    drop_enums: Vec<Change>,
    drop_sequences: Vec<Change>,
    /// Extensions dropped after everything that used them.
    drop_extensions: Vec<Change>,
    drop_schemas: Vec<Change>,
}

impl Groups {
    /// Every change gathered so far, in no particular order.
    fn all(&self) -> impl Iterator<Item = &Change> {
        [
            &self.create_enums,
            &self.rebuild_enums,
            &self.create_tables,
            &self.drop_tables,
            &self.add_columns,
            &self.alterations,
            &self.drop_columns,
            &self.drop_views,
            &self.create_views,
            &self.drop_enums,
        ]
        .into_iter()
        .flatten()
    }

    fn into_plan(mut self) -> Plan {
        // drizzle-kit adds foreign keys before indexes; one onto columns only
        // a new unique index makes unique waits for the index instead.
        let new_indexes: Vec<Change> = self
            .created_indexes
            .iter()
            .chain(&self.added_indexes)
            .filter(|c| !phases::is_concurrent_index(c))
            .cloned()
            .collect();
        let mut fks_after_indexes = Vec::new();
        if !new_indexes.is_empty() {
            for fks in [&mut self.created_fks, &mut self.added_fks] {
                let (waiting, rest): (Vec<Change>, Vec<Change>) = std::mem::take(fks)
                    .into_iter()
                    .partition(|c| phases::needs_new_unique_index(c, &new_indexes));
                *fks = rest;
                fks_after_indexes.extend(waiting);
            }
        }
        let changes = [
            self.create_schemas,
            self.create_extensions,
            self.create_enums,
            self.rename_enums,
            self.add_enum_values,
            self.sequences,
            self.roles,
            self.create_tables,
            self.rls,
            self.drop_views,
            self.alter_views,
            self.drop_tables,
            self.move_tables,
            self.rename_tables,
            self.rename_columns,
            self.rename_derived,
            self.drop_uniques,
            self.drop_checks,
            self.drop_fks,
            self.drop_rebuild_indexes,
            self.rebuild_enums,
            self.drop_indexes,
            self.drop_pks,
            self.alterations,
            self.add_pks,
            self.add_columns,
            self.add_pks_on_new_columns,
            self.created_fks,
            self.created_indexes,
            self.added_fks,
            self.added_indexes,
            fks_after_indexes,
            self.drop_columns,
            self.altered_pks,
            self.add_uniques,
            self.add_checks,
            self.create_views,
            self.rename_policies,
            self.drop_policies,
            self.create_policies,
            self.alter_policies,
            self.comments,
            self.drop_roles,
            self.drop_enums,
            self.drop_sequences,
            self.drop_extensions,
            self.drop_schemas,
        ]
        .into_iter()
        .flatten()
        .collect();
        Plan { changes }
    }
}

/// A drop and an add that may be one rename.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ambiguity {
    /// Tables dropped and added in one schema.
    Tables {
        /// The schema.
        schema: String,
        /// The old tables' names.
        dropped: Vec<String>,
        /// The new tables' names.
        added: Vec<String>,
    },
    /// Columns dropped and added in one table.
    Columns {
        /// The table.
        table: TableRef,
        /// The old columns' names.
        dropped: Vec<String>,
        /// The new columns' names.
        added: Vec<String>,
    },
    /// Enums dropped and added in one schema.
    Enums {
        /// The schema.
        schema: String,
        /// The old enums' names.
        dropped: Vec<String>,
        /// The new enums' names.
        added: Vec<String>,
    },
    /// Row-level security policies dropped and added on one table.
    Policies {
        /// The table.
        table: TableRef,
        /// The old policies' names.
        dropped: Vec<String>,
        /// The new policies' names.
        added: Vec<String>,
    },
}

impl fmt::Display for Ambiguity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (what, place, dropped, added) = match self {
            Ambiguity::Tables {
                schema,
                dropped,
                added,
            } => ("tables", format!("schema \"{schema}\""), dropped, added),
            Ambiguity::Columns {
                table,
                dropped,
                added,
            } => ("columns", format!("table {table}"), dropped, added),
            Ambiguity::Enums {
                schema,
                dropped,
                added,
            } => ("enums", format!("schema \"{schema}\""), dropped, added),
            Ambiguity::Policies {
                table,
                dropped,
                added,
            } => ("policies", format!("table {table}"), dropped, added),
        };
        write!(
            f,
            "{what} of {place}: {} removed and {} added — renamed, or dropped and created?",
            dropped.join(", "),
            added.join(", ")
        )
    }
}

/// Every ambiguity in a diff; nothing is planned until each is decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ambiguities(pub Vec<Ambiguity>);

/// `old` without what `new` declares external: those tables, and their
/// schemas unless `new` has objects of its own there. A snapshot or database
/// that has them (drizzle-kit kept Supabase's `auth.users` in its snapshots)
/// then plans nothing for them.
fn without_external<'a>(old: &'a Schema, new: &Schema) -> std::borrow::Cow<'a, Schema> {
    if new.external.is_empty() {
        return std::borrow::Cow::Borrowed(old);
    }
    let mut old = old.clone();
    old.tables.retain(|t| !new.is_external(&t.schema, &t.name));
    old.schemas
        .retain(|s| new.schemas.contains(s) || !new.external.iter().any(|t| &t.schema == s));
    std::borrow::Cow::Owned(old)
}

/// Plans the changes that turn `old` into `new`, with no renames decided.
pub fn diff(old: &Schema, new: &Schema) -> Result<Plan, Ambiguities> {
    diff_with(old, new, &RenameDecisions::default())
}

/// Plans the changes that turn `old` into `new`: renames come from hints in
/// `new` and from `decisions`; any drop-and-add left that may be a rename is
/// an [`Ambiguity`].
pub fn diff_with(
    old: &Schema,
    new: &Schema,
    decisions: &RenameDecisions,
) -> Result<Plan, Ambiguities> {
    let mut g = Groups::default();
    let mut ambiguities = Vec::new();
    let mut r = RenameChanges::default();
    let old = without_external(old, new);
    let old = &apply_renames(&old, new, decisions, &mut r);
    g.rename_enums = r.enums;
    g.move_tables = r.moves;
    g.rename_tables = r.tables;
    g.rename_columns = r.columns;
    g.rename_derived = r.derived;
    g.rename_policies = r.policies;

    for s in &new.schemas {
        if !old.schemas.contains(s) {
            g.create_schemas.push(Change::CreateSchema(s.clone()));
        }
    }
    for s in &old.schemas {
        if !new.schemas.contains(s) {
            g.drop_schemas.push(Change::DropSchema(s.clone()));
        }
    }

    roles::diff_roles(old, new, &mut g.roles, &mut g.drop_roles);
    extensions::diff_extensions(old, new, &mut g.create_extensions, &mut g.drop_extensions);
    sequences::diff_sequences(old, new, &mut g.sequences, &mut g.drop_sequences);

    // Tables: matched by schema and name.
    let old_tables: HashSet<(&str, &str)> = old
        .tables
        .iter()
        .map(|t| (t.schema.as_str(), t.name.as_str()))
        .collect();
    let new_tables: HashSet<(&str, &str)> = new
        .tables
        .iter()
        .map(|t| (t.schema.as_str(), t.name.as_str()))
        .collect();
    let dropped: Vec<&TableDef> = old
        .tables
        .iter()
        .filter(|t| !new_tables.contains(&(t.schema.as_str(), t.name.as_str())))
        .collect();
    let added: Vec<&TableDef> = new
        .tables
        .iter()
        .filter(|t| !old_tables.contains(&(t.schema.as_str(), t.name.as_str())))
        .collect();
    let undecided: Vec<&TableDef> = added
        .iter()
        .copied()
        .filter(|t| !decisions.is_new_table(&t.schema, &t.name))
        .collect();
    ambiguities.extend(table_ambiguities(&dropped, &undecided));

    let enum_plan = enums::diff_enums(old, new, decisions, &mut ambiguities);
    if !ambiguities.is_empty() {
        return Err(Ambiguities(ambiguities));
    }

    g.create_enums
        .extend(enum_plan.created.iter().cloned().map(Change::CreateEnum));
    g.drop_enums
        .extend(enum_plan.dropped.iter().cloned().map(Change::DropEnum));
    g.add_enum_values
        .extend(enum_plan.added_values.iter().cloned());

    for t in &added {
        let table = TableRef::of(t);
        g.create_tables.push(Change::CreateTable((*t).clone()));
        // drizzle-kit writes a new table's ENABLE right after its CREATE.
        if t.rls_enabled() {
            g.create_tables.push(Change::EnableRls(table.clone()));
        }
        if t.force_rls {
            g.create_tables.push(Change::ForceRls {
                table: table.clone(),
                force: true,
            });
        }
        for policy in &t.policies {
            g.create_policies.push(Change::CreatePolicy {
                table: table.clone(),
                policy: policy.clone(),
            });
        }
        for fk in &t.foreign_keys {
            g.created_fks.push(Change::AddForeignKey {
                table: table.clone(),
                fk: fk.clone(),
            });
        }
        for ix in &t.indexes {
            g.created_indexes.push(Change::CreateIndex {
                table: table.clone(),
                index: ix.clone(),
            });
        }
    }
    for t in &dropped {
        g.drop_tables.push(Change::DropTable(TableRef::of(t)));
    }

    // Enum rebuilds know which columns to carry through text.
    let rebuilt: Vec<&EnumDef> = enum_plan.rebuilt.iter().collect();
    let mut rebuilt_columns: HashSet<(TableRef, String)> = HashSet::new();
    for e in &rebuilt {
        let columns = enums::rebuild_columns(e, old, new);
        for c in &columns {
            rebuilt_columns.insert((c.table.clone(), c.column.clone()));
        }
        let removed = old
            .enums
            .iter()
            .find(|o| o.schema == e.schema && o.name == e.name)
            .map(|o| {
                o.values
                    .iter()
                    .filter(|v| !e.values.contains(v))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        g.rebuild_enums.push(Change::RebuildEnum {
            new: (*e).clone(),
            removed,
            columns,
        });
    }

    let old_at = positions(old);
    for nt in &new.tables {
        let Some(ot) = old_at
            .get(&(nt.schema.as_str(), nt.name.as_str()))
            .map(|&i| &old.tables[i])
        else {
            continue;
        };
        if let Err(a) = tables::diff_table(ot, nt, &rebuilt_columns, decisions, &mut g) {
            ambiguities.push(a);
        }
        if let Err(a) = policies::diff_rls(ot, nt, &TableRef::of(nt), decisions, &mut g) {
            ambiguities.push(a);
        }
    }
    if !ambiguities.is_empty() {
        return Err(Ambiguities(ambiguities));
    }
    let touched = touched_relations(&g);
    views::diff_views(
        old,
        new,
        &touched,
        &mut g.drop_views,
        &mut g.alter_views,
        &mut g.create_views,
    );
    g.comments = comments::diff_comments(old, new, g.all());
    // DROP TABLE ... CASCADE already drops the foreign keys pointing at it.
    let gone: HashSet<(&str, &str)> = dropped
        .iter()
        .map(|t| (t.schema.as_str(), t.name.as_str()))
        .collect();
    g.drop_fks.retain(|c| match c {
        Change::DropForeignKey { table, name } => !old_at
            .get(&(table.schema.as_str(), table.name.as_str()))
            .and_then(|&i| old.tables[i].foreign_keys.iter().find(|f| &f.name == name))
            .is_some_and(|f| gone.contains(&(f.ref_schema.as_str(), f.ref_table.as_str()))),
        _ => true,
    });
    Ok(g.into_plan())
}

/// The tables (by name, as view queries spell them) whose changes a view
/// reading them would stand in the way of: dropped, moved, renamed, or with
/// a column dropped, renamed, retyped or regenerated.
fn touched_relations(g: &Groups) -> HashSet<String> {
    let mut out = HashSet::new();
    let changes = [
        &g.drop_tables,
        &g.move_tables,
        &g.rename_tables,
        &g.rename_columns,
        &g.rebuild_enums,
        &g.alterations,
        &g.drop_columns,
    ];
    for c in changes.into_iter().flatten() {
        match c {
            Change::DropTable(t)
            | Change::RenameColumn { table: t, .. }
            | Change::AlterColumnType { table: t, .. }
            | Change::SetGenerated { table: t, .. }
            | Change::DropColumn { table: t, .. } => {
                out.insert(t.name.clone());
            }
            Change::RenameTable { table, to } => {
                out.insert(table.name.clone());
                out.insert(to.clone());
            }
            Change::MoveTable { name, .. } => {
                out.insert(name.clone());
            }
            Change::RebuildEnum { columns, .. } => {
                out.extend(columns.iter().map(|c| c.table.name.clone()));
            }
            _ => {}
        }
    }
    out
}

/// The old schema with every rename (hinted or decided) applied, the rename
/// statements collected in `out`. A rename acts only while its old name is in
/// the old schema and its new name is not.
fn apply_renames(
    old: &Schema,
    new: &Schema,
    decisions: &RenameDecisions,
    out: &mut RenameChanges,
) -> Schema {
    let mut renamed = old.clone();
    for e in &new.enums {
        let exists = |s: &Schema, schema: &str, name: &str| {
            s.enums.iter().any(|x| x.schema == schema && x.name == name)
        };
        if exists(&renamed, &e.schema, &e.name) {
            continue;
        }
        if let Some(from) = decisions.enum_rename_to(&e.schema, &e.name) {
            if exists(&renamed, &from.schema, &from.name) && !exists(new, &from.schema, &from.name)
            {
                let to = QualifiedName {
                    schema: e.schema.clone(),
                    name: e.name.clone(),
                };
                renames::rename_enum(&mut renamed, &from.clone(), &to, out);
            }
        }
    }
    let mut moved: Vec<(TableRef, TableRef)> = Vec::new();
    // Name sets, so deciding renames stays linear in the number of tables.
    let mut present: HashSet<(String, String)> = renamed
        .tables
        .iter()
        .map(|t| (t.schema.clone(), t.name.clone()))
        .collect();
    let wanted: HashSet<(&str, &str)> = new
        .tables
        .iter()
        .map(|t| (t.schema.as_str(), t.name.as_str()))
        .collect();
    for t in &new.tables {
        if present.contains(&(t.schema.clone(), t.name.clone())) {
            continue;
        }
        let from = decisions
            .table_rename_to(&t.schema, &t.name)
            .cloned()
            .or_else(|| {
                t.renamed_from.as_ref().map(|r| QualifiedName {
                    schema: t.schema.clone(),
                    name: r.clone(),
                })
            });
        if let Some(from) = from {
            if present.contains(&(from.schema.clone(), from.name.clone()))
                && !wanted.contains(&(from.schema.as_str(), from.name.as_str()))
            {
                present.remove(&(from.schema.clone(), from.name.clone()));
                present.insert((t.schema.clone(), t.name.clone()));
                let from = TableRef {
                    schema: from.schema,
                    name: from.name,
                };
                let to = QualifiedName {
                    schema: t.schema.clone(),
                    name: t.name.clone(),
                };
                renames::rename_table(&mut renamed, &from, &to, out);
                moved.push((from, TableRef::of(t)));
            }
        }
    }
    let renamed_at: HashMap<(String, String), usize> = renamed
        .tables
        .iter()
        .enumerate()
        .map(|(i, t)| ((t.schema.clone(), t.name.clone()), i))
        .collect();
    for t in &new.tables {
        let table = TableRef::of(t);
        let Some(&at) = renamed_at.get(&(t.schema.clone(), t.name.clone())) else {
            continue;
        };
        for c in &t.columns {
            let ot = &renamed.tables[at];
            if ot.column(&c.name).is_some() {
                continue;
            }
            let from = decisions
                .column_rename_to(&table, &c.name)
                .map(str::to_string)
                .or_else(|| c.renamed_from.clone());
            if let Some(from) = from {
                if ot.column(&from).is_some() && t.column(&from).is_none() {
                    renames::rename_column(&mut renamed, &table, &from, &c.name, out);
                }
            }
        }
    }
    for t in &new.tables {
        let table = TableRef::of(t);
        let Some(&at) = renamed_at.get(&(t.schema.clone(), t.name.clone())) else {
            continue;
        };
        for p in &t.policies {
            let ot = &renamed.tables[at];
            if ot.policy(&p.name).is_some() {
                continue;
            }
            let from = decisions
                .policy_rename_to(&table, &p.name)
                .map(str::to_string)
                .or_else(|| p.renamed_from.clone());
            if let Some(from) = from {
                if ot.policy(&from).is_some() && t.policy(&from).is_none() {
                    renames::rename_policy(&mut renamed, &table, &from, &p.name, out);
                }
            }
        }
    }
    // Derived renames run after every table rename: name tables as they end up.
    for change in &mut out.derived {
        if let Change::RenameConstraint { table, .. } = change {
            if let Some((_, to)) = moved.iter().find(|(from, _)| from == table) {
                *table = to.clone();
            }
        }
    }
    renamed
}

/// Where each table of a schema is, by schema and name.
fn positions(s: &Schema) -> HashMap<(&str, &str), usize> {
    s.tables
        .iter()
        .enumerate()
        .map(|(i, t)| ((t.schema.as_str(), t.name.as_str()), i))
        .collect()
}

/// Tables dropped and added in one schema, or one name moving between schemas.
fn table_ambiguities(dropped: &[&TableDef], added: &[&TableDef]) -> Vec<Ambiguity> {
    let mut schemas: Vec<&str> = dropped.iter().map(|t| t.schema.as_str()).collect();
    schemas.dedup();
    let mut out = Vec::new();
    for schema in schemas {
        let d: Vec<String> = dropped
            .iter()
            .filter(|t| t.schema == schema)
            .map(|t| t.name.clone())
            .collect();
        let a: Vec<String> = added
            .iter()
            .filter(|t| t.schema == schema || d.contains(&t.name))
            .map(|t| {
                if t.schema == schema {
                    t.name.clone()
                } else {
                    format!("{}.{}", t.schema, t.name)
                }
            })
            .collect();
        if !d.is_empty() && !a.is_empty() {
            out.push(Ambiguity::Tables {
                schema: schema.to_string(),
                dropped: d,
                added: a,
            });
        }
    }
    out
}

/// A short descriptive tag for a plan: `init` for a first migration, else
/// what it does, object by object (`add_resume_template_visibility`,
/// `drop_account_id_token`), cut at a word boundary.
pub fn describe(old: &Schema, plan: &Plan) -> String {
    if old.is_empty() {
        return "init".to_string();
    }
    // Consecutive changes with the same verb on the same table form one phrase.
    let created = plan.created_tables();
    let mut phrases: Vec<(String, String, Vec<String>)> = Vec::new();
    for c in &plan.changes {
        // A new table's keys and indexes are part of creating it.
        if let Change::AddForeignKey { table, .. } | Change::CreateIndex { table, .. } = c {
            if created.contains(table) {
                continue;
            }
        }
        let (verb, subject, item) = words(c);
        match phrases.last_mut() {
            Some((v, s, items)) if *v == verb && *s == subject => {
                if let Some(item) = item {
                    if !items.contains(&item) {
                        items.push(item);
                    }
                }
            }
            _ => phrases.push((verb, subject, item.into_iter().collect())),
        }
    }
    let mut tag = String::new();
    for (verb, subject, items) in phrases {
        let phrase = [vec![verb, subject], items]
            .concat()
            .into_iter()
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join("_");
        let candidate = if tag.is_empty() {
            phrase
        } else {
            format!("{tag}_{phrase}")
        };
        if !tag.is_empty() && candidate.len() > 40 {
            break;
        }
        tag = candidate;
    }
    let tag = sanitize_tag(&tag);
    if tag.is_empty() {
        "changes".to_string()
    } else {
        tag
    }
}

/// (verb, table or type, item) describing one change.
fn words(c: &Change) -> (String, String, Option<String>) {
    use Change::*;
    let w = |verb: &str, subject: &str, item: Option<&str>| {
        (
            verb.to_string(),
            subject.to_string(),
            item.map(str::to_string),
        )
    };
    match c {
        CreateSchema(s) => w("create_schema", s, None),
        DropSchema(s) => w("drop_schema", s, None),
        CreateEnum(e) => w("create", &e.name, None),
        DropEnum(e) => w("drop", &e.name, None),
        AddEnumValue {
            enum_def, value, ..
        } => w("extend", &enum_def.name, Some(value)),
        RebuildEnum { new, .. } => w("change", &new.name, None),
        RenameEnum { to, .. } => w("rename", to, None),
        MoveEnum { name, .. } => w("move", name, None),
        CreateTable(t) => w("create", "", Some(&t.name)),
        DropTable(t) => w("drop", "", Some(&t.name)),
        MoveTable { name, .. } => w("move", "", Some(name)),
        RenameTable { to, .. } => w("rename", "", Some(to)),
        RenameColumn { table, to, .. } => w("rename", &table.name, Some(to)),
        RenameConstraint { table, .. } => w("rename", &table.name, None),
        RenameIndex { to, .. } | RenameSequence { to, .. } => w("rename", to, None),
        AddColumn { table, column } => w("add", &table.name, Some(&column.name)),
        DropColumn { table, column } => w("drop", &table.name, Some(column)),
        AlterColumnType { table, to, .. } => w("alter", &table.name, Some(&to.name)),
        SetGenerated { table, column } => w("alter", &table.name, Some(&column.name)),
        SetDefault { table, column, .. }
        | DropDefault { table, column }
        | SetNotNull { table, column }
        | DropNotNull { table, column }
        | AddIdentity { table, column, .. }
        | DropIdentity { table, column }
        | AlterIdentity { table, column, .. }
        | DropGenerated { table, column } => w("alter", &table.name, Some(column)),
        AddColumnPrimaryKey { table, .. }
        | AddPrimaryKey { table, .. }
        | AlterPrimaryKey { table, .. } => w("key", &table.name, None),
        DropPrimaryKey { table, .. } => w("drop_key", &table.name, None),
        AddUnique { table, .. } | AddCheck { table, .. } | AddForeignKey { table, .. } => {
            w("constrain", &table.name, None)
        }
        DropUnique { table, .. } | DropCheck { table, .. } | DropForeignKey { table, .. } => {
            w("unconstrain", &table.name, None)
        }
        CreateIndex { table, .. } => w("index", &table.name, None),
        DropIndex { table, .. } => w("drop_index", &table.name, None),
        EnableRls(table) => w("enable_rls", &table.name, None),
        DisableRls(table) => w("disable_rls", &table.name, None),
        ForceRls { table, force: true } => w("force_rls", &table.name, None),
        ForceRls {
            table,
            force: false,
        } => w("no_force_rls", &table.name, None),
        CreatePolicy { table, policy } => w("policy", &table.name, Some(&policy.name)),
        AlterPolicy { table, to, .. } => w("alter_policy", &table.name, Some(&to.name)),
        RenamePolicy { table, to, .. } => w("rename_policy", &table.name, Some(to)),
        DropPolicy { table, name } => w("drop_policy", &table.name, Some(name)),
        CreateRole(r) => w("create_role", &r.name, None),
        AlterRole { to, .. } => w("alter_role", &to.name, None),
        DropRole(name) => w("drop_role", name, None),
        CreateExtension(e) => w("create_extension", &e.name, None),
        MoveExtension { name, .. } => w("move_extension", name, None),
        UpdateExtension { name, .. } => w("update_extension", name, None),
        DropExtension(e) => w("drop_extension", &e.name, None),
        CreateSequence(q) => w("create_sequence", &q.name, None),
        AlterSequence { to, .. } => w("alter_sequence", &to.name, None),
        DropSequence(q) => w("drop_sequence", &q.name, None),
        CreateView(v) => w("create_view", &v.name, None),
        AlterView { to, .. } => w("alter_view", &to.name, None),
        DropView { view, .. } => w("drop_view", &view.name, None),
        SetComment { on, .. } => w("comment", on.key().2, None),
    }
}

#[cfg(test)]
mod describe_tests {
    use super::*;
    use vitaes_schema_core::ColumnDef;

    fn col(name: &str) -> ColumnDef {
        ColumnDef::new(name, "text")
    }

    #[test]
    fn tags_say_what_a_plan_does() {
        let old = Schema {
            schemas: vec!["x".into()],
            ..Schema::default()
        };
        let t = |n: &str| TableRef {
            schema: "public".into(),
            name: n.into(),
        };
        let plan = Plan {
            changes: vec![
                Change::AddColumn {
                    table: t("resume"),
                    column: col("template"),
                },
                Change::AddColumn {
                    table: t("resume"),
                    column: col("visibility"),
                },
            ],
        };
        assert_eq!(describe(&old, &plan), "add_resume_template_visibility");
        let plan = Plan {
            changes: vec![Change::DropColumn {
                table: t("account"),
                column: "id_token".into(),
            }],
        };
        assert_eq!(describe(&old, &plan), "drop_account_id_token");
        assert_eq!(describe(&Schema::default(), &plan), "init");
        assert_eq!(
            sanitize_tag("add_a_very_long_table_name_with_many_words_and_more"),
            "add_a_very_long_table_name_with_many"
        );
    }

    /// A new key over a column the same plan adds comes after the ADD COLUMN;
    /// one over existing columns keeps drizzle-kit's place, before it.
    #[test]
    fn keys_over_new_columns_follow_the_column() {
        let mut old = Schema::default();
        let mut t = vitaes_schema_core::TableDef::empty("public", "t");
        t.columns.push(ColumnDef {
            not_null: true,
            ..ColumnDef::new("id", "integer")
        });
        old.tables.push(t.clone());
        let k = ColumnDef {
            not_null: true,
            ..ColumnDef::new("k", "integer")
        };
        t.columns.push(k);
        t.primary_key = Some(vitaes_schema_core::PrimaryKey {
            name: "t_id_k_pk".into(),
            columns: vec!["id".into(), "k".into()],
        });
        let mut new = Schema::default();
        new.tables.push(t.clone());
        let kinds = |p: &Plan| p.changes.iter().map(|c| c.kind()).collect::<Vec<_>>();
        let plan = diff(&old, &new).unwrap();
        assert_eq!(kinds(&plan), ["add_column", "add_primary_key"]);

        // `k` already there, `y` added: the key keeps its place.
        let mut old_k = old.clone();
        old_k.tables[0].columns.push(t.columns[1].clone());
        let mut new_y = new.clone();
        new_y.tables[0].columns.push(ColumnDef::new("y", "text"));
        let plan = diff(&old_k, &new_y).unwrap();
        assert_eq!(kinds(&plan), ["add_primary_key", "add_column"]);
    }
}
