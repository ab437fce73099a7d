//! What a plan is made of: one [`Change`] per statement (or per fixed group
//! of statements, such as an enum rebuild), carrying what the SQL renderer
//! needs and nothing it must look up.

use vitaes_schema_core::{
    Check, ColumnDef, CommentOn, DefaultValue, EnumDef, ExtensionDef, ForeignKey, Identity,
    IndexDef, PolicyDef, PrimaryKey, RoleDef, SequenceDef, TableDef, Unique, ViewDef,
};

/// A table's qualified name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TableRef {
    /// The schema (`public` by default).
    pub schema: String,
    /// The table's name in it.
    pub name: String,
}

impl TableRef {
    /// The name of `t`.
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
    /// The table holding the column.
    pub table: TableRef,
    /// The column's name.
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

/// One step of a [`Plan`]: what to create, drop, rename or alter, with everything its SQL needs.
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)] // plans are short; boxing would only add noise
pub enum Change {
    /// `CREATE SCHEMA`.
    CreateSchema(String),
    /// `DROP SCHEMA`.
    DropSchema(String),
    /// `CREATE TYPE ... AS ENUM`.
    CreateEnum(EnumDef),
    /// `DROP TYPE` of an enum.
    DropEnum(EnumDef),
    /// `ALTER TYPE ... ADD VALUE 'v' [BEFORE 'w']`.
    AddEnumValue {
        /// The enum as it is after the change.
        enum_def: EnumDef,
        /// The label added.
        value: String,
        /// The existing label it goes before; `None` appends it.
        before: Option<String>,
    },
    /// Values removed or reordered: through text and back.
    RebuildEnum {
        /// The enum as it becomes.
        new: EnumDef,
        /// Values the enum loses (empty for a reorder).
        removed: Vec<String>,
        /// Every column using the enum, converted around the rebuild.
        columns: Vec<EnumColumn>,
    },
    /// `ALTER TYPE ... RENAME TO`.
    RenameEnum {
        /// The enum's schema.
        schema: String,
        /// The old name.
        from: String,
        /// The new name.
        to: String,
    },
    /// `ALTER TYPE ... SET SCHEMA`.
    MoveEnum {
        /// The enum's name.
        name: String,
        /// The schema it leaves.
        from: String,
        /// The schema it moves to.
        to: String,
    },
    /// `CREATE TABLE` with its columns, primary key, unique and check constraints (foreign keys and indexes follow as their own changes).
    CreateTable(TableDef),
    /// `DROP TABLE`.
    DropTable(TableRef),
    /// `ALTER TABLE "from"."t" SET SCHEMA "to"`.
    MoveTable {
        /// The table's name.
        name: String,
        /// The schema it leaves.
        from: String,
        /// The schema it moves to.
        to: String,
    },
    /// `ALTER TABLE ... RENAME TO`.
    RenameTable {
        /// The table under its old name.
        table: TableRef,
        /// The new name.
        to: String,
    },
    /// `ALTER TABLE ... RENAME COLUMN`.
    RenameColumn {
        /// The table holding the column.
        table: TableRef,
        /// The old column name.
        from: String,
        /// The new column name.
        to: String,
    },
    /// `ALTER TABLE ... RENAME CONSTRAINT`: a key, unique, check or foreign key.
    RenameConstraint {
        /// The table the constraint is on.
        table: TableRef,
        /// The old constraint name.
        from: String,
        /// The new constraint name.
        to: String,
    },
    /// `ALTER INDEX ... RENAME TO`.
    RenameIndex {
        /// The index's schema (its table's).
        schema: String,
        /// The old index name.
        from: String,
        /// The new index name.
        to: String,
    },
    /// `ALTER SEQUENCE ... RENAME TO`: an identity or serial column's sequence.
    RenameSequence {
        /// The sequence's schema.
        schema: String,
        /// The old sequence name.
        from: String,
        /// The new sequence name.
        to: String,
    },
    /// `ALTER TABLE ... ADD COLUMN`.
    AddColumn {
        /// The table gaining the column.
        table: TableRef,
        /// The column, with its type, default, identity and constraints.
        column: ColumnDef,
    },
    /// `ALTER TABLE ... DROP COLUMN`.
    DropColumn {
        /// The table losing the column.
        table: TableRef,
        /// The column's name.
        column: String,
    },
    /// `SET DATA TYPE` (with `USING` where there is no assignment cast).
    AlterColumnType {
        /// The table holding the column.
        table: TableRef,
        /// The column as it was.
        from: ColumnDef,
        /// The column as it becomes.
        to: ColumnDef,
        /// The old type is an enum.
        from_enum: bool,
        /// The new type is an enum.
        to_enum: bool,
    },
    /// `ALTER COLUMN ... SET DEFAULT`.
    SetDefault {
        /// The table holding the column.
        table: TableRef,
        /// The column's name.
        column: String,
        /// The new default.
        default: DefaultValue,
    },
    /// `ALTER COLUMN ... DROP DEFAULT`.
    DropDefault {
        /// The table holding the column.
        table: TableRef,
        /// The column's name.
        column: String,
    },
    /// `ALTER COLUMN ... SET NOT NULL`.
    SetNotNull {
        /// The table holding the column.
        table: TableRef,
        /// The column's name.
        column: String,
    },
    /// `ALTER COLUMN ... DROP NOT NULL`.
    DropNotNull {
        /// The table holding the column.
        table: TableRef,
        /// The column's name.
        column: String,
    },
    /// `ALTER COLUMN ... ADD GENERATED ... AS IDENTITY`.
    AddIdentity {
        /// The table holding the column.
        table: TableRef,
        /// The column's name.
        column: String,
        /// The identity and its sequence options.
        identity: Identity,
    },
    /// `ALTER COLUMN ... DROP IDENTITY`.
    DropIdentity {
        /// The table holding the column.
        table: TableRef,
        /// The column's name.
        column: String,
    },
    /// Identity options changed (`SET GENERATED`, `SET INCREMENT BY`, ...).
    AlterIdentity {
        /// The table holding the column.
        table: TableRef,
        /// The column's name.
        column: String,
        /// The identity as it was.
        from: Identity,
        /// The identity as it becomes.
        to: Identity,
    },
    /// A column becomes generated, its expression or kind (stored, virtual)
    /// changes, or a virtual column becomes a plain one (it has no `DROP
    /// EXPRESSION`): PostgreSQL 15 cannot alter it in place, so it is dropped
    /// and added again.
    SetGenerated {
        /// The table holding the column.
        table: TableRef,
        /// The column as it becomes (generated, or plain after a virtual one).
        column: ColumnDef,
    },
    /// `ALTER COLUMN ... DROP EXPRESSION`: a generated column becomes a plain one.
    DropGenerated {
        /// The table holding the column.
        table: TableRef,
        /// The column's name.
        column: String,
    },
    /// A column-level key (`ADD PRIMARY KEY ("c")`).
    AddColumnPrimaryKey {
        /// The table gaining the key.
        table: TableRef,
        /// The key's column.
        column: String,
    },
    /// `ADD CONSTRAINT ... PRIMARY KEY`: a table-level (composite or named) key.
    AddPrimaryKey {
        /// The table gaining the key.
        table: TableRef,
        /// The key.
        pk: PrimaryKey,
    },
    /// Drops a primary key by its stored name (`<table>_pkey` for a column-level key).
    DropPrimaryKey {
        /// The table losing the key.
        table: TableRef,
        /// The constraint's name.
        name: String,
    },
    /// A composite key keeping its name with other columns.
    AlterPrimaryKey {
        /// The table holding the key.
        table: TableRef,
        /// The constraint's name, kept.
        old_name: String,
        /// The key as it becomes.
        pk: PrimaryKey,
    },
    /// `ADD CONSTRAINT ... UNIQUE`.
    AddUnique {
        /// The table gaining the constraint.
        table: TableRef,
        /// The constraint.
        unique: Unique,
    },
    /// `DROP CONSTRAINT` of a unique constraint.
    DropUnique {
        /// The table losing the constraint.
        table: TableRef,
        /// The constraint's name.
        name: String,
    },
    /// `ADD CONSTRAINT ... CHECK`.
    AddCheck {
        /// The table gaining the check.
        table: TableRef,
        /// The check.
        check: Check,
    },
    /// `DROP CONSTRAINT` of a check.
    DropCheck {
        /// The table losing the check.
        table: TableRef,
        /// The constraint's name.
        name: String,
    },
    /// `ADD CONSTRAINT ... FOREIGN KEY`.
    AddForeignKey {
        /// The referencing table.
        table: TableRef,
        /// The foreign key.
        fk: ForeignKey,
    },
    /// `DROP CONSTRAINT` of a foreign key.
    DropForeignKey {
        /// The referencing table.
        table: TableRef,
        /// The constraint's name.
        name: String,
    },
    /// `CREATE INDEX`.
    CreateIndex {
        /// The indexed table.
        table: TableRef,
        /// The index.
        index: IndexDef,
    },
    /// `DROP INDEX`.
    DropIndex {
        /// The indexed table (the index's schema is its).
        table: TableRef,
        /// The index's name.
        name: String,
    },
    /// `ALTER TABLE ... ENABLE ROW LEVEL SECURITY`.
    EnableRls(TableRef),
    /// `ALTER TABLE ... DISABLE ROW LEVEL SECURITY`.
    DisableRls(TableRef),
    /// `ALTER TABLE ... FORCE ROW LEVEL SECURITY` (or `NO FORCE`): whether
    /// the policies bind the table's owner too.
    ForceRls {
        /// The table.
        table: TableRef,
        /// `FORCE` when true, `NO FORCE` when false.
        force: bool,
    },
    /// `CREATE POLICY`.
    CreatePolicy {
        /// The table the policy is on.
        table: TableRef,
        /// The policy.
        policy: PolicyDef,
    },
    /// `DROP POLICY`.
    DropPolicy {
        /// The table the policy is on.
        table: TableRef,
        /// The policy's name.
        name: String,
    },
    /// `ALTER POLICY ... RENAME TO`.
    RenamePolicy {
        /// The table the policy is on.
        table: TableRef,
        /// The old policy name.
        from: String,
        /// The new policy name.
        to: String,
    },
    /// `ALTER POLICY ... TO ... USING ... WITH CHECK`: roles or expressions
    /// changed, kind and command kept, no expression removed (PostgreSQL
    /// cannot alter those; the diff drops and creates the policy instead).
    AlterPolicy {
        /// The table the policy is on.
        table: TableRef,
        /// The policy as it was.
        from: PolicyDef,
        /// The policy as it becomes.
        to: PolicyDef,
    },
    /// `CREATE ROLE`.
    CreateRole(RoleDef),
    /// `ALTER ROLE ... WITH`: `CREATEDB`, `CREATEROLE` or `INHERIT` changed.
    AlterRole {
        /// The role as it was.
        from: RoleDef,
        /// The role as it becomes.
        to: RoleDef,
    },
    /// `DROP ROLE`.
    DropRole(String),
    /// `CREATE EXTENSION IF NOT EXISTS`.
    CreateExtension(ExtensionDef),
    /// `ALTER EXTENSION ... SET SCHEMA`.
    MoveExtension {
        /// The extension.
        name: String,
        /// Where its objects go.
        schema: String,
    },
    /// `ALTER EXTENSION ... UPDATE TO`.
    UpdateExtension {
        /// The extension.
        name: String,
        /// The version it is updated to.
        version: String,
    },
    /// `DROP EXTENSION ... CASCADE`.
    DropExtension(ExtensionDef),
    /// `CREATE SEQUENCE`.
    CreateSequence(SequenceDef),
    /// `ALTER SEQUENCE` restating every number, as drizzle-kit writes it.
    AlterSequence {
        /// The sequence as it was.
        from: SequenceDef,
        /// The sequence as it becomes.
        to: SequenceDef,
    },
    /// `DROP SEQUENCE` (its current value is lost).
    DropSequence(SequenceDef),
    /// `CREATE [MATERIALIZED] VIEW`.
    CreateView(ViewDef),
    /// `ALTER [MATERIALIZED] VIEW ... SET (...) / RESET (...) / SET TABLESPACE /
    /// SET ACCESS METHOD`: options that change in place.
    AlterView {
        /// The view as it was.
        from: ViewDef,
        /// The view as it becomes.
        to: ViewDef,
    },
    /// `COMMENT ON ... IS '...'`, or `IS NULL` to remove one.
    SetComment {
        /// The object.
        on: CommentOn,
        /// The text; `None` removes the comment.
        text: Option<String>,
    },
    /// `DROP [MATERIALIZED] VIEW`: the view is gone, changed in a way only
    /// re-creating it does, or in the way of a change to what it reads.
    DropView {
        /// The view as it was.
        view: ViewDef,
        /// Whether the same plan creates it again.
        recreated: bool,
    },
}

/// The changes that turn one schema into another, in an order that applies.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plan {
    /// The changes, in the order their statements run.
    pub changes: Vec<Change>,
}

impl Plan {
    /// True when the schemas already match.
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
            EnableRls(_) => "enable_rls",
            DisableRls(_) => "disable_rls",
            ForceRls { force: true, .. } => "force_rls",
            ForceRls { force: false, .. } => "no_force_rls",
            CreatePolicy { .. } => "create_policy",
            DropPolicy { .. } => "drop_policy",
            AlterPolicy { .. } => "alter_policy",
            RenamePolicy { .. } => "rename_policy",
            CreateRole(_) => "create_role",
            CreateExtension(_) => "create_extension",
            MoveExtension { .. } => "move_extension",
            UpdateExtension { .. } => "update_extension",
            DropExtension(_) => "drop_extension",
            CreateSequence(_) => "create_sequence",
            AlterSequence { .. } => "alter_sequence",
            DropSequence(_) => "drop_sequence",
            CreateView(v) if v.materialized => "create_materialized_view",
            CreateView(_) => "create_view",
            AlterView { to, .. } if to.materialized => "alter_materialized_view",
            AlterView { .. } => "alter_view",
            DropView { view, .. } if view.materialized => "drop_materialized_view",
            DropView { .. } => "drop_view",
            SetComment { text: Some(_), .. } => "set_comment",
            SetComment { text: None, .. } => "drop_comment",
            AlterRole { .. } => "alter_role",
            DropRole(_) => "drop_role",
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
            CreateSchema(s) | DropSchema(s) | DropRole(s) => s.clone(),
            CreateRole(r) | AlterRole { to: r, .. } => r.name.clone(),
            CreateExtension(e) | DropExtension(e) => e.name.clone(),
            MoveExtension { name, .. } | UpdateExtension { name, .. } => name.clone(),
            CreateSequence(q) | AlterSequence { to: q, .. } | DropSequence(q) => {
                format!("{}.{}", q.schema, q.name)
            }
            CreateView(v) | AlterView { to: v, .. } | DropView { view: v, .. } => {
                format!("{}.{}", v.schema, v.name)
            }
            SetComment { on, .. } => match on.key() {
                (_, schema, name, "") => format!("{schema}.{name}"),
                (_, schema, name, column) => format!("{schema}.{name}.{column}"),
            },
            CreateEnum(e) | DropEnum(e) => format!("{}.{}", e.schema, e.name),
            AddEnumValue { enum_def, .. } => format!("{}.{}", enum_def.schema, enum_def.name),
            RebuildEnum { new, .. } => format!("{}.{}", new.schema, new.name),
            RenameEnum { schema, from, .. } => format!("{schema}.{from}"),
            MoveEnum { name, from, .. } | MoveTable { name, from, .. } => format!("{from}.{name}"),
            CreateTable(def) => format!("{}.{}", def.schema, def.name),
            DropTable(table)
            | RenameTable { table, .. }
            | EnableRls(table)
            | DisableRls(table)
            | ForceRls { table, .. } => t(table),
            CreatePolicy { table, policy } => in_table(table, &policy.name),
            AlterPolicy { table, to, .. } => in_table(table, &to.name),
            RenameIndex { schema, from, .. } | RenameSequence { schema, from, .. } => {
                format!("{schema}.{from}")
            }
            AddColumn { table, column } => in_table(table, &column.name),
            AlterColumnType { table, to, .. } => in_table(table, &to.name),
            SetGenerated { table, column } => in_table(table, &column.name),
            RenameColumn { table, from, .. }
            | RenameConstraint { table, from, .. }
            | RenamePolicy { table, from, .. } => in_table(table, from),
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
            | DropIndex { table, name }
            | DropPolicy { table, name } => in_table(table, name),
        }
    }
}
