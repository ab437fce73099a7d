//! SQL rendering: one module per kind of object, each statement's text as
//! drizzle-kit 0.31 writes it for the same change — except where drizzle-kit's
//! text fails on PostgreSQL, which each renderer notes. Every identifier goes
//! through [`vitaes_schema_core::naming::quote_ident`].

pub mod blocks;
mod columns;
mod comments;
mod constraints;
mod enums;
mod extensions;
mod indexes;
mod policies;
mod renames;
mod roles;
mod schemas;
mod sequences;
mod tables;
mod views;

use vitaes_schema_core::naming::quote_ident;

use crate::diff::{Change, Plan, TableRef};

pub use tables::column_type;

/// drizzle-kit's separator between statements in a migration file.
pub const BREAKPOINT: &str = "--> statement-breakpoint\n";

/// The statements of a plan, in the plan's order.
pub fn render(plan: &Plan) -> Vec<String> {
    plan.changes.iter().flat_map(render_change).collect()
}

/// The statements of a plan for a migration file: each change's hazards, if
/// any, as an SQL comment above its first statement.
pub fn render_with_hazards(plan: &Plan) -> Vec<String> {
    plan.changes
        .iter()
        .zip(plan.hazards())
        .flat_map(|(change, hazards)| {
            let mut statements = render_change(change);
            if let (false, Some(first)) = (hazards.is_empty(), statements.first_mut()) {
                let names: Vec<&str> = hazards.iter().map(|h| h.as_str()).collect();
                *first = format!("-- hazard: {}\n{first}", names.join(", "));
            }
            statements
        })
        .collect()
}

/// The statements of one change (an enum rebuild or a type change may take several).
pub fn render_change(change: &Change) -> Vec<String> {
    use Change::*;
    match change {
        CreateSchema(name) => vec![schemas::create(name)],
        DropSchema(name) => vec![schemas::drop(name)],
        CreateEnum(e) => vec![enums::create(e)],
        DropEnum(e) => vec![enums::drop(e)],
        AddEnumValue {
            enum_def,
            value,
            before,
        } => vec![enums::add_value(enum_def, value, before.as_deref())],
        RebuildEnum { new, columns, .. } => enums::rebuild(new, columns),
        RenameEnum { schema, from, to } => vec![renames::enum_rename(schema, from, to)],
        MoveEnum { name, from, to } => vec![renames::enum_move(name, from, to)],
        MoveTable { name, from, to } => vec![renames::table_move(name, from, to)],
        RenameTable { table, to } => vec![renames::table(table, to)],
        RenameColumn { table, from, to } => vec![renames::column(table, from, to)],
        RenameConstraint { table, from, to } => vec![renames::constraint(table, from, to)],
        RenameIndex { schema, from, to } => vec![renames::index(schema, from, to)],
        RenameSequence { schema, from, to } => vec![renames::sequence(schema, from, to)],
        CreateTable(t) => vec![tables::create(t)],
        DropTable(t) => vec![tables::drop(t)],
        AddColumn { table, column } => vec![columns::add(table, column)],
        DropColumn { table, column } => vec![columns::drop(table, column)],
        AlterColumnType {
            table,
            from,
            to,
            from_enum,
            to_enum,
        } => columns::set_type(table, from, to, *from_enum, *to_enum),
        SetDefault {
            table,
            column,
            default,
        } => vec![columns::set_default(table, column, &default.to_sql())],
        DropDefault { table, column } => vec![columns::alter(table, column, "DROP DEFAULT")],
        SetNotNull { table, column } => vec![columns::alter(table, column, "SET NOT NULL")],
        DropNotNull { table, column } => vec![columns::alter(table, column, "DROP NOT NULL")],
        AddIdentity {
            table,
            column,
            identity,
        } => vec![columns::add_identity(table, column, identity)],
        DropIdentity { table, column } => vec![columns::alter(table, column, "DROP IDENTITY")],
        AlterIdentity {
            table,
            column,
            from,
            to,
        } => columns::alter_identity(table, column, from, to),
        SetGenerated { table, column } => columns::set_generated(table, column),
        DropGenerated { table, column } => vec![columns::alter(table, column, "DROP EXPRESSION")],
        AddColumnPrimaryKey { table, column } => {
            vec![constraints::add_column_primary_key(table, column)]
        }
        AddPrimaryKey { table, pk } => vec![constraints::add_primary_key(table, pk)],
        DropPrimaryKey { table, name } => vec![constraints::drop(table, name)],
        AlterPrimaryKey {
            table,
            old_name,
            pk,
        } => vec![constraints::alter_primary_key(table, old_name, pk)],
        AddUnique { table, unique } => vec![constraints::add_unique(table, unique)],
        DropUnique { table, name } | DropCheck { table, name } => {
            vec![constraints::drop(table, name)]
        }
        AddCheck { table, check } => vec![constraints::add_check(table, check)],
        AddForeignKey { table, fk } => vec![constraints::add_foreign_key(table, fk)],
        DropForeignKey { table, name } => vec![constraints::drop_foreign_key(table, name)],
        CreateIndex { table, index } => vec![indexes::create(table, index)],
        DropIndex { table, name } => vec![indexes::drop(table, name)],
        EnableRls(table) => vec![policies::switch(table, true)],
        DisableRls(table) => vec![policies::switch(table, false)],
        ForceRls { table, force } => vec![policies::force(table, *force)],
        CreatePolicy { table, policy } => vec![policies::create(table, policy)],
        DropPolicy { table, name } => vec![policies::drop(table, name)],
        AlterPolicy { table, from, to } => vec![policies::alter(table, from, to)],
        RenamePolicy { table, from, to } => vec![policies::rename(table, from, to)],
        CreateRole(role) => vec![roles::create(role)],
        AlterRole { to, .. } => vec![roles::alter(to)],
        DropRole(name) => vec![roles::drop(name)],
        CreateExtension(e) => vec![extensions::create(e)],
        MoveExtension { name, schema } => vec![extensions::move_to(name, schema)],
        UpdateExtension { name, version } => vec![extensions::update(name, version)],
        DropExtension(e) => vec![extensions::drop(&e.name)],
        CreateSequence(q) => vec![sequences::create(q)],
        AlterSequence { from, to } => vec![sequences::alter(from, to)],
        DropSequence(q) => vec![sequences::drop(q)],
        CreateView(v) => vec![views::create(v)],
        AlterView { from, to } => views::alter(from, to),
        DropView { view, .. } => vec![views::drop(view)],
        SetComment { on, text } => vec![comments::set(on, text.as_deref())],
    }
}

/// A migration file's text: statements joined by the breakpoint marker
/// (CREATE TABLE and CREATE SCHEMA texts end in a newline, the others do not,
/// exactly as drizzle-kit writes them).
pub fn migration_file(statements: &[String]) -> String {
    statements.join(BREAKPOINT)
}

/// `"schema"."name"`, with the schema left out for `public` as drizzle-kit does
/// for tables.
pub(crate) fn table_ref(schema: &str, name: &str) -> String {
    if schema == "public" {
        quote_ident(name)
    } else {
        format!("{}.{}", quote_ident(schema), quote_ident(name))
    }
}

pub(crate) fn table_sql(t: &TableRef) -> String {
    table_ref(&t.schema, &t.name)
}

/// A quoted, comma-separated column list without spaces: `"a","b"`.
pub(crate) fn column_list(columns: &[String]) -> String {
    columns
        .iter()
        .map(|c| quote_ident(c))
        .collect::<Vec<_>>()
        .join(",")
}
