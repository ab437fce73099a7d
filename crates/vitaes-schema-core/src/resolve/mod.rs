//! The one resolver: a set of parsed structs and enums → a [`Schema`] with SQL
//! names, default constraint names and enum types.
//!
//! It runs in the CLI after reading the sources, and in an application when a
//! `Schema` is assembled from compiled `Table` impls; both hand it the same
//! [`UnresolvedTable`] values, so both get the same schema.

mod namespaces;
pub mod sequences;
pub mod views;

use std::collections::HashMap;
use std::fmt;

use namespaces::TableLocs;

use crate::model::{
    Check, ColumnDef, CommentDef, CommentOn, DefaultValue, EnumDef, FkAction, ForeignKey, Identity,
    IndexColumn, IndexDef, PrimaryKey, Schema, TableDef, Unique,
};
use crate::naming;
use crate::unresolved::{
    IdentitySpec, IndexTarget, Loc, TypeSpec, UnresolvedEnum, UnresolvedRole, UnresolvedSchema,
    UnresolvedTable,
};

/// One resolution mistake. `item` indexes the input: the CLI maps it back to a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolveError {
    /// The input item the mistake is in.
    pub item: ItemRef,
    /// Where in that item's source.
    pub loc: Loc,
    /// What is wrong, as shown to the user.
    pub message: String,
    /// A second place involved (the first definition of a duplicate).
    pub other: Option<(ItemRef, Loc)>,
}

/// Which input a [`ResolveError`] is about: the n-th table or the n-th enum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemRef {
    /// The n-th table of the input.
    Table(usize),
    /// The n-th enum of the input.
    Enum(usize),
    /// The n-th role of the input.
    Role(usize),
    /// The n-th extension of the input.
    Extension(usize),
    /// The n-th sequence of the input.
    Sequence(usize),
    /// The n-th view of the input.
    View(usize),
}

impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// All mistakes found while resolving.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolveErrors(pub Vec<ResolveError>);

impl fmt::Display for ResolveErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ResolveErrors {}

/// Resolves tables and enums (in generation order) into a schema.
pub fn resolve(
    tables: &[UnresolvedTable],
    enums: &[UnresolvedEnum],
) -> Result<Schema, ResolveErrors> {
    resolve_with_schemas(tables, enums, &[])
}

/// [`resolve`] with schemas declared by `#[derive(PgSchema)]`, which come
/// first in the schema's list, before those only named by tables and enums.
pub fn resolve_with_schemas(
    tables: &[UnresolvedTable],
    enums: &[UnresolvedEnum],
    schemas: &[UnresolvedSchema],
) -> Result<Schema, ResolveErrors> {
    resolve_from(Origin::Sources, tables, enums, schemas)
}

/// [`resolve_with_schemas`] for items registered one by one in code
/// (`vitaes_schema::SchemaBuilder`) rather than read from source files. The
/// schema is the same; only the messages differ: an item missing from the
/// input is one that was not registered, so the message names the
/// `.table::<T>()` or `.pg_enum::<E>()` call that would add it, where the
/// CLI's tells which struct is not declared in the sources.
pub fn resolve_registered(
    tables: &[UnresolvedTable],
    enums: &[UnresolvedEnum],
    schemas: &[UnresolvedSchema],
) -> Result<Schema, ResolveErrors> {
    resolve_from(Origin::Registered, tables, enums, schemas)
}

/// Where the resolver's input was gathered, which decides how an item missing
/// from it is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    /// Every annotated item of the source files: a missing one is not declared.
    Sources,
    /// Items registered on a `SchemaBuilder`: a missing one is not registered.
    Registered,
}

fn resolve_from(
    origin: Origin,
    tables: &[UnresolvedTable],
    enums: &[UnresolvedEnum],
    schemas: &[UnresolvedSchema],
) -> Result<Schema, ResolveErrors> {
    let mut errors = Vec::new();
    let mut by_rust_name: HashMap<&str, usize> = HashMap::new();
    let mut by_sql_name: HashMap<(&str, &str), usize> = HashMap::new();
    for (i, t) in tables.iter().enumerate() {
        if let Some(&first) = by_rust_name.get(t.rust_name.as_str()) {
            errors.push(ResolveError {
                item: ItemRef::Table(i),
                loc: t.loc,
                message: format!(
                    "duplicate struct name `{}`: references could not tell the two apart",
                    t.rust_name
                ),
                other: Some((ItemRef::Table(first), tables[first].loc)),
            });
        } else {
            by_rust_name.insert(&t.rust_name, i);
        }
        if let Some(&first) = by_sql_name.get(&(t.schema.as_str(), t.name.as_str())) {
            errors.push(ResolveError {
                item: ItemRef::Table(i),
                loc: t.loc,
                message: format!(
                    "table \"{}\".\"{}\" is declared twice (by `{}` and `{}`)",
                    t.schema, t.name, tables[first].rust_name, t.rust_name
                ),
                other: Some((ItemRef::Table(first), tables[first].loc)),
            });
        } else {
            by_sql_name.insert((&t.schema, &t.name), i);
        }
    }
    let mut enum_by_rust_name: HashMap<&str, usize> = HashMap::new();
    for (i, e) in enums.iter().enumerate() {
        if let Some(&first) = enum_by_rust_name.get(e.rust_name.as_str()) {
            errors.push(ResolveError {
                item: ItemRef::Enum(i),
                loc: e.loc,
                message: format!("duplicate enum name `{}`", e.rust_name),
                other: Some((ItemRef::Enum(first), enums[first].loc)),
            });
        } else {
            enum_by_rust_name.insert(&e.rust_name, i);
        }
    }

    let mut out = Schema::default();
    for s in schemas {
        add_schema(&mut out.schemas, &s.name);
    }
    for e in enums {
        add_schema(&mut out.schemas, &e.schema);
        out.enums.push(EnumDef {
            name: e.name.clone(),
            schema: e.schema.clone(),
            values: e.values.clone(),
        });
        if let Some(text) = &e.comment {
            out.comments.push(CommentDef {
                on: CommentOn::Enum {
                    schema: e.schema.clone(),
                    name: e.name.clone(),
                },
                text: text.clone(),
            });
        }
    }
    let ctx = Ctx {
        origin,
        tables,
        enums,
        by_rust_name,
        enum_by_rust_name,
    };
    let (mut table_locs, mut external_locs) = (Vec::new(), Vec::new());
    for (i, t) in tables.iter().enumerate() {
        let (table, locs) = ctx.table(i, t, &mut errors);
        // An external table is only there to be referenced: neither it nor
        // its schema is the code's to create.
        if t.external {
            out.external.push(table);
            external_locs.push(locs);
        } else {
            add_schema(&mut out.schemas, &t.schema);
            if let Some(text) = &t.comment {
                out.comments.push(CommentDef {
                    on: CommentOn::Table {
                        schema: t.schema.clone(),
                        name: t.name.clone(),
                    },
                    text: text.clone(),
                });
            }
            out.comments
                .extend(column_comments(&t.schema, &t.name, &t.columns));
            out.tables.push(table);
            table_locs.push(locs);
        }
    }
    naming::resolve_name_collisions(&mut out);
    let located: Vec<(&TableDef, &TableLocs)> = out
        .tables
        .iter()
        .zip(&table_locs)
        .chain(out.external.iter().zip(&external_locs))
        .collect();
    let enum_locs: Vec<(&EnumDef, ItemRef, Loc)> = out
        .enums
        .iter()
        .zip(enums)
        .enumerate()
        .map(|(i, (def, e))| (def, ItemRef::Enum(i), e.loc))
        .collect();
    namespaces::check(&located, &enum_locs, &mut errors);
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(ResolveErrors(errors))
    }
}

/// Adds `roles` (in declaration order) to `schema`; a name declared twice is
/// an error, since the two declarations could disagree on the attributes.
pub fn add_roles(schema: &mut Schema, roles: &[UnresolvedRole]) -> Result<(), ResolveErrors> {
    let mut errors = Vec::new();
    let mut first: HashMap<&str, usize> = HashMap::new();
    for (i, r) in roles.iter().enumerate() {
        if let Some(&f) = first.get(r.role.name.as_str()) {
            errors.push(ResolveError {
                item: ItemRef::Role(i),
                loc: r.loc,
                message: format!(
                    "role \"{}\" is declared twice (by `{}` and `{}`)",
                    r.role.name, roles[f].rust_name, r.rust_name
                ),
                other: Some((ItemRef::Role(f), roles[f].loc)),
            });
        } else {
            first.insert(&r.role.name, i);
            schema.roles.push(r.role.clone());
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ResolveErrors(errors))
    }
}

/// The items resolved after the tables and enums: each stands on its own
/// (or, for views, names only enums), so they are added to the resolved
/// schema in one step, by the CLI and `SchemaBuilder` alike.
#[derive(Debug, Clone, Copy, Default)]
pub struct Standalone<'a> {
    /// `#[derive(PgRole)]`s.
    pub roles: &'a [UnresolvedRole],
    /// `#[derive(PgExtension)]`s.
    pub extensions: &'a [crate::UnresolvedExtension],
    /// `#[derive(PgSequence)]`s.
    pub sequences: &'a [crate::UnresolvedSequence],
    /// `#[derive(PgView)]`s.
    pub views: &'a [crate::UnresolvedView],
}

/// Adds every standalone item to `schema`, reporting all their mistakes
/// together. `enums` are the enums the tables were resolved with.
pub fn add_standalone(
    schema: &mut Schema,
    items: Standalone<'_>,
    enums: &[UnresolvedEnum],
) -> Result<(), ResolveErrors> {
    let mut errors = Vec::new();
    let results = [
        add_roles(schema, items.roles),
        add_extensions(schema, items.extensions),
        sequences::add_sequences(schema, items.sequences),
        views::add_views(schema, items.views, enums),
    ];
    for result in results {
        if let Err(e) = result {
            errors.extend(e.0);
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ResolveErrors(errors))
    }
}

/// Adds the declared extensions, each once: one declared twice is an error
/// naming both structs (its schema or version would be ambiguous).
pub fn add_extensions(
    schema: &mut Schema,
    extensions: &[crate::UnresolvedExtension],
) -> Result<(), ResolveErrors> {
    let mut errors = Vec::new();
    let mut first: HashMap<&str, usize> = HashMap::new();
    for (i, e) in extensions.iter().enumerate() {
        if let Some(&f) = first.get(e.extension.name.as_str()) {
            errors.push(ResolveError {
                item: ItemRef::Extension(i),
                loc: e.loc,
                message: format!(
                    "extension \"{}\" is declared twice (by `{}` and `{}`)",
                    e.extension.name, extensions[f].rust_name, e.rust_name
                ),
                other: Some((ItemRef::Extension(f), extensions[f].loc)),
            });
        } else {
            first.insert(&e.extension.name, i);
            schema.extensions.push(e.extension.clone());
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ResolveErrors(errors))
    }
}

/// The mistakes in one table that need no other item: names it claims twice
/// (two indexes called `ix`, an index named like the table, a unique and a
/// check of one name). The derive sees one struct at a time and reports
/// these at compile time; the resolver finds the same ones, and those
/// between items, when the whole schema is known.
pub fn lone_table_errors(t: &UnresolvedTable) -> Vec<(Loc, String)> {
    let tables = std::slice::from_ref(t);
    let ctx = Ctx {
        origin: Origin::Sources,
        tables,
        enums: &[],
        by_rust_name: HashMap::from([(t.rust_name.as_str(), 0)]),
        enum_by_rust_name: HashMap::new(),
    };
    // References and enum types need the other items: not this check's business.
    let mut needs_others = Vec::new();
    let (def, locs) = ctx.table(0, t, &mut needs_others);
    let mut schema = Schema::default();
    schema.tables.push(def);
    naming::resolve_name_collisions(&mut schema);
    let mut errors = Vec::new();
    namespaces::check(&[(&schema.tables[0], &locs)], &[], &mut errors);
    errors.into_iter().map(|e| (e.loc, e.message)).collect()
}

/// The doc comments of a table's or view's fields.
pub(crate) fn column_comments(
    schema: &str,
    table: &str,
    columns: &[crate::unresolved::UnresolvedColumn],
) -> Vec<CommentDef> {
    columns
        .iter()
        .filter_map(|c| {
            Some(CommentDef {
                on: CommentOn::Column {
                    schema: schema.to_string(),
                    table: table.to_string(),
                    column: c.name.clone(),
                },
                text: c.comment.clone()?,
            })
        })
        .collect()
}

/// An identity column's sequence as drizzle-kit spells it out: named
/// `<table>_<column>_seq`, its numbers as [`sequences::options`] fills them in.
fn identity(spec: &IdentitySpec, t: &UnresolvedTable, column: &str, sql_type: &str) -> Identity {
    Identity {
        kind: spec.kind,
        name: spec
            .name
            .clone()
            .unwrap_or_else(|| naming::truncate_identifier(&format!("{}_{column}_seq", t.name))),
        schema: t.schema.clone(),
        options: sequences::options(&spec.numbers, sql_type),
    }
}

fn add_schema(schemas: &mut Vec<String>, schema: &str) {
    if schema != "public" && !schemas.iter().any(|s| s == schema) {
        schemas.push(schema.to_string());
    }
}

struct Ctx<'a> {
    origin: Origin,
    tables: &'a [UnresolvedTable],
    enums: &'a [UnresolvedEnum],
    by_rust_name: HashMap<&'a str, usize>,
    enum_by_rust_name: HashMap<&'a str, usize>,
}

impl Ctx<'_> {
    fn table(
        &self,
        i: usize,
        t: &UnresolvedTable,
        errors: &mut Vec<ResolveError>,
    ) -> (TableDef, TableLocs) {
        let err = |loc: Loc, message: String| ResolveError {
            item: ItemRef::Table(i),
            loc,
            message,
            other: None,
        };
        let sql_of = |field: &str| -> String {
            t.column_by_field(field)
                .map(|c| c.name.clone())
                .unwrap_or_else(|| field.to_string())
        };
        let sql_names =
            |fields: &[String]| -> Vec<String> { fields.iter().map(|f| sql_of(f)).collect() };

        let mut def = TableDef {
            renamed_from: t.renamed_from.clone(),
            rls: t.rls,
            force_rls: t.force_rls,
            policies: t.policies.clone(),
            ..TableDef::empty(&t.schema, &t.name)
        };
        let mut locs = TableLocs {
            item: ItemRef::Table(i),
            table: t.loc,
            primary_key: t.loc,
            columns: t.columns.iter().map(|c| c.loc).collect(),
            uniques: Vec::new(),
            foreign_keys: Vec::new(),
            indexes: Vec::new(),
            checks: Vec::new(),
        };
        if let Some(c) = t.columns.iter().find(|c| c.primary_key) {
            locs.primary_key = c.loc;
        }

        for c in &t.columns {
            let (sql_type, type_schema) = match &c.ty {
                TypeSpec::Builtin(s) | TypeSpec::Sql(s) => (s.clone(), None),
                TypeSpec::Enum { rust_name, dims } => {
                    match self.enum_by_rust_name.get(rust_name.as_str()) {
                        Some(&e) => {
                            let e = &self.enums[e];
                            if let Some(DefaultValue::Sql(lit)) = &c.default {
                                if *dims == 0
                                    && !e.values.iter().any(|v| naming::quote_literal(v) == *lit)
                                {
                                    errors.push(err(
                                        c.loc,
                                        format!(
                                            "default {lit} of `{}.{}` is not a value of enum `{}` ({})",
                                            t.rust_name,
                                            c.field,
                                            e.rust_name,
                                            e.values.join(", ")
                                        ),
                                    ));
                                }
                            }
                            (
                                format!("{}{}", e.name, "[]".repeat(*dims)),
                                Some(e.schema.clone()),
                            )
                        }
                        None => {
                            let message = match self.origin {
                                Origin::Sources => format!(
                                    "unknown type `{rust_name}` of `{}.{}`: derive PgEnum for {rust_name} or add #[column(type = \"...\")]",
                                    t.rust_name, c.field
                                ),
                                Origin::Registered => format!(
                                    "unknown type `{rust_name}` of `{}.{}`: no registered PgEnum is named `{rust_name}`: add `.pg_enum::<{rust_name}>()`, or #[column(type = \"...\")] to the field",
                                    t.rust_name, c.field
                                ),
                            };
                            errors.push(err(c.ty_loc, message));
                            (rust_name.clone(), None)
                        }
                    }
                }
            };
            let identity = c
                .identity
                .as_ref()
                .map(|spec| identity(spec, t, &c.name, &sql_type));
            def.columns.push(ColumnDef {
                name: c.name.clone(),
                sql_type,
                type_schema,
                primary_key: c.primary_key,
                not_null: c.primary_key || !c.nullable,
                default: c.default.clone(),
                identity,
                generated: c.generated.clone(),
                renamed_from: c.renamed_from.clone(),
            });
        }

        if let Some(pk) = &t.primary_key {
            locs.primary_key = pk.loc;
            let columns = sql_names(&pk.fields);
            def.primary_key = Some(PrimaryKey {
                name: pk
                    .name
                    .clone()
                    .unwrap_or_else(|| naming::primary_key_name(&t.name, &columns)),
                columns,
            });
        }

        // drizzle-kit lists column-level uniques first, then the table's.
        for c in &t.columns {
            if let Some(u) = &c.unique {
                locs.uniques.push(c.loc);
                let columns = vec![c.name.clone()];
                def.uniques.push(Unique {
                    name: u
                        .name
                        .clone()
                        .unwrap_or_else(|| naming::unique_name(&t.name, &columns)),
                    columns,
                    nulls_not_distinct: u.nulls_not_distinct,
                });
            }
        }
        for u in &t.uniques {
            locs.uniques.push(u.loc);
            let columns = sql_names(&u.fields);
            def.uniques.push(Unique {
                name: u
                    .name
                    .clone()
                    .unwrap_or_else(|| naming::unique_name(&t.name, &columns)),
                columns,
                nulls_not_distinct: u.nulls_not_distinct,
            });
        }

        let column_fks = t.columns.iter().filter_map(|c| {
            c.references.as_ref().map(|r| {
                (
                    None,
                    vec![c.name.clone()],
                    r.table.as_str(),
                    vec![r.field.clone()],
                    r.on_delete,
                    r.on_update,
                    r.loc,
                    vec![r.field_loc],
                )
            })
        });
        let table_fks = t.foreign_keys.iter().map(|fk| {
            (
                fk.name.clone(),
                sql_names(&fk.fields),
                fk.ref_table.as_str(),
                fk.ref_fields.clone(),
                fk.on_delete,
                fk.on_update,
                fk.loc,
                fk.ref_field_locs.clone(),
            )
        });
        for (name, columns, ref_struct, ref_fields, on_delete, on_update, loc, field_locs) in
            column_fks.chain(table_fks)
        {
            let Some(&target) = self.by_rust_name.get(ref_struct) else {
                let message = match self.origin {
                    Origin::Sources => format!(
                        "`{}` references `{ref_struct}`, which is not a loaded #[derive(Table)] struct",
                        t.rust_name
                    ),
                    Origin::Registered => format!(
                        "table `{}` references `{ref_struct}`, which is not registered: add `.table::<{ref_struct}>()`",
                        t.name
                    ),
                };
                errors.push(err(loc, message));
                continue;
            };
            let target = &self.tables[target];
            let mut ref_columns = Vec::new();
            for (i, f) in ref_fields.iter().enumerate() {
                match target.column_by_field(f) {
                    Some(col) => ref_columns.push(col.name.clone()),
                    None => errors.push(err(
                        field_locs.get(i).copied().unwrap_or(loc),
                        format!(
                            "no field `{f}` on `{ref_struct}`: `{}` references a column that does not exist",
                            t.rust_name
                        ),
                    )),
                }
            }
            locs.foreign_keys.push(loc);
            def.foreign_keys.push(ForeignKey {
                name: name.unwrap_or_else(|| {
                    naming::foreign_key_name(&t.name, &columns, &target.name, &ref_columns)
                }),
                columns,
                ref_schema: target.schema.clone(),
                ref_table: target.name.clone(),
                ref_columns,
                on_delete: on_delete.unwrap_or(FkAction::NoAction),
                on_update: on_update.unwrap_or(FkAction::NoAction),
            });
        }

        for ix in &t.indexes {
            locs.indexes.push(ix.loc);
            let columns: Vec<IndexColumn> = ix
                .columns
                .iter()
                .map(|c| {
                    let (expression, is_expression) = match &c.target {
                        IndexTarget::Field(f) => (sql_of(f), false),
                        IndexTarget::Expr(e) => (e.clone(), true),
                    };
                    IndexColumn {
                        expression,
                        is_expression,
                        asc: c.asc,
                        nulls_first: c.nulls_first,
                        opclass: c.opclass.clone(),
                    }
                })
                .collect();
            let name = ix.name.clone().unwrap_or_else(|| {
                let names: Vec<String> = columns.iter().map(|c| c.expression.clone()).collect();
                naming::index_name(&t.name, &names)
            });
            def.indexes.push(IndexDef {
                name,
                columns,
                unique: ix.unique,
                concurrently: ix.concurrently,
                method: ix.method.clone().unwrap_or_else(|| "btree".to_string()),
                where_clause: ix.where_clause.clone(),
                with: ix.with.clone(),
            });
        }
        for c in &t.checks {
            locs.checks.push(c.loc);
            def.checks.push(Check {
                name: c.name.clone(),
                expr: c.expr.clone(),
            });
        }
        (def, locs)
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;
    use crate::parse::{parse_enum, parse_table};

    fn t(tokens: proc_macro2::TokenStream) -> UnresolvedTable {
        parse_table(&syn::parse2(tokens).unwrap())
            .unwrap_or_else(|e| panic!("{:?}", e.located()))
            .table
    }

    #[test]
    fn references_resolve_to_sql_names_with_drizzle_default_names() {
        let user = t(
            quote! { #[table(name = "app_user")] struct User { #[column(primary_key, name = "uid")] id: String } },
        );
        let post = t(quote! {
            #[table(unique(columns(title, owner)))]
            struct BlogPost {
                #[column(primary_key)] id: i32,
                #[column(unique)] slug: String,
                title: String,
                #[column(references(User, id))] owner: String,
            }
        });
        let schema = resolve(&[user, post], &[]).unwrap();
        let post = schema.table("public", "blog_post").unwrap();
        let fk = &post.foreign_keys[0];
        assert_eq!(fk.name, "blog_post_owner_app_user_uid_fk");
        assert_eq!(
            (fk.ref_table.as_str(), fk.ref_columns.as_slice()),
            ("app_user", &["uid".to_string()][..])
        );
        assert_eq!(
            (fk.on_delete, fk.on_update),
            (FkAction::NoAction, FkAction::NoAction)
        );
        let uniques: Vec<_> = post.uniques.iter().map(|u| u.name.as_str()).collect();
        assert_eq!(
            uniques,
            ["blog_post_slug_unique", "blog_post_title_owner_unique"]
        );
        assert!(post.columns[0].not_null && post.columns[0].primary_key);
    }

    #[test]
    fn enums_resolve_and_unknown_types_are_reported() {
        let mood = parse_enum(
            &syn::parse2(quote! { #[pg_enum(schema = "app")] enum Mood { Sad, Happy } }).unwrap(),
        )
        .unwrap();
        let table = t(
            quote! { struct Diary { #[column(primary_key)] id: i32, mood: Mood, moods: Vec<Mood>, colour: Colour } },
        );
        let errors =
            resolve(std::slice::from_ref(&table), std::slice::from_ref(&mood)).unwrap_err();
        assert_eq!(errors.0.len(), 1);
        assert!(
            errors.0[0].message.contains("unknown type `Colour`"),
            "{}",
            errors
        );
        assert!(
            errors.0[0].message.contains("derive PgEnum for Colour"),
            "{}",
            errors
        );

        let table = t(
            quote! { struct Diary { #[column(primary_key)] id: i32, mood: Mood, moods: Vec<Mood> } },
        );
        let schema = resolve(&[table], &[mood]).unwrap();
        assert_eq!(schema.schemas, ["app"]);
        let diary = &schema.tables[0];
        assert_eq!(
            (
                diary.columns[1].sql_type.as_str(),
                diary.columns[1].type_schema.as_deref()
            ),
            ("mood", Some("app"))
        );
        assert_eq!(diary.columns[2].sql_type, "mood[]");
    }

    #[test]
    fn enum_default_must_be_a_variant() {
        let mood = parse_enum(&syn::parse2(quote! { enum Mood { Sad, Happy } }).unwrap()).unwrap();
        let table = t(quote! { struct Diary { #[column(default = "angry")] mood: Mood } });
        let errors = resolve(&[table], &[mood]).unwrap_err();
        assert!(
            errors.0[0].message.contains("not a value of enum `Mood`"),
            "{errors}"
        );
    }

    #[test]
    fn duplicates_and_unknown_references_are_reported_with_both_places() {
        let a = t(quote! { struct A { #[column(references(Missing, id))] x: i32 } });
        let b = t(quote! { #[table(name = "a")] struct B { y: i32 } });
        let a2 = t(quote! { struct A { z: i32 } });
        let errors = resolve(&[a, b, a2], &[]).unwrap_err();
        let text = errors.to_string();
        assert!(text.contains("duplicate struct name `A`"), "{text}");
        assert!(
            text.contains("table \"public\".\"a\" is declared twice"),
            "{text}"
        );
        assert!(text.contains("references `Missing`"), "{text}");
        assert!(errors.0.iter().filter(|e| e.other.is_some()).count() >= 2);
    }

    #[test]
    fn registered_input_names_the_missing_registration() {
        let seat = t(
            quote! { struct Seat { #[column(references(Team, id))] team_id: i32, colour: Colour } },
        );
        let errors = resolve_registered(std::slice::from_ref(&seat), &[], &[]).unwrap_err();
        let messages: Vec<_> = errors.0.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "unknown type `Colour` of `Seat.colour`: no registered PgEnum is named `Colour`: add `.pg_enum::<Colour>()`, or #[column(type = \"...\")] to the field",
                "table `seat` references `Team`, which is not registered: add `.table::<Team>()`",
            ]
        );
        // The same input read from sources keeps the CLI's wording.
        let text = resolve(&[seat], &[]).unwrap_err().to_string();
        assert!(
            text.contains("which is not a loaded #[derive(Table)] struct"),
            "{text}"
        );
        assert!(text.contains("derive PgEnum for Colour"), "{text}");
    }

    fn messages(tables: &[UnresolvedTable], enums: &[UnresolvedEnum]) -> Vec<String> {
        match resolve(tables, enums) {
            Ok(_) => Vec::new(),
            Err(errors) => errors.0.into_iter().map(|e| e.message).collect(),
        }
    }

    #[test]
    fn two_indexes_of_one_name_collide_across_tables() {
        let a = t(quote! { #[table(index(name = "ix", columns(x)))] struct A { x: i32 } });
        let b = t(quote! { #[table(index(name = "ix", columns(y)))] struct B { y: i32 } });
        let errors = resolve(&[a, b], &[]).unwrap_err();
        assert_eq!(errors.0.len(), 1, "{errors}");
        let e = &errors.0[0];
        assert!(
            e.message.starts_with(
                "index \"ix\" of table \"b\" has the same name as index \"ix\" of table \"a\": PostgreSQL keeps one relation of a name per schema"
            ),
            "{errors}"
        );
        assert_eq!(e.item, ItemRef::Table(1));
        assert_eq!(e.other.map(|(item, _)| item), Some(ItemRef::Table(0)));
    }

    #[test]
    fn an_index_named_like_a_table_or_a_key_collides() {
        let user = t(quote! { struct User { #[column(primary_key)] id: i32 } });
        let post = t(quote! {
            #[table(index(name = "user", columns(x)), index(name = "user_pkey", columns(x)))]
            struct Post { x: i32 }
        });
        let found = messages(&[user, post], &[]);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found[0].starts_with(
                "index \"user\" of table \"post\" has the same name as table \"user\""
            ),
            "{found:?}"
        );
        assert!(
            found[1].contains("as primary key \"user_pkey\" of table \"user\" (its default name)"),
            "{found:?}"
        );
    }

    #[test]
    fn a_unique_and_a_check_of_one_name_collide_in_one_table_only() {
        let a = t(quote! {
            #[table(unique(name = "c", columns(x)), check(name = "c", expr = "x > 0"))]
            struct A { x: i32 }
        });
        let found = messages(std::slice::from_ref(&a), &[]);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("check \"c\" of table \"a\" has the same name as unique constraint \"c\" of table \"a\": PostgreSQL keeps one constraint of a name per table"), "{found:?}");
        // Checks of one name on two tables are fine: constraints are per table.
        let b = t(quote! { #[table(check(name = "c", expr = "y > 0"))] struct B { y: i32 } });
        let a = t(quote! { #[table(check(name = "c", expr = "x > 0"))] struct A { x: i32 } });
        assert_eq!(messages(&[a, b], &[]), Vec::<String>::new());
    }

    #[test]
    fn default_names_that_collide_are_errors_and_cut_ones_are_hashed() {
        let a = t(quote! {
            #[table(index(columns(x)), index(columns(x), method = "hash"))]
            struct A { x: i32 }
        });
        let found = messages(&[a], &[]);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("index \"a_x_index\" of table \"a\" (its default name) has the same name as index \"a_x_index\""), "{found:?}");
        assert!(
            found[0].contains("give one of them a name of its own"),
            "{found:?}"
        );
        // A default that names another table.
        let a = t(quote! { struct A { #[column(unique)] x: i32 } });
        let b = t(quote! { #[table(name = "a_x_unique")] struct B { y: i32 } });
        let found = messages(&[b, a], &[]);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("unique constraint \"a_x_unique\" of table \"a\" (its default name) has the same name as table \"a_x_unique\""), "{found:?}");
        // Two long defaults PostgreSQL would cut to one name stay apart.
        let long = t(quote! {
            struct L {
                #[column(unique)] a_really_long_column_name_that_keeps_going_and_going_and_goin_1: i32,
                #[column(unique)] a_really_long_column_name_that_keeps_going_and_going_and_goin_2: i32,
            }
        });
        assert_eq!(messages(&[long], &[]), Vec::<String>::new());
    }

    #[test]
    fn an_enum_named_like_a_table_collides_as_a_type() {
        let mood = parse_enum(&syn::parse2(quote! { enum Mood { Sad } }).unwrap()).unwrap();
        let table = t(quote! { #[table(name = "mood")] struct Feeling { x: i32 } });
        let found = messages(&[table], &[mood]);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("table \"mood\" has the same name as enum \"mood\": PostgreSQL keeps one type of a name per schema"), "{found:?}");
    }

    #[test]
    fn a_lone_table_reports_its_own_collisions_at_their_places() {
        // Parsed from text, so every item has a place of its own.
        let text = "#[table(index(name = \"ix\", columns(x)),\n        index(name = \"ix\", columns(y)))]\nstruct A { #[column(references(Other, id))] x: i32, y: Mood }";
        let a = parse_table(&syn::parse_str(text).unwrap()).unwrap().table;
        assert_eq!(a.indexes[1].loc, Loc { line: 2, column: 9 });
        let found = lone_table_errors(&a);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, a.indexes[1].loc);
        assert!(
            found[0]
                .1
                .starts_with("index \"ix\" of table \"a\" has the same name as index \"ix\""),
            "{found:?}"
        );
    }
}
