//! What a plan is made of: one [`Change`] per statement (or per fixed group
//! of statements, such as an enum rebuild), carrying what the SQL renderer
//! needs and nothing it must look up.

use vitaes_schema_core::{
    Check, ColumnDef, DefaultValue, EnumDef, ForeignKey, Identity, IndexDef, PrimaryKey, TableDef,
    Unique,
};

/// A table's qualified name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TableRef {
    pub schema: String,
    pub name: String,
}

impl TableRef {
    pub fn of(t: &TableDef) -> TableRef {
        TableRef {
            schema: t.schema.clone(),
            name: t.name.clone(),
        }
    }
}

impl std::fmt::Display for TableRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "\"{}\".\"{}\"", self.schema, self.name)
    }
}

/// A column of an enum being rebuilt: converted to text before the type is
/// re-created and back after.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumColumn {
    pub table: TableRef,
    pub column: String,
    /// Array dimensions (`mood[]` is 1).
    pub dims: usize,
    /// The default the column has while the type is rebuilt, if any.
    pub default: Option<DefaultValue>,
    /// The column has a default before the plan: without `default` it is
    /// dropped first, since it holds on to the old type.
    pub had_default: bool,
    /// `false` for a column that stops using the enum in this plan (dropped,
    /// or changing type): it is only converted to text.
    pub convert_back: bool,
}

#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)] // plans are short; boxing would only add noise
pub enum Change {
    CreateSchema(String),
    DropSchema(String),
    CreateEnum(EnumDef),
    DropEnum(EnumDef),
    /// `ALTER TYPE ... ADD VALUE 'v' [BEFORE 'w']`.
    AddEnumValue {
        enum_def: EnumDef,
        value: String,
        before: Option<String>,
    },
    /// Values removed or reordered: through text and back.
    RebuildEnum {
        new: EnumDef,
        /// Values the enum loses (empty for a reorder).
        removed: Vec<String>,
        columns: Vec<EnumColumn>,
    },
    RenameEnum {
        schema: String,
        from: String,
        to: String,
    },
    MoveEnum {
        name: String,
        from: String,
        to: String,
    },
    CreateTable(TableDef),
    DropTable(TableRef),
    /// `ALTER TABLE "from"."t" SET SCHEMA "to"`.
    MoveTable {
        name: String,
        from: String,
        to: String,
    },
    RenameTable {
        table: TableRef,
        to: String,
    },
    RenameColumn {
        table: TableRef,
        from: String,
        to: String,
    },
    RenameConstraint {
        table: TableRef,
        from: String,
        to: String,
    },
    RenameIndex {
        schema: String,
        from: String,
        to: String,
    },
    RenameSequence {
        schema: String,
        from: String,
        to: String,
    },
    AddColumn {
        table: TableRef,
        column: ColumnDef,
    },
    DropColumn {
        table: TableRef,
        column: String,
    },
    AlterColumnType {
        table: TableRef,
        from: ColumnDef,
        to: ColumnDef,
        from_enum: bool,
        to_enum: bool,
    },
    SetDefault {
        table: TableRef,
        column: String,
        default: DefaultValue,
    },
    DropDefault {
        table: TableRef,
        column: String,
    },
    SetNotNull {
        table: TableRef,
        column: String,
    },
    DropNotNull {
        table: TableRef,
        column: String,
    },
    AddIdentity {
        table: TableRef,
        column: String,
        identity: Identity,
    },
    DropIdentity {
        table: TableRef,
        column: String,
    },
    AlterIdentity {
        table: TableRef,
        column: String,
        from: Identity,
        to: Identity,
    },
    /// A column becomes generated, or its expression changes: PostgreSQL 15
    /// cannot alter it in place, so it is dropped and added again.
    SetGenerated {
        table: TableRef,
        column: ColumnDef,
    },
    DropGenerated {
        table: TableRef,
        column: String,
    },
    /// A column-level key (`ADD PRIMARY KEY ("c")`).
    AddColumnPrimaryKey {
        table: TableRef,
        column: String,
    },
    AddPrimaryKey {
        table: TableRef,
        pk: PrimaryKey,
    },
    /// Drops a primary key by its stored name (`<table>_pkey` for a column-level key).
    DropPrimaryKey {
        table: TableRef,
        name: String,
    },
    /// A composite key keeping its name with other columns.
    AlterPrimaryKey {
        table: TableRef,
        old_name: String,
        pk: PrimaryKey,
    },
    AddUnique {
        table: TableRef,
        unique: Unique,
    },
    DropUnique {
        table: TableRef,
        name: String,
    },
    AddCheck {
        table: TableRef,
        check: Check,
    },
    DropCheck {
        table: TableRef,
        name: String,
    },
    AddForeignKey {
        table: TableRef,
        fk: ForeignKey,
    },
    DropForeignKey {
        table: TableRef,
        name: String,
    },
    CreateIndex {
        table: TableRef,
        index: IndexDef,
    },
    DropIndex {
        table: TableRef,
        name: String,
    },
}

/// The changes that turn one schema into another, in an order that applies.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plan {
    pub changes: Vec<Change>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The tables this plan creates: their keys, indexes and checks are part
    /// of creating them (no rows to lock, count or describe apart).
    pub fn created_tables(&self) -> std::collections::HashSet<TableRef> {
        self.changes
            .iter()
            .filter_map(|c| match c {
                Change::CreateTable(t) => Some(TableRef::of(t)),
                _ => None,
            })
            .collect()
    }
}

impl Change {
    /// The change's kind in snake_case (`drop_table`, `add_column`), as `--json` reports it.
    pub fn kind(&self) -> &'static str {
        use Change::*;
        match self {
            CreateSchema(_) => "create_schema",
            DropSchema(_) => "drop_schema",
            CreateEnum(_) => "create_enum",
            DropEnum(_) => "drop_enum",
            AddEnumValue { .. } => "add_enum_value",
            RebuildEnum { .. } => "rebuild_enum",
            RenameEnum { .. } => "rename_enum",
            MoveEnum { .. } => "move_enum",
            CreateTable(_) => "create_table",
            DropTable(_) => "drop_table",
            MoveTable { .. } => "move_table",
            RenameTable { .. } => "rename_table",
            RenameColumn { .. } => "rename_column",
            RenameConstraint { .. } => "rename_constraint",
            RenameIndex { .. } => "rename_index",
            RenameSequence { .. } => "rename_sequence",
            AddColumn { .. } => "add_column",
            DropColumn { .. } => "drop_column",
            AlterColumnType { .. } => "alter_column_type",
            SetDefault { .. } => "set_default",
            DropDefault { .. } => "drop_default",
            SetNotNull { .. } => "set_not_null",
            DropNotNull { .. } => "drop_not_null",
            AddIdentity { .. } => "add_identity",
            DropIdentity { .. } => "drop_identity",
            AlterIdentity { .. } => "alter_identity",
            SetGenerated { .. } => "set_generated",
            DropGenerated { .. } => "drop_generated",
            AddColumnPrimaryKey { .. } | AddPrimaryKey { .. } => "add_primary_key",
            DropPrimaryKey { .. } => "drop_primary_key",
            AlterPrimaryKey { .. } => "alter_primary_key",
            AddUnique { .. } => "add_unique",
            DropUnique { .. } => "drop_unique",
            AddCheck { .. } => "add_check",
            DropCheck { .. } => "drop_check",
            AddForeignKey { .. } => "add_foreign_key",
            DropForeignKey { .. } => "drop_foreign_key",
            CreateIndex { .. } => "create_index",
            DropIndex { .. } => "drop_index",
        }
    }

    /// The object changed, qualified: `public.users`, `public.users.email`,
    /// `public.users.users_email_unique`.
    pub fn object(&self) -> String {
        use Change::*;
        let t = |t: &TableRef| format!("{}.{}", t.schema, t.name);
        let in_table =
            |table: &TableRef, name: &str| format!("{}.{}.{name}", table.schema, table.name);
        match self {
            CreateSchema(s) | DropSchema(s) => s.clone(),
            CreateEnum(e) | DropEnum(e) => format!("{}.{}", e.schema, e.name),
            AddEnumValue { enum_def, .. } => format!("{}.{}", enum_def.schema, enum_def.name),
            RebuildEnum { new, .. } => format!("{}.{}", new.schema, new.name),
            RenameEnum { schema, from, .. } => format!("{schema}.{from}"),
            MoveEnum { name, from, .. } | MoveTable { name, from, .. } => format!("{from}.{name}"),
            CreateTable(def) => format!("{}.{}", def.schema, def.name),
            DropTable(table) | RenameTable { table, .. } => t(table),
            RenameIndex { schema, from, .. } | RenameSequence { schema, from, .. } => {
                format!("{schema}.{from}")
            }
            AddColumn { table, column } => in_table(table, &column.name),
            AlterColumnType { table, to, .. } => in_table(table, &to.name),
            SetGenerated { table, column } => in_table(table, &column.name),
            RenameColumn { table, from, .. } | RenameConstraint { table, from, .. } => {
                in_table(table, from)
            }
            DropColumn { table, column }
            | SetDefault { table, column, .. }
            | DropDefault { table, column }
            | SetNotNull { table, column }
            | DropNotNull { table, column }
            | AddIdentity { table, column, .. }
            | DropIdentity { table, column }
            | AlterIdentity { table, column, .. }
            | DropGenerated { table, column }
            | AddColumnPrimaryKey { table, column } => in_table(table, column),
            AddPrimaryKey { table, pk } | AlterPrimaryKey { table, pk, .. } => {
                in_table(table, &pk.name)
            }
            AddUnique { table, unique } => in_table(table, &unique.name),
            AddCheck { table, check } => in_table(table, &check.name),
            AddForeignKey { table, fk } => in_table(table, &fk.name),
            CreateIndex { table, index } => in_table(table, &index.name),
            DropPrimaryKey { table, name }
            | DropUnique { table, name }
            | DropCheck { table, name }
            | DropForeignKey { table, name }
            | DropIndex { table, name } => in_table(table, name),
        }
    }
}
