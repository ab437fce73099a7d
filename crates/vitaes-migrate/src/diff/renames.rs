//! Renames: decided, never guessed. A rename comes from a hint in the code
//! (`renamed_from = "old"`, acting only while the old name is in the old
//! schema and the new one is not), from a decision (`--rename`, a terminal
//! prompt, or the library's [`RenameDecisions`]), and everything whose default
//! name derives from the renamed object is renamed with it, so the result
//! equals a database created under the new name.
//!
//! Renames are applied to a copy of the old schema; the diff then compares
//! that copy with the new schema as usual.

use std::fmt;
use std::str::FromStr;

use vitaes_schema_core::naming::{
    self, foreign_key_name, index_name, pkey_name, primary_key_name, unique_name,
};
use vitaes_schema_core::{ColumnDef, Schema};

use super::change::{Change, TableRef};

/// `[schema.]name`; no schema means `public`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QualifiedName {
    /// The schema (`public` when not written).
    pub schema: String,
    /// The name within it.
    pub name: String,
}

impl QualifiedName {
    fn parse(s: &str) -> Option<QualifiedName> {
        let (schema, name) = match s.split_once('.') {
            Some((schema, name)) => (schema, name),
            None => ("public", s),
        };
        (!schema.is_empty() && !name.is_empty() && !name.contains('.')).then(|| QualifiedName {
            schema: schema.to_string(),
            name: name.to_string(),
        })
    }
}

impl fmt::Display for QualifiedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.schema == "public" {
            write!(f, "{}", self.name)
        } else {
            write!(f, "{}.{}", self.schema, self.name)
        }
    }
}

/// One decided rename.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rename {
    /// A table renamed and/or moved to another schema.
    Table {
        /// The old name.
        from: QualifiedName,
        /// The new name.
        to: QualifiedName,
    },
    /// A column renamed.
    Column {
        /// The table, by its name in the new schema.
        table: QualifiedName,
        /// The old column name.
        from: String,
        /// The new column name.
        to: String,
    },
    /// An enum renamed and/or moved to another schema.
    Enum {
        /// The old name.
        from: QualifiedName,
        /// The new name.
        to: QualifiedName,
    },
    /// A row-level security policy renamed.
    Policy {
        /// The table, by its name in the new schema.
        table: QualifiedName,
        /// The old policy name.
        from: String,
        /// The new policy name.
        to: String,
    },
}

/// An added object that is really new (a drop and an add, not a rename).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoRename {
    /// The table is new.
    Table(QualifiedName),
    /// The column is new.
    Column {
        /// The table, by its name in the new schema.
        table: QualifiedName,
        /// The new column's name.
        name: String,
    },
    /// The enum is new.
    Enum(QualifiedName),
    /// The policy is new.
    Policy {
        /// The table, by its name in the new schema.
        table: QualifiedName,
        /// The new policy's name.
        name: String,
    },
}

/// What was meant, for every ambiguity the diff would otherwise report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RenameDecisions {
    /// Renames, each a drop and an add that are one object.
    pub renames: Vec<Rename>,
    /// Added objects that are new, not renames.
    pub no_renames: Vec<NoRename>,
}

/// A `--rename` / `--no-rename` value that does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRename(pub String);

impl fmt::Display for BadRename {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot read `{}`: expected column:[schema.]table.old=new, table:[schema.]old=[schema.]new, enum:[schema.]old=new or policy:[schema.]table.old=new",
            self.0
        )
    }
}

impl std::error::Error for BadRename {}

impl FromStr for Rename {
    type Err = BadRename;

    /// `column:[schema.]table.old=new`, `table:[schema.]old=[schema.]new`,
    /// `enum:[schema.]old=new`, `policy:[schema.]table.old=new`.
    fn from_str(s: &str) -> Result<Rename, BadRename> {
        let bad = || BadRename(s.to_string());
        let (kind, rest) = s.split_once(':').ok_or_else(bad)?;
        let (from, to) = rest.split_once('=').ok_or_else(bad)?;
        match kind {
            "table" | "enum" => {
                let from = QualifiedName::parse(from).ok_or_else(bad)?;
                let to = if to.contains('.') {
                    QualifiedName::parse(to).ok_or_else(bad)?
                } else {
                    QualifiedName {
                        schema: from.schema.clone(),
                        name: to.to_string(),
                    }
                };
                if to.name.is_empty() {
                    return Err(bad());
                }
                Ok(if kind == "table" {
                    Rename::Table { from, to }
                } else {
                    Rename::Enum { from, to }
                })
            }
            "column" | "policy" => {
                let (table, old) = from.rsplit_once('.').ok_or_else(bad)?;
                let table = QualifiedName::parse(table).ok_or_else(bad)?;
                if old.is_empty() || to.is_empty() {
                    return Err(bad());
                }
                let (from, to) = (old.to_string(), to.to_string());
                Ok(if kind == "column" {
                    Rename::Column { table, from, to }
                } else {
                    Rename::Policy { table, from, to }
                })
            }
            _ => Err(bad()),
        }
    }
}

impl FromStr for NoRename {
    type Err = BadRename;

    /// `table:[schema.]new`, `column:[schema.]table.new`, `enum:[schema.]new`,
    /// `policy:[schema.]table.new`.
    fn from_str(s: &str) -> Result<NoRename, BadRename> {
        let bad = || BadRename(s.to_string());
        let (kind, rest) = s.split_once(':').ok_or_else(bad)?;
        match kind {
            "table" => Ok(NoRename::Table(QualifiedName::parse(rest).ok_or_else(bad)?)),
            "enum" => Ok(NoRename::Enum(QualifiedName::parse(rest).ok_or_else(bad)?)),
            "column" | "policy" => {
                let (table, name) = rest.rsplit_once('.').ok_or_else(bad)?;
                if name.is_empty() {
                    return Err(bad());
                }
                let table = QualifiedName::parse(table).ok_or_else(bad)?;
                let name = name.to_string();
                Ok(if kind == "column" {
                    NoRename::Column { table, name }
                } else {
                    NoRename::Policy { table, name }
                })
            }
            _ => Err(bad()),
        }
    }
}

impl fmt::Display for Rename {
    /// The flag's own spelling, `column:t.old=new`, for messages.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rename::Column { table, from, to } => write!(f, "column:{table}.{from}={to}"),
            Rename::Policy { table, from, to } => write!(f, "policy:{table}.{from}={to}"),
            Rename::Table { from, to } | Rename::Enum { from, to } => {
                let kind = if matches!(self, Rename::Table { .. }) {
                    "table"
                } else {
                    "enum"
                };
                if from.schema == to.schema {
                    write!(f, "{kind}:{from}={}", to.name)
                } else {
                    write!(f, "{kind}:{from}={}.{}", to.schema, to.name)
                }
            }
        }
    }
}

impl fmt::Display for NoRename {
    /// The flag's own spelling, `column:t.new`, for messages.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NoRename::Table(q) => write!(f, "table:{q}"),
            NoRename::Column { table, name } => write!(f, "column:{table}.{name}"),
            NoRename::Enum(q) => write!(f, "enum:{q}"),
            NoRename::Policy { table, name } => write!(f, "policy:{table}.{name}"),
        }
    }
}

/// What a decision is about: its kind, the table of a column or policy, and
/// a name. Two decisions with one old key, or one new key, are about one
/// object.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Table(String, String),
    Column(String, String, String),
    Enum(String, String),
    Policy(String, String, String),
}

impl Rename {
    fn keys(&self) -> (Key, Key) {
        match self {
            Rename::Table { from, to } => (
                Key::Table(from.schema.clone(), from.name.clone()),
                Key::Table(to.schema.clone(), to.name.clone()),
            ),
            Rename::Enum { from, to } => (
                Key::Enum(from.schema.clone(), from.name.clone()),
                Key::Enum(to.schema.clone(), to.name.clone()),
            ),
            Rename::Column { table, from, to } => {
                let column =
                    |c: &str| Key::Column(table.schema.clone(), table.name.clone(), c.into());
                (column(from), column(to))
            }
            Rename::Policy { table, from, to } => {
                let policy =
                    |p: &str| Key::Policy(table.schema.clone(), table.name.clone(), p.into());
                (policy(from), policy(to))
            }
        }
    }
}

impl NoRename {
    fn kind(&self) -> &'static str {
        match self {
            NoRename::Table(_) => "table",
            NoRename::Column { .. } => "column",
            NoRename::Enum(_) => "enum",
            NoRename::Policy { .. } => "policy",
        }
    }

    fn key(&self) -> Key {
        match self {
            NoRename::Table(q) => Key::Table(q.schema.clone(), q.name.clone()),
            NoRename::Enum(q) => Key::Enum(q.schema.clone(), q.name.clone()),
            NoRename::Column { table, name } => {
                Key::Column(table.schema.clone(), table.name.clone(), name.clone())
            }
            NoRename::Policy { table, name } => {
                Key::Policy(table.schema.clone(), table.name.clone(), name.clone())
            }
        }
    }
}

impl RenameDecisions {
    /// Checks the decisions before anything is planned with them: none may
    /// contradict another (a rename to what a `--no-rename` calls new), two
    /// may not rename one object or rename two to one, and each must name
    /// what is there: the old object in `old` (`old_side` says what that is
    /// to the user: "the last snapshot", "the database"), or the new one if
    /// the rename has happened, and the new one in `new` (the code). A flag
    /// that acts on nothing would otherwise be ignored silently and the plan
    /// would drop and add instead.
    pub fn check(&self, old: &Schema, new: &Schema, old_side: &str) -> Result<(), String> {
        let mut problems = Vec::new();
        let mut by_old: std::collections::HashMap<Key, &Rename> = Default::default();
        let mut by_new: std::collections::HashMap<Key, &Rename> = Default::default();
        for r in &self.renames {
            let (from, to) = r.keys();
            if let Some(first) = by_old.insert(from, r) {
                problems.push(format!(
                    "--rename {first} and --rename {r} rename one {} twice\n  help: keep one of the two flags",
                    kind(r)
                ));
            }
            if let Some(first) = by_new.insert(to.clone(), r) {
                problems.push(format!(
                    "--rename {first} and --rename {r} rename two {} to one name\n  help: keep one of the two flags",
                    plural(kind(r))
                ));
            }
            if let Some(n) = self.no_renames.iter().find(|n| n.key() == to) {
                problems.push(format!(
                    "--rename {r} contradicts --no-rename {n}: one says the {} was renamed, the other that it is new\n  help: keep one of the two flags",
                    kind(r)
                ));
            }
            problems.extend(self.missing(r, old, new, old_side));
        }
        for n in &self.no_renames {
            if !exists_new(&n.key(), new) {
                problems.push(format!(
                    "--no-rename {n}: the code has no such {}\n  help: name the {} as the code does, or drop the flag",
                    n.kind(),
                    n.kind()
                ));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("\n"))
        }
    }

    /// Why `r` names nothing: its old object is not in `old`, or its new one not in `new`.
    fn missing(&self, r: &Rename, old: &Schema, new: &Schema, old_side: &str) -> Vec<String> {
        let (from, to) = r.keys();
        let mut out = Vec::new();
        // A rename that has happened (the new name is in `old` already) is
        // harmless, as a `renamed_from` hint left in the code is.
        if !self.exists_old(&from, old, new) && !self.exists_old(&to, old, new) {
            out.push(format!(
                "--rename {r}: {old_side} has no {} {}\n  help: name the old object as it was, or drop the flag",
                kind(r),
                describe(&from)
            ));
        }
        if !exists_new(&to, new) {
            out.push(format!(
                "--rename {r}: the code has no {} {}\n  help: name the new object as the code does, or drop the flag",
                kind(r),
                describe(&to)
            ));
        }
        out
    }

    /// Whether `key` is in `old`. A column's or policy's table is named as
    /// in the code, so it is looked up under the old name its table had too
    /// (a decided table rename or a `renamed_from` hint).
    fn exists_old(&self, key: &Key, old: &Schema, new: &Schema) -> bool {
        match key {
            Key::Column(schema, table, name) | Key::Policy(schema, table, name) => {
                let mut tables = vec![QualifiedName {
                    schema: schema.clone(),
                    name: table.clone(),
                }];
                tables.extend(self.table_rename_to(schema, table).cloned());
                if let Some(hint) = new
                    .table(schema, table)
                    .and_then(|t| t.renamed_from.clone())
                {
                    tables.push(QualifiedName {
                        schema: schema.clone(),
                        name: hint,
                    });
                }
                let is_column = matches!(key, Key::Column(..));
                tables.iter().any(|q| {
                    old.table(&q.schema, &q.name).is_some_and(|t| {
                        if is_column {
                            t.column(name).is_some()
                        } else {
                            t.policies.iter().any(|p| &p.name == name)
                        }
                    })
                })
            }
            other => exists_new(other, old),
        }
    }
}

/// Whether `key` is in `schema`, by the names it has there.
fn exists_new(key: &Key, schema: &Schema) -> bool {
    match key {
        Key::Table(s, n) => schema.table(s, n).is_some(),
        Key::Enum(s, n) => schema.enums.iter().any(|e| &e.schema == s && &e.name == n),
        Key::Column(s, t, c) => schema.table(s, t).is_some_and(|t| t.column(c).is_some()),
        Key::Policy(s, t, p) => schema
            .table(s, t)
            .is_some_and(|t| t.policies.iter().any(|x| &x.name == p)),
    }
}

fn describe(key: &Key) -> String {
    let qualified = |s: &str, n: &str| QualifiedName {
        schema: s.to_string(),
        name: n.to_string(),
    };
    match key {
        Key::Table(s, n) | Key::Enum(s, n) => format!("`{}`", qualified(s, n)),
        Key::Column(s, t, c) | Key::Policy(s, t, c) => {
            format!("`{c}` in table `{}`", qualified(s, t))
        }
    }
}

fn kind(r: &Rename) -> &'static str {
    match r {
        Rename::Table { .. } => "table",
        Rename::Column { .. } => "column",
        Rename::Enum { .. } => "enum",
        Rename::Policy { .. } => "policy",
    }
}

fn plural(kind: &str) -> String {
    match kind {
        "policy" => "policies".to_string(),
        other => format!("{other}s"),
    }
}

impl RenameDecisions {
    pub(super) fn table_rename_to(&self, schema: &str, name: &str) -> Option<&QualifiedName> {
        self.renames.iter().find_map(|r| match r {
            Rename::Table { from, to } if to.schema == schema && to.name == name => Some(from),
            _ => None,
        })
    }

    pub(super) fn column_rename_to(&self, table: &TableRef, name: &str) -> Option<&str> {
        self.renames.iter().find_map(|r| match r {
            Rename::Column { table: t, from, to }
                if t.schema == table.schema && t.name == table.name && to == name =>
            {
                Some(from.as_str())
            }
            _ => None,
        })
    }

    pub(super) fn policy_rename_to(&self, table: &TableRef, name: &str) -> Option<&str> {
        self.renames.iter().find_map(|r| match r {
            Rename::Policy { table: t, from, to }
                if t.schema == table.schema && t.name == table.name && to == name =>
            {
                Some(from.as_str())
            }
            _ => None,
        })
    }

    pub(super) fn enum_rename_to(&self, schema: &str, name: &str) -> Option<&QualifiedName> {
        self.renames.iter().find_map(|r| match r {
            Rename::Enum { from, to } if to.schema == schema && to.name == name => Some(from),
            _ => None,
        })
    }

    pub(super) fn is_new_table(&self, schema: &str, name: &str) -> bool {
        self.no_renames
            .iter()
            .any(|n| matches!(n, NoRename::Table(q) if q.schema == schema && q.name == name))
    }

    pub(super) fn is_new_column(&self, table: &TableRef, name: &str) -> bool {
        self.no_renames.iter().any(|n| {
            matches!(n, NoRename::Column { table: t, name: c } if t.schema == table.schema && t.name == table.name && c == name)
        })
    }

    pub(super) fn is_new_policy(&self, table: &TableRef, name: &str) -> bool {
        self.no_renames.iter().any(|n| {
            matches!(n, NoRename::Policy { table: t, name: p } if t.schema == table.schema && t.name == table.name && p == name)
        })
    }

    pub(super) fn is_new_enum(&self, schema: &str, name: &str) -> bool {
        self.no_renames
            .iter()
            .any(|n| matches!(n, NoRename::Enum(q) if q.schema == schema && q.name == name))
    }
}

/// The statements renames produce, by group.
#[derive(Default)]
pub(super) struct RenameChanges {
    pub enums: Vec<Change>,
    pub moves: Vec<Change>,
    pub tables: Vec<Change>,
    pub columns: Vec<Change>,
    /// Constraints, indexes and sequences whose default names follow the renamed object.
    pub derived: Vec<Change>,
    pub policies: Vec<Change>,
}

/// Renames enum `from` to `to` in `schema` (the old side), with the columns using it.
pub(super) fn rename_enum(
    schema: &mut Schema,
    from: &QualifiedName,
    to: &QualifiedName,
    out: &mut RenameChanges,
) {
    out.enums.push(Change::RenameEnum {
        schema: from.schema.clone(),
        from: from.name.clone(),
        to: to.name.clone(),
    });
    if from.schema != to.schema {
        out.enums.push(Change::MoveEnum {
            name: to.name.clone(),
            from: from.schema.clone(),
            to: to.schema.clone(),
        });
    }
    for e in &mut schema.enums {
        if e.schema == from.schema && e.name == from.name {
            e.schema = to.schema.clone();
            e.name = to.name.clone();
        }
    }
    for t in &mut schema.tables {
        for c in &mut t.columns {
            if c.type_schema.as_deref() == Some(from.schema.as_str()) {
                let base = c.sql_type.trim_end_matches("[]");
                if base == from.name {
                    let dims = c.sql_type[base.len()..].to_string();
                    c.sql_type = format!("{}{dims}", to.name);
                    c.type_schema = Some(to.schema.clone());
                }
            }
        }
    }
}

/// Renames (and/or moves) table `from` to `to` in `schema` (the old side),
/// renaming what derives its default name from the table.
pub(super) fn rename_table(
    schema: &mut Schema,
    from: &TableRef,
    to: &QualifiedName,
    out: &mut RenameChanges,
) {
    if from.schema != to.schema {
        out.moves.push(Change::MoveTable {
            name: from.name.clone(),
            from: from.schema.clone(),
            to: to.schema.clone(),
        });
    }
    let moved = TableRef {
        schema: to.schema.clone(),
        name: from.name.clone(),
    };
    let new_ref = TableRef {
        schema: to.schema.clone(),
        name: to.name.clone(),
    };
    if from.name != to.name {
        out.tables.push(Change::RenameTable {
            table: moved,
            to: to.name.clone(),
        });
    }
    let (old_name, new_name) = (from.name.as_str(), to.name.as_str());

    let Some(t) = schema
        .tables
        .iter_mut()
        .find(|t| t.schema == from.schema && t.name == from.name)
    else {
        return;
    };
    t.schema = to.schema.clone();
    t.name = to.name.clone();
    if old_name != new_name {
        if t.columns.iter().any(|c| c.primary_key) {
            constraint(out, &new_ref, &pkey_name(old_name), &pkey_name(new_name));
        }
        if let Some(pk) = &mut t.primary_key {
            rename_if_derived(
                &mut pk.name,
                primary_key_name(old_name, &pk.columns),
                primary_key_name(new_name, &pk.columns),
                |a, b| constraint(out, &new_ref, a, b),
            );
        }
        for u in &mut t.uniques {
            rename_if_derived(
                &mut u.name,
                unique_name(old_name, &u.columns),
                unique_name(new_name, &u.columns),
                |a, b| constraint(out, &new_ref, a, b),
            );
        }
        for fk in &mut t.foreign_keys {
            let self_ref = fk.ref_schema == from.schema && fk.ref_table == old_name;
            let ref_new = if self_ref {
                new_name
            } else {
                fk.ref_table.as_str()
            }
            .to_string();
            rename_if_derived(
                &mut fk.name,
                foreign_key_name(old_name, &fk.columns, &fk.ref_table, &fk.ref_columns),
                foreign_key_name(new_name, &fk.columns, &ref_new, &fk.ref_columns),
                |a, b| constraint(out, &new_ref, a, b),
            );
        }
        for ix in &mut t.indexes {
            let exprs: Vec<String> = ix.columns.iter().map(|c| c.expression.clone()).collect();
            rename_if_derived(
                &mut ix.name,
                index_name(old_name, &exprs),
                index_name(new_name, &exprs),
                |a, b| {
                    out.derived.push(Change::RenameIndex {
                        schema: to.schema.clone(),
                        from: a.to_string(),
                        to: b.to_string(),
                    })
                },
            );
        }
        for c in &mut t.columns {
            rename_sequences(
                c,
                old_name,
                new_name,
                &c.name.clone(),
                &c.name.clone(),
                &to.schema,
                out,
            );
        }
    }
    // References from every table (itself included) follow the table.
    for other in &mut schema.tables {
        let other_ref = TableRef::of(other);
        for fk in &mut other.foreign_keys {
            if fk.ref_schema == from.schema && fk.ref_table == old_name {
                if other_ref != new_ref {
                    rename_if_derived(
                        &mut fk.name,
                        foreign_key_name(&other_ref.name, &fk.columns, old_name, &fk.ref_columns),
                        foreign_key_name(&other_ref.name, &fk.columns, new_name, &fk.ref_columns),
                        |a, b| constraint(out, &other_ref, a, b),
                    );
                }
                fk.ref_schema = to.schema.clone();
                fk.ref_table = new_name.to_string();
            }
        }
    }
}

/// Renames column `from` to `to` of `table` in `schema` (the old side), with
/// the constraints, indexes and sequences named after it.
pub(super) fn rename_column(
    schema: &mut Schema,
    table: &TableRef,
    from: &str,
    to: &str,
    out: &mut RenameChanges,
) {
    out.columns.push(Change::RenameColumn {
        table: table.clone(),
        from: from.to_string(),
        to: to.to_string(),
    });
    let swap = |cols: &[String]| -> Vec<String> {
        cols.iter()
            .map(|c| if c == from { to.to_string() } else { c.clone() })
            .collect()
    };
    let Some(t) = schema
        .tables
        .iter_mut()
        .find(|t| t.schema == table.schema && t.name == table.name)
    else {
        return;
    };
    let tname = t.name.clone();
    if let Some(pk) = &mut t.primary_key {
        let cols = swap(&pk.columns);
        rename_if_derived(
            &mut pk.name,
            primary_key_name(&tname, &pk.columns),
            primary_key_name(&tname, &cols),
            |a, b| constraint(out, table, a, b),
        );
        pk.columns = cols;
    }
    for u in &mut t.uniques {
        let cols = swap(&u.columns);
        rename_if_derived(
            &mut u.name,
            unique_name(&tname, &u.columns),
            unique_name(&tname, &cols),
            |a, b| constraint(out, table, a, b),
        );
        u.columns = cols;
    }
    for fk in &mut t.foreign_keys {
        let cols = swap(&fk.columns);
        let self_ref = fk.ref_schema == table.schema && fk.ref_table == tname;
        let ref_cols = if self_ref {
            swap(&fk.ref_columns)
        } else {
            fk.ref_columns.clone()
        };
        rename_if_derived(
            &mut fk.name,
            foreign_key_name(&tname, &fk.columns, &fk.ref_table, &fk.ref_columns),
            foreign_key_name(&tname, &cols, &fk.ref_table, &ref_cols),
            |a, b| constraint(out, table, a, b),
        );
        fk.columns = cols;
        fk.ref_columns = ref_cols;
    }
    for ix in &mut t.indexes {
        let old_exprs: Vec<String> = ix.columns.iter().map(|c| c.expression.clone()).collect();
        for c in &mut ix.columns {
            if !c.is_expression && c.expression == from {
                c.expression = to.to_string();
            }
        }
        let new_exprs: Vec<String> = ix.columns.iter().map(|c| c.expression.clone()).collect();
        rename_if_derived(
            &mut ix.name,
            index_name(&tname, &old_exprs),
            index_name(&tname, &new_exprs),
            |a, b| {
                out.derived.push(Change::RenameIndex {
                    schema: table.schema.clone(),
                    from: a.to_string(),
                    to: b.to_string(),
                })
            },
        );
    }
    if let Some(c) = t.columns.iter_mut().find(|c| c.name == from) {
        c.name = to.to_string();
        rename_sequences(c, &tname, &tname, from, to, &table.schema, out);
    }
    for other in &mut schema.tables {
        if other.schema == table.schema && other.name == table.name {
            continue;
        }
        let other_ref = TableRef::of(other);
        for fk in &mut other.foreign_keys {
            if fk.ref_schema == table.schema
                && fk.ref_table == table.name
                && fk.ref_columns.iter().any(|c| c == from)
            {
                let ref_cols = swap(&fk.ref_columns);
                rename_if_derived(
                    &mut fk.name,
                    foreign_key_name(&other_ref.name, &fk.columns, &fk.ref_table, &fk.ref_columns),
                    foreign_key_name(&other_ref.name, &fk.columns, &fk.ref_table, &ref_cols),
                    |a, b| constraint(out, &other_ref, a, b),
                );
                fk.ref_columns = ref_cols;
            }
        }
    }
}

/// Renames policy `from` of `table` to `to` in `schema` (the old side). A
/// policy's name derives from nothing and nothing derives from it.
pub(super) fn rename_policy(
    schema: &mut Schema,
    table: &TableRef,
    from: &str,
    to: &str,
    out: &mut RenameChanges,
) {
    out.policies.push(Change::RenamePolicy {
        table: table.clone(),
        from: from.to_string(),
        to: to.to_string(),
    });
    if let Some(p) = schema
        .tables
        .iter_mut()
        .find(|t| t.schema == table.schema && t.name == table.name)
        .and_then(|t| t.policies.iter_mut().find(|p| p.name == from))
    {
        p.name = to.to_string();
    }
}

/// Identity and serial sequences named `<table>_<column>_seq` follow a rename.
fn rename_sequences(
    c: &mut ColumnDef,
    old_table: &str,
    new_table: &str,
    old_col: &str,
    new_col: &str,
    schema: &str,
    out: &mut RenameChanges,
) {
    if let Some(identity) = &mut c.identity {
        let from = naming::truncate_identifier(&format!("{old_table}_{old_col}_seq"));
        let to = naming::truncate_identifier(&format!("{new_table}_{new_col}_seq"));
        if identity.name == from && from != to {
            out.derived.push(Change::RenameSequence {
                schema: schema.to_string(),
                from,
                to: to.clone(),
            });
            identity.name = to;
            identity.schema = schema.to_string();
        }
    } else if c.sql_type.ends_with("serial") {
        let from = naming::sequence_name(old_table, old_col);
        let to = naming::sequence_name(new_table, new_col);
        if from != to {
            out.derived.push(Change::RenameSequence {
                schema: schema.to_string(),
                from,
                to,
            });
        }
    }
}

fn constraint(out: &mut RenameChanges, table: &TableRef, from: &str, to: &str) {
    out.derived.push(Change::RenameConstraint {
        table: table.clone(),
        from: from.to_string(),
        to: to.to_string(),
    });
}

/// When `name` is the default `old`, makes it `new` and reports the rename.
fn rename_if_derived(
    name: &mut String,
    old: String,
    new: String,
    mut report: impl FnMut(&str, &str),
) {
    if *name == old && old != new {
        report(&old, &new);
        *name = new;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_three_rename_forms() {
        assert_eq!(
            "column:resume.thumb=thumbnail_url".parse::<Rename>(),
            Ok(Rename::Column {
                table: QualifiedName {
                    schema: "public".into(),
                    name: "resume".into()
                },
                from: "thumb".into(),
                to: "thumbnail_url".into()
            })
        );
        assert_eq!(
            "table:billing.old=new".parse::<Rename>(),
            Ok(Rename::Table {
                from: QualifiedName {
                    schema: "billing".into(),
                    name: "old".into()
                },
                to: QualifiedName {
                    schema: "billing".into(),
                    name: "new".into()
                }
            })
        );
        assert_eq!(
            "table:users=app.users".parse::<Rename>(),
            Ok(Rename::Table {
                from: QualifiedName {
                    schema: "public".into(),
                    name: "users".into()
                },
                to: QualifiedName {
                    schema: "app".into(),
                    name: "users".into()
                }
            })
        );
        assert!(matches!(
            "enum:mood=feeling".parse::<Rename>(),
            Ok(Rename::Enum { .. })
        ));
        assert_eq!(
            "column:t.new".parse::<NoRename>().unwrap(),
            NoRename::Column {
                table: QualifiedName {
                    schema: "public".into(),
                    name: "t".into()
                },
                name: "new".into()
            }
        );
        for bad in ["column:t=x", "table:=x", "view:a=b", "table", "column:.a=b"] {
            assert!(bad.parse::<Rename>().is_err(), "{bad}");
        }
        for bad in ["column:t.", "column:t", "table:", "enum:a.b.c"] {
            assert!(bad.parse::<NoRename>().is_err(), "{bad}");
        }
    }

    #[test]
    fn parses_policy_renames_and_spells_them_back() {
        let rename: Rename = "policy:app.notes.read=owners_read".parse().unwrap();
        assert_eq!(
            rename,
            Rename::Policy {
                table: QualifiedName {
                    schema: "app".into(),
                    name: "notes".into()
                },
                from: "read".into(),
                to: "owners_read".into()
            }
        );
        assert_eq!(rename.to_string(), "policy:app.notes.read=owners_read");
        let public: Rename = "policy:notes.read=owners_read".parse().unwrap();
        assert_eq!(public.to_string(), "policy:notes.read=owners_read");
        let new: NoRename = "policy:notes.owners_read".parse().unwrap();
        assert_eq!(
            new,
            NoRename::Policy {
                table: QualifiedName {
                    schema: "public".into(),
                    name: "notes".into()
                },
                name: "owners_read".into()
            }
        );
        assert_eq!(new.to_string(), "policy:notes.owners_read");
        for bad in [
            "policy:notes=x",
            "policy:notes.=x",
            "policy:notes.a=",
            "policy:.a=b",
        ] {
            let e = bad.parse::<Rename>().unwrap_err().to_string();
            assert!(e.contains("policy:[schema.]table.old=new"), "{e}");
        }
        for bad in ["policy:notes", "policy:notes.", "policy:a.b.c.d"] {
            assert!(bad.parse::<NoRename>().is_err(), "{bad}");
        }
    }

    fn with_policies(names: &[&str]) -> Schema {
        let mut schema = schema_of(&[("notes", &["id"])]);
        schema.tables[0].policies = names
            .iter()
            .map(|n| vitaes_schema_core::PolicyDef {
                name: n.to_string(),
                kind: vitaes_schema_core::PolicyKind::Permissive,
                command: vitaes_schema_core::PolicyCommand::All,
                to: vec!["public".into()],
                using: None,
                with_check: None,
                renamed_from: None,
            })
            .collect();
        schema
    }

    #[test]
    fn policy_flags_are_checked_like_column_flags() {
        let old = with_policies(&["read", "write"]);
        let new = with_policies(&["owners_read", "owners_write"]);
        assert_eq!(
            check(&["policy:notes.read=owners_read"], &[], &old, &new),
            ""
        );
        assert_eq!(
            check(
                &["policy:notes.read=owners_read", "policy:notes.write=owners_read"],
                &[],
                &old,
                &new
            ),
            "--rename policy:notes.read=owners_read and --rename policy:notes.write=owners_read rename two policies to one name\n  help: keep one of the two flags"
        );
        let found = check(
            &["policy:notes.reed=owners_read"],
            &["policy:notes.nope"],
            &old,
            &new,
        );
        let firsts: Vec<&str> = found.lines().filter(|l| l.starts_with("--")).collect();
        assert_eq!(
            firsts,
            [
                "--rename policy:notes.reed=owners_read: the last snapshot has no policy `reed` in table `notes`",
                "--no-rename policy:notes.nope: the code has no such policy",
            ]
        );
    }

    fn schema_of(tables: &[(&str, &[&str])]) -> Schema {
        let mut schema = Schema::default();
        for (name, columns) in tables {
            let mut t = vitaes_schema_core::TableDef::empty("public", *name);
            t.columns = columns.iter().map(|c| ColumnDef::new(*c, "text")).collect();
            schema.tables.push(t);
        }
        schema
    }

    fn check(renames: &[&str], no_renames: &[&str], old: &Schema, new: &Schema) -> String {
        let decisions = RenameDecisions {
            renames: renames.iter().map(|r| r.parse().unwrap()).collect(),
            no_renames: no_renames.iter().map(|r| r.parse().unwrap()).collect(),
        };
        decisions
            .check(old, new, "the last snapshot")
            .err()
            .unwrap_or_default()
    }

    #[test]
    fn contradicting_and_doubled_renames_are_named_by_their_flags() {
        let old = schema_of(&[("a", &["id", "name", "x"])]);
        let new = schema_of(&[("a", &["id", "title", "heading"])]);
        assert_eq!(
            check(&["column:a.name=title"], &["column:a.title"], &old, &new),
            "--rename column:a.name=title contradicts --no-rename column:a.title: one says the column was renamed, the other that it is new\n  help: keep one of the two flags"
        );
        let same_old = check(
            &["column:a.name=title", "column:a.name=heading"],
            &[],
            &old,
            &new,
        );
        assert_eq!(
            same_old,
            "--rename column:a.name=title and --rename column:a.name=heading rename one column twice\n  help: keep one of the two flags"
        );
        let same_new = check(
            &["column:a.name=title", "column:a.x=title"],
            &[],
            &old,
            &new,
        );
        assert_eq!(
            same_new,
            "--rename column:a.name=title and --rename column:a.x=title rename two columns to one name\n  help: keep one of the two flags"
        );
        assert_eq!(check(&["column:a.name=title"], &[], &old, &new), "");
    }

    #[test]
    fn renames_of_what_is_not_there_are_named_by_their_flags() {
        let old = schema_of(&[("a", &["id", "name"])]);
        let new = schema_of(&[("b", &["id", "title"])]);
        let found = check(
            &["column:b.nme=title", "table:a=c", "enum:mood=feeling"],
            &["table:d"],
            &old,
            &new,
        );
        let firsts: Vec<&str> = found.lines().filter(|l| l.starts_with("--")).collect();
        assert_eq!(
            firsts,
            [
                "--rename column:b.nme=title: the last snapshot has no column `nme` in table `b`",
                "--rename table:a=c: the code has no table `c`",
                "--rename enum:mood=feeling: the last snapshot has no enum `mood`",
                "--rename enum:mood=feeling: the code has no enum `feeling`",
                "--no-rename table:d: the code has no such table",
            ]
        );
        // A column of a renamed table is found under the table's old name.
        assert_eq!(
            check(&["table:a=b", "column:b.name=title"], &[], &old, &new),
            ""
        );
        // A rename that has happened already is harmless.
        assert_eq!(check(&["table:a=b"], &[], &new, &new), "");
    }
}
