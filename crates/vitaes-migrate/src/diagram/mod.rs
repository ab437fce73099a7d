//! The schema as an entity-relationship diagram: every table with its
//! columns, types and key markers, grouped by PostgreSQL schema, one edge per
//! foreign key. [`mermaid`] writes an `erDiagram` block (GitHub renders it in
//! a README or a pull request), [`svg`] a self-contained picture laid out by
//! [`layout`]. Both are pure functions of the [`Schema`]: no I/O, and the
//! same schema gives the same bytes.
//!
//! What both draw, read once here: tables in a fixed order (schema `public`
//! first, then the others by name; tables by name), so code and a database
//! that holds it draw alike; tables declared `external` and tables a foreign
//! key names that the schema does not hold are drawn too, marked, so that
//! every edge has two ends; and each foreign key's cardinality from its
//! columns:
//!
//! - at the referenced table, *exactly one* when every referencing column is
//!   `NOT NULL`, else *zero or one*;
//! - at the referencing table, *zero or one* when the referencing columns
//!   hold a primary key or unique constraint (or a unique, non-partial
//!   index) of their table, else *zero or more*;
//! - *identifying* when the referencing columns are part of their table's
//!   primary key.

pub mod layout;
mod mermaid;
mod svg;

pub use mermaid::mermaid;
pub use svg::svg;

use vitaes_schema_core::{Schema, TableDef};

/// What a box stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TableKind {
    /// A table of the schema.
    Table,
    /// `#[table(external)]`: declared so others can reference it.
    External,
    /// Named by a foreign key, not in the schema (in a schema not read).
    Absent,
}

/// A column as drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Column {
    pub name: String,
    /// The type, an enum outside `public` qualified (`auth.role`); empty for
    /// the columns of an absent table.
    pub sql_type: String,
    pub not_null: bool,
    pub primary_key: bool,
    pub foreign_key: bool,
    /// A one-column unique constraint or unique index (not the primary key).
    pub unique: bool,
}

/// A table as drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Table {
    pub schema: String,
    pub name: String,
    pub kind: TableKind,
    pub columns: Vec<Column>,
}

impl Table {
    /// `schema.name`, as `data-table` carries it.
    pub fn qualified(&self) -> String {
        format!("{}.{}", self.schema, self.name)
    }
}

/// How many rows of the referenced table one referencing row has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Parent {
    ExactlyOne,
    ZeroOrOne,
}

/// How many referencing rows one referenced row has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Child {
    ZeroOrOne,
    ZeroOrMore,
}

/// A foreign key as drawn: from the referencing table (`from`) to the
/// referenced one (`to`), indexes into [`Diagram::tables`] and their columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Edge {
    pub name: String,
    pub from: usize,
    pub from_columns: Vec<usize>,
    pub to: usize,
    pub to_columns: Vec<usize>,
    pub parent: Parent,
    pub child: Child,
    pub identifying: bool,
}

/// The tables of one PostgreSQL schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Group {
    pub schema: String,
    /// Indexes into [`Diagram::tables`], in order.
    pub tables: Vec<usize>,
}

/// Everything both renderers draw, in drawing order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Diagram {
    pub groups: Vec<Group>,
    pub tables: Vec<Table>,
    /// Ordered by referencing table, then constraint name.
    pub edges: Vec<Edge>,
}

impl Diagram {
    /// Reads the tables (and external tables) of `schema`.
    pub fn of(schema: &Schema) -> Diagram {
        let mut defs: Vec<(&TableDef, TableKind)> = schema
            .tables
            .iter()
            .map(|t| (t, TableKind::Table))
            .chain(schema.external.iter().map(|t| (t, TableKind::External)))
            .collect();
        defs.sort_by(|(a, _), (b, _)| schema_order(&a.schema, &b.schema).then(a.name.cmp(&b.name)));
        defs.dedup_by(|(a, _), (b, _)| a.schema == b.schema && a.name == b.name);

        let mut tables: Vec<Table> = defs.iter().map(|(t, kind)| table(t, *kind)).collect();
        // Tables a foreign key names that are not drawn: a box with the
        // referenced columns, so the edge has its end.
        let mut absent: Vec<Table> = Vec::new();
        for (t, _) in &defs {
            for fk in &t.foreign_keys {
                let known = defs
                    .iter()
                    .any(|(d, _)| d.schema == fk.ref_schema && d.name == fk.ref_table);
                if known {
                    continue;
                }
                let at = match absent
                    .iter()
                    .position(|a| a.schema == fk.ref_schema && a.name == fk.ref_table)
                {
                    Some(i) => i,
                    None => {
                        absent.push(Table {
                            schema: fk.ref_schema.clone(),
                            name: fk.ref_table.clone(),
                            kind: TableKind::Absent,
                            columns: Vec::new(),
                        });
                        absent.len() - 1
                    }
                };
                for c in &fk.ref_columns {
                    if !absent[at].columns.iter().any(|x| &x.name == c) {
                        absent[at].columns.push(Column {
                            name: c.clone(),
                            sql_type: String::new(),
                            not_null: false,
                            primary_key: false,
                            foreign_key: false,
                            unique: false,
                        });
                    }
                }
            }
        }
        tables.extend(absent);
        tables.sort_by(|a, b| schema_order(&a.schema, &b.schema).then(a.name.cmp(&b.name)));

        let index = |schema: &str, name: &str| {
            tables
                .iter()
                .position(|t| t.schema == schema && t.name == name)
        };
        let mut edges = Vec::new();
        for (t, _) in &defs {
            let from = index(&t.schema, &t.name).expect("every table is drawn");
            let mut fks: Vec<_> = t.foreign_keys.iter().collect();
            fks.sort_by(|a, b| a.name.cmp(&b.name));
            for fk in fks {
                let to = index(&fk.ref_schema, &fk.ref_table).expect("absent tables are drawn");
                let column_of = |table: &Table, name: &String| {
                    table.columns.iter().position(|c| &c.name == name)
                };
                let from_columns = fk
                    .columns
                    .iter()
                    .filter_map(|c| column_of(&tables[from], c))
                    .collect();
                let to_columns = fk
                    .ref_columns
                    .iter()
                    .filter_map(|c| column_of(&tables[to], c))
                    .collect();
                let pk = primary_key(t);
                let nullable = fk.columns.iter().any(|c| {
                    !pk.contains(&c.as_str()) && t.column(c).is_some_and(|col| !col.not_null)
                });
                edges.push(Edge {
                    name: fk.name.clone(),
                    from,
                    from_columns,
                    to,
                    to_columns,
                    parent: if nullable {
                        Parent::ZeroOrOne
                    } else {
                        Parent::ExactlyOne
                    },
                    child: if unique_keys(t)
                        .iter()
                        .any(|key| key.iter().all(|k| fk.columns.iter().any(|c| c == k)))
                    {
                        Child::ZeroOrOne
                    } else {
                        Child::ZeroOrMore
                    },
                    identifying: !pk.is_empty()
                        && fk.columns.iter().all(|c| pk.contains(&c.as_str())),
                });
            }
        }
        edges.sort_by(|a, b| a.from.cmp(&b.from).then(a.name.cmp(&b.name)));

        let mut groups: Vec<Group> = Vec::new();
        for (i, t) in tables.iter().enumerate() {
            match groups.last_mut() {
                Some(g) if g.schema == t.schema => g.tables.push(i),
                _ => groups.push(Group {
                    schema: t.schema.clone(),
                    tables: vec![i],
                }),
            }
        }
        Diagram {
            groups,
            tables,
            edges,
        }
    }
}

/// `public` first, then the other schemas by name.
fn schema_order(a: &str, b: &str) -> std::cmp::Ordering {
    (a != "public", a).cmp(&(b != "public", b))
}

/// The primary key's columns: the table's key, or the columns marked.
fn primary_key(t: &TableDef) -> Vec<&str> {
    match &t.primary_key {
        Some(pk) => pk.columns.iter().map(String::as_str).collect(),
        None => t
            .columns
            .iter()
            .filter(|c| c.primary_key)
            .map(|c| c.name.as_str())
            .collect(),
    }
}

/// Every set of columns whose values are unique in `t`: the primary key,
/// unique constraints, and unique indexes on plain columns without `WHERE`.
fn unique_keys(t: &TableDef) -> Vec<Vec<&str>> {
    let mut keys = Vec::new();
    let pk = primary_key(t);
    if !pk.is_empty() {
        keys.push(pk);
    }
    for u in &t.uniques {
        keys.push(u.columns.iter().map(String::as_str).collect());
    }
    for i in &t.indexes {
        if i.unique && i.where_clause.is_none() && i.columns.iter().all(|c| !c.is_expression) {
            keys.push(i.columns.iter().map(|c| c.expression.as_str()).collect());
        }
    }
    keys.retain(|k| !k.is_empty());
    keys
}

fn table(t: &TableDef, kind: TableKind) -> Table {
    let pk = primary_key(t);
    let unique: Vec<&str> = unique_keys(t)
        .into_iter()
        .filter(|k| k.len() == 1 && *k != pk)
        .map(|k| k[0])
        .collect();
    Table {
        schema: t.schema.clone(),
        name: t.name.clone(),
        kind,
        columns: t
            .columns
            .iter()
            .map(|c| {
                let primary_key = c.primary_key || pk.contains(&c.name.as_str());
                Column {
                    name: c.name.clone(),
                    sql_type: match &c.type_schema {
                        Some(s) if s != "public" => format!("{s}.{}", c.sql_type),
                        _ => c.sql_type.clone(),
                    },
                    not_null: c.not_null || primary_key,
                    primary_key,
                    foreign_key: t.foreign_keys.iter().any(|fk| fk.columns.contains(&c.name)),
                    unique: !primary_key && unique.contains(&c.name.as_str()),
                }
            })
            .collect(),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use vitaes_schema_core::{ColumnDef, FkAction, ForeignKey, PrimaryKey, Unique};

    fn column(name: &str, sql_type: &str, not_null: bool) -> ColumnDef {
        ColumnDef {
            not_null,
            ..ColumnDef::new(name, sql_type)
        }
    }

    fn fk(name: &str, columns: &[&str], ref_schema: &str, ref_table: &str) -> ForeignKey {
        ForeignKey {
            name: name.into(),
            columns: columns.iter().map(|c| c.to_string()).collect(),
            ref_schema: ref_schema.into(),
            ref_table: ref_table.into(),
            ref_columns: vec!["id".into()],
            on_delete: FkAction::Cascade,
            on_update: FkAction::NoAction,
        }
    }

    /// Four tables in two schemas: `auth.users`; `public.profiles`, one per
    /// user (its key is the user's); `public.posts` with a required author
    /// and an optional editor; `public.tags`, on its own; and a foreign key
    /// onto `billing.accounts`, which the schema does not hold.
    pub(crate) fn small_schema() -> Schema {
        let mut users = TableDef::empty("auth", "users");
        users.columns = vec![
            ColumnDef {
                primary_key: true,
                ..column("id", "uuid", true)
            },
            column("email", "varchar(320)", true),
            ColumnDef {
                type_schema: Some("auth".into()),
                ..column("role", "role", true)
            },
        ];
        users.uniques = vec![Unique {
            name: "users_email_unique".into(),
            columns: vec!["email".into()],
            nulls_not_distinct: false,
        }];

        let mut profiles = TableDef::empty("public", "profiles");
        profiles.columns = vec![
            column("user_id", "uuid", true),
            column("bio", "text", false),
            column("billing_account", "integer", false),
        ];
        profiles.primary_key = Some(PrimaryKey {
            name: "profiles_pk".into(),
            columns: vec!["user_id".into()],
        });
        profiles.foreign_keys = vec![
            ForeignKey {
                ref_columns: vec!["id".into()],
                ..fk(
                    "profiles_user_id_users_id_fk",
                    &["user_id"],
                    "auth",
                    "users",
                )
            },
            fk(
                "profiles_billing_account_accounts_id_fk",
                &["billing_account"],
                "billing",
                "accounts",
            ),
        ];

        let mut posts = TableDef::empty("public", "posts");
        posts.columns = vec![
            ColumnDef {
                primary_key: true,
                ..column("id", "integer", true)
            },
            column("author_id", "uuid", true),
            column("editor_id", "uuid", false),
            column("title", "text", true),
            column("published_at", "timestamp with time zone", false),
            column("price", "numeric(10, 2)", false),
            column("tags", "text[]", false),
        ];
        posts.foreign_keys = vec![
            fk(
                "posts_editor_id_users_id_fk",
                &["editor_id"],
                "auth",
                "users",
            ),
            fk(
                "posts_author_id_users_id_fk",
                &["author_id"],
                "auth",
                "users",
            ),
        ];

        let mut tags = TableDef::empty("public", "tags");
        tags.columns = vec![ColumnDef {
            primary_key: true,
            ..column("name", "text", true)
        }];

        Schema {
            schemas: vec!["auth".into()],
            tables: vec![users, profiles, posts, tags],
            ..Schema::default()
        }
    }

    #[test]
    fn tables_are_grouped_public_first_and_absent_ones_are_added() {
        let d = Diagram::of(&small_schema());
        let names: Vec<String> = d.tables.iter().map(Table::qualified).collect();
        assert_eq!(
            names,
            [
                "public.posts",
                "public.profiles",
                "public.tags",
                "auth.users",
                "billing.accounts"
            ]
        );
        let groups: Vec<(&str, &[usize])> = d
            .groups
            .iter()
            .map(|g| (g.schema.as_str(), g.tables.as_slice()))
            .collect();
        assert_eq!(
            groups,
            [
                ("public", &[0, 1, 2][..]),
                ("auth", &[3][..]),
                ("billing", &[4][..])
            ]
        );
        assert_eq!(d.tables[4].kind, TableKind::Absent);
        assert_eq!(d.tables[4].columns[0].name, "id");
        assert_eq!(d.tables[3].columns[2].sql_type, "auth.role");
        assert!(d.tables[3].columns[1].unique && !d.tables[3].columns[0].unique);
    }

    #[test]
    fn cardinality_follows_nullability_and_uniqueness() {
        let d = Diagram::of(&small_schema());
        let summary: Vec<(&str, Parent, Child, bool)> = d
            .edges
            .iter()
            .map(|e| (e.name.as_str(), e.parent, e.child, e.identifying))
            .collect();
        assert_eq!(
            summary,
            [
                (
                    "posts_author_id_users_id_fk",
                    Parent::ExactlyOne,
                    Child::ZeroOrMore,
                    false
                ),
                (
                    "posts_editor_id_users_id_fk",
                    Parent::ZeroOrOne,
                    Child::ZeroOrMore,
                    false
                ),
                (
                    "profiles_billing_account_accounts_id_fk",
                    Parent::ZeroOrOne,
                    Child::ZeroOrMore,
                    false
                ),
                (
                    "profiles_user_id_users_id_fk",
                    Parent::ExactlyOne,
                    Child::ZeroOrOne,
                    true
                ),
            ]
        );
        assert_eq!((d.edges[0].from, d.edges[0].to), (0, 3));
        assert_eq!(d.edges[0].from_columns, [1]);
        assert_eq!(d.edges[0].to_columns, [0]);
    }
}
