//! drizzle-kit's PostgreSQL snapshot, version 7 (`meta/NNNN_snapshot.json`).
//!
//! Writing builds the JSON in drizzle-kit's key order, so our files read like
//! its own; reading accepts everything drizzle-kit writes (unknown keys such as
//! `views` are ignored) and cuts names over 63 bytes the way
//! PostgreSQL stores them, so a project can switch tools without a diff.

use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::model::{
    Check, ColumnDef, DefaultValue, EnumDef, FkAction, ForeignKey, Generated, GeneratedKind,
    Identity, IdentityKind, IndexColumn, IndexDef, PolicyCommand, PolicyDef, PolicyKind,
    PrimaryKey, RoleDef, Schema, TableDef, Unique,
};
use crate::naming::truncate_identifier;

mod sequences;
mod views;

/// The snapshot version this module reads and writes.
pub const SNAPSHOT_VERSION: &str = "7";
/// `prevId` of the first snapshot in a chain.
pub const ZERO_ID: &str = "00000000-0000-0000-0000-000000000000";

/// A snapshot's identity and its schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// This snapshot's UUID (`id`).
    pub id: String,
    /// The previous snapshot's `id` (`prevId`), [`ZERO_ID`] for the first.
    pub prev_id: String,
    /// The schema it records.
    pub schema: Schema,
}

/// A snapshot that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    /// The text is not JSON of a snapshot.
    #[error("not valid snapshot JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// Another dialect or snapshot version.
    #[error("unsupported snapshot: dialect `{dialect}`, version `{version}` (expected postgresql, version 7){}", upgrade_hint(dialect, version))]
    Unsupported {
        /// The `dialect` it declares.
        dialect: String,
        /// The `version` it declares.
        version: String,
    },
    /// A foreign key's `onDelete` or `onUpdate` is not a referential action.
    #[error("unknown referential action `{0}`")]
    Action(String),
    /// A policy's `as` or `for` is not one PostgreSQL knows.
    #[error("policy `{policy}`: unknown `{key}` value `{value}`")]
    Policy {
        /// The policy's name.
        policy: String,
        /// `as` or `for`.
        key: &'static str,
        /// The value found.
        value: String,
    },
}

/// For an older PostgreSQL snapshot, the command that rewrites it.
fn upgrade_hint(dialect: &str, version: &str) -> &'static str {
    let older = matches!(version, "5" | "6") && matches!(dialect, "pg" | "postgresql");
    if older {
        "; `npx drizzle-kit up --dialect postgresql --out <migrations folder>` (drizzle-kit 0.31) rewrites it as version 7"
    } else {
        ""
    }
}

/// Serialises a snapshot as drizzle-kit does (`JSON.stringify(_, null, 2)`, no final newline).
pub fn to_json(snapshot: &Snapshot) -> String {
    let s = &snapshot.schema;
    let mut tables = Map::new();
    for t in &s.tables {
        tables.insert(format!("{}.{}", t.schema, t.name), table_json(t));
    }
    let mut enums = Map::new();
    for e in &s.enums {
        enums.insert(
            format!("{}.{}", e.schema, e.name),
            json!({ "name": e.name, "schema": e.schema, "values": e.values }),
        );
    }
    let mut schemas = Map::new();
    for name in &s.schemas {
        schemas.insert(name.clone(), Value::String(name.clone()));
    }
    let mut roles = Map::new();
    for r in s.roles.iter().filter(|r| !r.existing) {
        roles.insert(
            r.name.clone(),
            json!({ "name": r.name, "createDb": r.create_db, "createRole": r.create_role, "inherit": r.inherit }),
        );
    }
    let mut doc = json!({
        "id": snapshot.id,
        "prevId": snapshot.prev_id,
        "version": SNAPSHOT_VERSION,
        "dialect": "postgresql",
        "tables": tables,
        "enums": enums,
        "schemas": schemas,
        "sequences": sequences::write(&s.sequences),
        "roles": roles,
        "policies": {},
        "views": views::write(&s.views),
        "_meta": { "columns": {}, "schemas": {}, "tables": {} },
    });
    if let Some(ours) = internal_json(s) {
        doc["internal"] = ours;
    }
    serde_json::to_string_pretty(&doc).expect("a JSON value always serialises")
}

/// What drizzle-kit's snapshot has no field for, under `internal.vitaes`:
/// drizzle-kit's schema checks every table key strictly, but `internal` only
/// needs its own `tables` and lets other keys through (dropping them), so its
/// `generate` still reads our snapshots. Left out when there is nothing to
/// say, which keeps our snapshots byte-equal to drizzle-kit's for what it
/// manages.
fn internal_json(s: &Schema) -> Option<Value> {
    let forced: Vec<String> = s
        .tables
        .iter()
        .filter(|t| t.force_rls)
        .map(|t| format!("{}.{}", t.schema, t.name))
        .collect();
    let sequence_types = sequences::write_types(&s.sequences);
    if forced.is_empty()
        && s.extensions.is_empty()
        && sequence_types.is_empty()
        && s.comments.is_empty()
    {
        return None;
    }
    let mut ours = Map::new();
    if !s.extensions.is_empty() {
        ours.insert("extensions".into(), json!(s.extensions));
    }
    if !forced.is_empty() {
        ours.insert("forceRowLevelSecurity".into(), json!(forced));
    }
    if !sequence_types.is_empty() {
        ours.insert("sequenceTypes".into(), Value::Object(sequence_types));
    }
    if !s.comments.is_empty() {
        ours.insert("comments".into(), json!(s.comments));
    }
    Some(json!({ "tables": {}, "vitaes": ours }))
}

fn table_json(t: &TableDef) -> Value {
    let mut columns = Map::new();
    for c in &t.columns {
        columns.insert(c.name.clone(), column_json(c));
    }
    let mut indexes = Map::new();
    for ix in &t.indexes {
        indexes.insert(ix.name.clone(), index_json(ix));
    }
    let mut fks = Map::new();
    for fk in &t.foreign_keys {
        let mut v = Map::new();
        v.insert("name".into(), json!(fk.name));
        v.insert("tableFrom".into(), json!(t.name));
        v.insert("tableTo".into(), json!(fk.ref_table));
        if fk.ref_schema != "public" {
            v.insert("schemaTo".into(), json!(fk.ref_schema));
        }
        v.insert("columnsFrom".into(), json!(fk.columns));
        v.insert("columnsTo".into(), json!(fk.ref_columns));
        v.insert("onDelete".into(), json!(fk.on_delete.as_str()));
        v.insert("onUpdate".into(), json!(fk.on_update.as_str()));
        fks.insert(fk.name.clone(), Value::Object(v));
    }
    let mut pks = Map::new();
    if let Some(pk) = &t.primary_key {
        pks.insert(
            pk.name.clone(),
            json!({ "name": pk.name, "columns": pk.columns }),
        );
    }
    let mut uniques = Map::new();
    for u in &t.uniques {
        uniques.insert(
            u.name.clone(),
            json!({ "name": u.name, "nullsNotDistinct": u.nulls_not_distinct, "columns": u.columns }),
        );
    }
    let mut checks = Map::new();
    for c in &t.checks {
        checks.insert(c.name.clone(), json!({ "name": c.name, "value": c.expr }));
    }
    let mut policies = Map::new();
    for p in &t.policies {
        policies.insert(p.name.clone(), policy_json(p));
    }
    json!({
        "name": t.name,
        "schema": if t.schema == "public" { "" } else { t.schema.as_str() },
        "columns": columns,
        "indexes": indexes,
        "foreignKeys": fks,
        "compositePrimaryKeys": pks,
        "uniqueConstraints": uniques,
        "policies": policies,
        "checkConstraints": checks,
        "isRLSEnabled": t.rls,
    })
}

/// drizzle-kit leaves `using` and `withCheck` out when a policy has none.
fn policy_json(p: &PolicyDef) -> Value {
    let mut v = Map::new();
    v.insert("name".into(), json!(p.name));
    v.insert("as".into(), json!(p.kind.as_str()));
    v.insert("for".into(), json!(p.command.as_str()));
    v.insert("to".into(), json!(p.to));
    if let Some(using) = &p.using {
        v.insert("using".into(), json!(using));
    }
    if let Some(check) = &p.with_check {
        v.insert("withCheck".into(), json!(check));
    }
    Value::Object(v)
}

pub(super) fn column_json(c: &ColumnDef) -> Value {
    let mut v = Map::new();
    v.insert("name".into(), json!(c.name));
    v.insert("type".into(), json!(c.sql_type));
    if let Some(ts) = &c.type_schema {
        v.insert("typeSchema".into(), json!(ts));
    }
    v.insert("primaryKey".into(), json!(c.primary_key));
    v.insert("notNull".into(), json!(c.not_null));
    if let Some(d) = &c.default {
        v.insert("default".into(), default_json(d));
    }
    if let Some(g) = &c.generated {
        // drizzle-kit 0.31 writes only "stored"; "virtual" is PostgreSQL 18's kind.
        v.insert(
            "generated".into(),
            json!({ "as": g.expr, "type": g.kind.as_str() }),
        );
    }
    if let Some(i) = &c.identity {
        v.insert(
            "identity".into(),
            json!({
                "type": i.kind.as_str(),
                "name": i.name,
                "schema": i.schema,
            }),
        );
        let identity = v["identity"].as_object_mut().expect("just inserted");
        sequences::write_options(identity, &i.options);
    }
    Value::Object(v)
}

fn default_json(d: &DefaultValue) -> Value {
    match d {
        DefaultValue::Bool(b) => json!(b),
        DefaultValue::Int(i) => json!(i),
        DefaultValue::Float(f) => json!(f),
        DefaultValue::Sql(s) => json!(s),
    }
}

fn index_json(ix: &IndexDef) -> Value {
    let columns: Vec<Value> = ix
        .columns
        .iter()
        .map(|c| {
            let mut v = Map::new();
            v.insert("expression".into(), json!(c.expression));
            v.insert("isExpression".into(), json!(c.is_expression));
            v.insert("asc".into(), json!(c.asc));
            v.insert(
                "nulls".into(),
                json!(if c.nulls_first { "first" } else { "last" }),
            );
            if let Some(op) = &c.opclass {
                v.insert("opclass".into(), json!(op));
            }
            Value::Object(v)
        })
        .collect();
    let mut with = Map::new();
    for (k, val) in &ix.with {
        with.insert(k.clone(), val.clone());
    }
    let mut v = Map::new();
    v.insert("name".into(), json!(ix.name));
    v.insert("columns".into(), Value::Array(columns));
    v.insert("isUnique".into(), json!(ix.unique));
    if let Some(w) = &ix.where_clause {
        v.insert("where".into(), json!(w));
    }
    v.insert("concurrently".into(), json!(ix.concurrently));
    v.insert("method".into(), json!(ix.method));
    v.insert("with".into(), Value::Object(with));
    Value::Object(v)
}

// ---- reading ---------------------------------------------------------------

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawSnapshot {
    id: String,
    #[serde(default)]
    prev_id: String,
    version: String,
    dialect: String,
    // Required, as drizzle-kit's own snapshot schema has them: a snapshot
    // without `tables` read as "no tables" would make every table look new.
    tables: Map<String, Value>,
    enums: Map<String, Value>,
    schemas: Map<String, Value>,
    // drizzle-kit 0.31 defaults it to `{}`, as do we.
    #[serde(default)]
    roles: indexmap_like::Ordered<RawRole>,
    #[serde(default)]
    sequences: indexmap_like::Ordered<sequences::RawSequence>,
    #[serde(default)]
    views: indexmap_like::Ordered<views::RawView>,
    #[serde(default)]
    internal: RawInternal,
}

/// `internal`: drizzle-kit's own keys there are ignored; ours are under `vitaes`.
#[derive(Deserialize, Default)]
struct RawInternal {
    #[serde(default)]
    vitaes: RawOurs,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct RawOurs {
    /// `schema.table` of each table with `FORCE ROW LEVEL SECURITY`.
    #[serde(default)]
    force_row_level_security: Vec<String>,
    /// The declared extensions, as the model writes them.
    #[serde(default)]
    extensions: Vec<crate::ExtensionDef>,
    /// `schema.sequence` → its `AS` type, for each sequence not `bigint`.
    #[serde(default)]
    sequence_types: std::collections::BTreeMap<String, String>,
    /// `COMMENT ON` texts, as the model writes them.
    #[serde(default)]
    comments: Vec<crate::CommentDef>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawRole {
    name: String,
    #[serde(default)]
    create_db: bool,
    #[serde(default)]
    create_role: bool,
    #[serde(default = "yes")]
    inherit: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawTable {
    name: String,
    #[serde(default)]
    schema: String,
    #[serde(default)]
    columns: indexmap_like::Ordered<RawColumn>,
    #[serde(default)]
    indexes: indexmap_like::Ordered<RawIndex>,
    #[serde(default)]
    foreign_keys: indexmap_like::Ordered<RawForeignKey>,
    #[serde(default)]
    composite_primary_keys: indexmap_like::Ordered<RawPrimaryKey>,
    #[serde(default)]
    unique_constraints: indexmap_like::Ordered<RawUnique>,
    #[serde(default)]
    check_constraints: indexmap_like::Ordered<RawCheck>,
    #[serde(default)]
    policies: indexmap_like::Ordered<RawPolicy>,
    #[serde(default, rename = "isRLSEnabled")]
    is_rls_enabled: bool,
}

/// A policy as drizzle-kit writes it; `as`, `for` and `to` take its defaults
/// when left out.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawPolicy {
    name: String,
    #[serde(default, rename = "as")]
    kind: Option<String>,
    #[serde(default, rename = "for")]
    command: Option<String>,
    #[serde(default)]
    to: Option<Vec<String>>,
    #[serde(default)]
    using: Option<String>,
    #[serde(default)]
    with_check: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RawColumn {
    name: String,
    #[serde(rename = "type")]
    sql_type: String,
    /// A unique constraint kept on the column, as older drizzle-kit wrote
    /// it (0.31 writes `uniqueConstraints` on the table; it reads both).
    #[serde(default)]
    is_unique: Option<Value>,
    #[serde(default)]
    unique_name: Option<String>,
    #[serde(default)]
    nulls_not_distinct: Option<bool>,
    #[serde(default)]
    type_schema: Option<String>,
    #[serde(default)]
    primary_key: bool,
    #[serde(default)]
    not_null: bool,
    #[serde(default)]
    default: Option<Value>,
    #[serde(default)]
    identity: Option<RawIdentity>,
    #[serde(default)]
    generated: Option<RawGenerated>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawIdentity {
    #[serde(rename = "type")]
    kind: String,
    name: String,
    #[serde(default)]
    schema: String,
    #[serde(flatten)]
    options: sequences::RawOptions,
}

#[derive(Deserialize)]
struct RawGenerated {
    #[serde(rename = "as")]
    expr: String,
    /// `stored` (drizzle-kit's only kind) or `virtual`.
    #[serde(rename = "type", default)]
    kind: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawIndex {
    name: String,
    columns: Vec<RawIndexColumn>,
    #[serde(default)]
    is_unique: bool,
    #[serde(default)]
    concurrently: bool,
    #[serde(default)]
    method: Option<String>,
    #[serde(default, rename = "where")]
    where_clause: Option<String>,
    #[serde(default)]
    with: Map<String, Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawIndexColumn {
    expression: String,
    #[serde(default)]
    is_expression: bool,
    #[serde(default = "yes")]
    asc: bool,
    #[serde(default)]
    nulls: Option<String>,
    #[serde(default)]
    opclass: Option<String>,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawForeignKey {
    name: String,
    table_to: String,
    #[serde(default)]
    schema_to: Option<String>,
    columns_from: Vec<String>,
    columns_to: Vec<String>,
    #[serde(default)]
    on_delete: Option<String>,
    #[serde(default)]
    on_update: Option<String>,
}

#[derive(Deserialize)]
struct RawPrimaryKey {
    name: String,
    columns: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawUnique {
    name: String,
    columns: Vec<String>,
    #[serde(default)]
    nulls_not_distinct: bool,
}

#[derive(Deserialize)]
struct RawCheck {
    name: String,
    value: String,
}

#[derive(Deserialize)]
struct RawEnum {
    name: String,
    #[serde(default)]
    schema: String,
    values: Vec<String>,
}

/// JSON objects keyed by name, read in file order.
pub(super) mod indexmap_like {
    use serde::de::DeserializeOwned;
    use serde::{Deserialize, Deserializer};

    pub struct Ordered<T>(pub Vec<T>);

    impl<T> Default for Ordered<T> {
        fn default() -> Self {
            Ordered(Vec::new())
        }
    }

    impl<'de, T: DeserializeOwned> Deserialize<'de> for Ordered<T> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let map = serde_json::Map::<String, serde_json::Value>::deserialize(d)?;
            map.into_iter()
                .map(|(_, v)| serde_json::from_value(v).map_err(serde::de::Error::custom))
                .collect::<Result<Vec<T>, _>>()
                .map(Ordered)
        }
    }
}

/// Reads a drizzle-kit (or our own) PostgreSQL snapshot.
pub fn from_json(text: &str) -> Result<Snapshot, SnapshotError> {
    let raw: RawSnapshot = serde_json::from_str(text)?;
    if raw.dialect != "postgresql" || raw.version != SNAPSHOT_VERSION {
        return Err(SnapshotError::Unsupported {
            dialect: raw.dialect,
            version: raw.version,
        });
    }
    let mut schema = Schema {
        schemas: raw.schemas.keys().map(|k| truncate_identifier(k)).collect(),
        ..Schema::default()
    };
    for (_, value) in raw.enums {
        let e: RawEnum = serde_json::from_value(value)?;
        schema.enums.push(EnumDef {
            name: truncate_identifier(&e.name),
            schema: schema_name(&e.schema),
            values: e.values,
        });
    }
    schema.extensions = raw.internal.vitaes.extensions;
    schema.sequences = sequences::read(raw.sequences.0, &raw.internal.vitaes.sequence_types);
    schema.views = views::read(raw.views.0);
    schema.comments = raw.internal.vitaes.comments;
    let forced = &raw.internal.vitaes.force_row_level_security;
    for (_, value) in raw.tables {
        let t: RawTable = serde_json::from_value(value)?;
        let mut table = read_table(t)?;
        table.force_rls = forced.contains(&format!("{}.{}", table.schema, table.name));
        schema.tables.push(table);
    }
    schema.roles = raw
        .roles
        .0
        .into_iter()
        .map(|r| RoleDef {
            create_db: r.create_db,
            create_role: r.create_role,
            inherit: r.inherit,
            ..RoleDef::new(r.name)
        })
        .collect();
    resolve_enum_type_schemas(&mut schema);
    Ok(Snapshot {
        id: raw.id,
        prev_id: raw.prev_id,
        schema,
    })
}

/// drizzle-kit omits `typeSchema` on columns of an enum built from a
/// TypeScript enum object (`pgEnum("color", Color)`); its SQL then names the
/// type unqualified, which PostgreSQL finds through `search_path`. Such a
/// column's type is the snapshot's enum of that name: in `public` when there
/// is one there, else the only one of that name.
fn resolve_enum_type_schemas(schema: &mut Schema) {
    let mut by_name: std::collections::HashMap<&str, Vec<&str>> = Default::default();
    for e in &schema.enums {
        by_name
            .entry(e.name.as_str())
            .or_default()
            .push(e.schema.as_str());
    }
    let mut found: Vec<(usize, usize, String)> = Vec::new();
    for (t, table) in schema.tables.iter().enumerate() {
        for (c, column) in table.columns.iter().enumerate() {
            if column.type_schema.is_some() {
                continue;
            }
            let base = column.sql_type.trim_end_matches("[]");
            let Some(schemas) = by_name.get(base) else {
                continue;
            };
            let pick = if schemas.contains(&"public") {
                Some("public")
            } else if schemas.len() == 1 {
                Some(schemas[0])
            } else {
                None
            };
            if let Some(pick) = pick {
                found.push((t, c, pick.to_string()));
            }
        }
    }
    for (t, c, pick) in found {
        schema.tables[t].columns[c].type_schema = Some(pick);
    }
}

fn schema_name(s: &str) -> String {
    if s.is_empty() {
        "public".to_string()
    } else {
        truncate_identifier(s)
    }
}

fn names(v: Vec<String>) -> Vec<String> {
    v.iter().map(|n| truncate_identifier(n)).collect()
}

fn action(s: Option<String>) -> Result<FkAction, SnapshotError> {
    match s {
        None => Ok(FkAction::NoAction),
        Some(s) => FkAction::parse(&s).ok_or(SnapshotError::Action(s)),
    }
}

fn read_table(t: RawTable) -> Result<TableDef, SnapshotError> {
    let column_uniques: Vec<Unique> = t
        .columns
        .0
        .iter()
        .filter(|c| {
            c.is_unique
                .as_ref()
                .is_some_and(|u| u.as_bool() != Some(false) && !u.is_null())
        })
        .map(|c| Unique {
            name: truncate_identifier(
                &c.unique_name
                    .clone()
                    .unwrap_or_else(|| format!("{}_{}_unique", t.name, c.name)),
            ),
            columns: vec![truncate_identifier(&c.name)],
            nulls_not_distinct: c.nulls_not_distinct.unwrap_or(false),
        })
        .collect();
    let columns = t.columns.0.into_iter().map(read_column).collect();
    let foreign_keys = t
        .foreign_keys
        .0
        .into_iter()
        .map(|fk| {
            Ok(ForeignKey {
                name: truncate_identifier(&fk.name),
                columns: names(fk.columns_from),
                ref_schema: schema_name(fk.schema_to.as_deref().unwrap_or("")),
                ref_table: truncate_identifier(&fk.table_to),
                ref_columns: names(fk.columns_to),
                on_delete: action(fk.on_delete)?,
                on_update: action(fk.on_update)?,
            })
        })
        .collect::<Result<_, SnapshotError>>()?;
    Ok(TableDef {
        name: truncate_identifier(&t.name),
        schema: schema_name(&t.schema),
        columns,
        primary_key: t
            .composite_primary_keys
            .0
            .into_iter()
            .next()
            .map(|pk| PrimaryKey {
                name: truncate_identifier(&pk.name),
                columns: names(pk.columns),
            }),
        uniques: {
            let mut uniques: Vec<Unique> = t
                .unique_constraints
                .0
                .into_iter()
                .map(|u| Unique {
                    name: truncate_identifier(&u.name),
                    columns: names(u.columns),
                    nulls_not_distinct: u.nulls_not_distinct,
                })
                .collect();
            for u in column_uniques {
                if !uniques.iter().any(|x| x.name == u.name) {
                    uniques.push(u);
                }
            }
            uniques
        },
        foreign_keys,
        indexes: t
            .indexes
            .0
            .into_iter()
            .map(|ix| IndexDef {
                name: truncate_identifier(&ix.name),
                columns: ix
                    .columns
                    .into_iter()
                    .map(|c| IndexColumn {
                        expression: if c.is_expression {
                            c.expression
                        } else {
                            truncate_identifier(&c.expression)
                        },
                        is_expression: c.is_expression,
                        asc: c.asc,
                        nulls_first: c.nulls.as_deref() == Some("first"),
                        opclass: c.opclass,
                    })
                    .collect(),
                unique: ix.is_unique,
                concurrently: ix.concurrently,
                method: ix.method.unwrap_or_else(|| "btree".to_string()),
                where_clause: ix.where_clause,
                with: ix.with.into_iter().collect(),
            })
            .collect(),
        rls: t.is_rls_enabled,
        rls_off: false,
        force_rls: false,
        policies: t
            .policies
            .0
            .into_iter()
            .map(read_policy)
            .collect::<Result<_, SnapshotError>>()?,
        checks: t
            .check_constraints
            .0
            .into_iter()
            .map(|c| Check {
                name: truncate_identifier(&c.name),
                expr: c.value,
            })
            .collect(),
        renamed_from: None,
    })
}

pub(super) fn read_column(c: RawColumn) -> ColumnDef {
    ColumnDef {
        name: truncate_identifier(&c.name),
        sql_type: c.sql_type,
        type_schema: c.type_schema,
        primary_key: c.primary_key,
        not_null: c.not_null,
        default: c.default.and_then(read_default),
        identity: c.identity.map(|i| Identity {
            kind: if i.kind == "byDefault" {
                IdentityKind::ByDefault
            } else {
                IdentityKind::Always
            },
            name: truncate_identifier(&i.name),
            schema: schema_name(&i.schema),
            options: i.options.read(),
        }),
        generated: c.generated.map(|g| Generated {
            kind: if g.kind.as_deref() == Some("virtual") {
                GeneratedKind::Virtual
            } else {
                GeneratedKind::Stored
            },
            expr: g.expr,
        }),
        renamed_from: None,
    }
}

fn read_policy(p: RawPolicy) -> Result<PolicyDef, SnapshotError> {
    let bad = |key, value: String| SnapshotError::Policy {
        policy: p.name.clone(),
        key,
        value,
    };
    let kind = match &p.kind {
        None => PolicyKind::Permissive,
        Some(k) => PolicyKind::parse(k).ok_or_else(|| bad("as", k.clone()))?,
    };
    let command = match &p.command {
        None => PolicyCommand::All,
        Some(c) => PolicyCommand::parse(c).ok_or_else(|| bad("for", c.clone()))?,
    };
    let mut to = p.to.unwrap_or_else(|| vec!["public".to_string()]);
    to.sort();
    Ok(PolicyDef {
        name: truncate_identifier(&p.name),
        kind,
        command,
        to,
        using: p.using,
        with_check: p.with_check,
        renamed_from: None,
    })
}

fn read_default(v: Value) -> Option<DefaultValue> {
    match v {
        Value::Bool(b) => Some(DefaultValue::Bool(b)),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Some(DefaultValue::Int(i)),
            None => n.as_f64().map(DefaultValue::from_float),
        },
        Value::String(s) => Some(DefaultValue::Sql(s)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A version 7 snapshot with one enum and a table whose `color` columns
    /// carry `type_schema` (a JSON fragment, or nothing).
    fn doc(type_schema: &str) -> String {
        format!(
            r#"{{"id":"a","prevId":"","version":"7","dialect":"postgresql",
            "tables":{{"public.paint":{{"name":"paint","schema":"","columns":{{
              "c":{{"name":"c","type":"color","primaryKey":false,"notNull":true{type_schema}}},
              "cs":{{"name":"cs","type":"color[]","primaryKey":false,"notNull":false{type_schema}}}}},
              "indexes":{{}},"foreignKeys":{{}},"compositePrimaryKeys":{{}},"uniqueConstraints":{{}}}}}},
            "enums":{{"public.color":{{"name":"color","schema":"public","values":["red"]}}}},
            "schemas":{{}},"_meta":{{"schemas":{{}},"tables":{{}},"columns":{{}}}}}}"#
        )
    }

    #[test]
    fn a_unique_kept_on_the_column_is_the_tables_unique() {
        let text = doc(r#","isUnique":true,"uniqueName":"paint_c_key","nullsNotDistinct":true"#);
        let s = from_json(&text).unwrap();
        // Both columns of the fixture claim the name: the first keeps it.
        let uniques = &s.schema.tables[0].uniques;
        assert_eq!(uniques.len(), 1, "{uniques:?}");
        assert_eq!(uniques[0].name, "paint_c_key");
        assert_eq!(uniques[0].columns, ["c"]);
        assert!(uniques[0].nulls_not_distinct);
        let none = from_json(&doc(r#","isUnique":false"#)).unwrap();
        assert!(none.schema.tables[0].uniques.is_empty());
    }

    #[test]
    fn an_enum_column_without_type_schema_is_the_snapshots_enum() {
        let without = from_json(&doc("")).unwrap();
        let with = from_json(&doc(r#","typeSchema":"public""#)).unwrap();
        assert_eq!(without.schema, with.schema);
        let columns = &without.schema.tables[0].columns;
        assert_eq!(columns[0].type_schema.as_deref(), Some("public"));
        assert_eq!(columns[1].type_schema.as_deref(), Some("public"));
    }
}

#[cfg(test)]
mod policy_tests {
    use super::*;
    use crate::model::{PolicyCommand, PolicyDef, PolicyKind};

    #[test]
    fn policies_and_rls_round_trip_in_drizzle_kits_fields() {
        let mut t = TableDef::empty("public", "notes");
        t.rls = true;
        t.policies.push(PolicyDef {
            name: "read".into(),
            kind: PolicyKind::Restrictive,
            command: PolicyCommand::Select,
            to: vec!["anon".into(), "authenticated".into()],
            using: Some("true".into()),
            with_check: None,
            renamed_from: None,
        });
        let snapshot = Snapshot {
            id: "a".into(),
            prev_id: ZERO_ID.into(),
            schema: Schema {
                tables: vec![t],
                ..Schema::default()
            },
        };
        let text = to_json(&snapshot);
        let doc: Value = serde_json::from_str(&text).unwrap();
        let table = &doc["tables"]["public.notes"];
        assert_eq!(table["isRLSEnabled"], json!(true));
        assert_eq!(
            table["policies"]["read"],
            json!({ "name": "read", "as": "RESTRICTIVE", "for": "SELECT", "to": ["anon", "authenticated"], "using": "true" })
        );
        assert_eq!(from_json(&text).unwrap(), snapshot);
    }

    #[test]
    fn forced_rls_is_kept_under_internal_and_only_when_some_table_forces() {
        let mut forced = TableDef::empty("app", "notes");
        forced.rls = true;
        forced.force_rls = true;
        let mut plain = TableDef::empty("public", "notes");
        plain.rls = true;
        let snapshot = Snapshot {
            id: "a".into(),
            prev_id: ZERO_ID.into(),
            schema: Schema {
                tables: vec![forced, plain.clone()],
                ..Schema::default()
            },
        };
        let text = to_json(&snapshot);
        let doc: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            doc["internal"],
            json!({ "tables": {}, "vitaes": { "forceRowLevelSecurity": ["app.notes"] } })
        );
        assert!(doc["tables"]["app.notes"].get("forceRls").is_none());
        assert_eq!(from_json(&text).unwrap(), snapshot);
        let unforced = Snapshot {
            schema: Schema {
                tables: vec![plain],
                ..Schema::default()
            },
            ..snapshot
        };
        let text = to_json(&unforced);
        assert!(!text.contains("internal"), "{text}");
        // drizzle-kit's own `internal` keys are read past.
        let theirs = text.replacen(
            "\"_meta\"",
            "\"internal\": {\"tables\": {}},\n  \"_meta\"",
            1,
        );
        assert_eq!(from_json(&theirs).unwrap(), unforced);
    }

    #[test]
    fn a_policys_rename_hint_is_not_written() {
        let mut t = TableDef::empty("public", "notes");
        t.policies.push(PolicyDef {
            name: "read".into(),
            kind: PolicyKind::Permissive,
            command: PolicyCommand::All,
            to: vec!["public".into()],
            using: None,
            with_check: None,
            renamed_from: None,
        });
        let snapshot = |schema: Schema| Snapshot {
            id: "a".into(),
            prev_id: ZERO_ID.into(),
            schema,
        };
        let plain = Schema {
            tables: vec![t.clone()],
            ..Schema::default()
        };
        t.policies[0].renamed_from = Some("old_read".into());
        let hinted = Schema {
            tables: vec![t],
            ..Schema::default()
        };
        let text = to_json(&snapshot(hinted));
        assert_eq!(text, to_json(&snapshot(plain)));
        assert!(!text.contains("old_read"), "{text}");
    }

    #[test]
    fn extensions_are_kept_under_internal() {
        let snapshot = Snapshot {
            id: "a".into(),
            prev_id: ZERO_ID.into(),
            schema: Schema {
                extensions: vec![
                    crate::ExtensionDef {
                        name: "uuid-ossp".into(),
                        schema: Some("extensions".into()),
                        version: None,
                    },
                    crate::ExtensionDef {
                        name: "vector".into(),
                        schema: None,
                        version: Some("0.8.0".into()),
                    },
                ],
                ..Schema::default()
            },
        };
        let text = to_json(&snapshot);
        let doc: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            doc["internal"]["vitaes"]["extensions"],
            json!([{ "name": "uuid-ossp", "schema": "extensions" }, { "name": "vector", "version": "0.8.0" }])
        );
        assert_eq!(from_json(&text).unwrap(), snapshot);
    }

    #[test]
    fn a_policy_without_as_for_or_to_takes_drizzle_kits_defaults() {
        let text = r#"{"id":"a","prevId":"","version":"7","dialect":"postgresql",
            "tables":{"public.t":{"name":"t","schema":"","columns":{},"policies":{"p":{"name":"p"}}}},
            "enums":{},"schemas":{}}"#;
        let s = from_json(text).unwrap();
        let p = &s.schema.tables[0].policies[0];
        assert_eq!(
            (p.kind, p.command, p.to.as_slice()),
            (
                PolicyKind::Permissive,
                PolicyCommand::All,
                &["public".to_string()][..]
            )
        );
        assert!(s.schema.tables[0].rls_enabled() && !s.schema.tables[0].rls);
        let bad = text.replace(r#"{"name":"p"}"#, r#"{"name":"p","for":"UPSERT"}"#);
        assert!(from_json(&bad).unwrap_err().to_string().contains("UPSERT"));
    }

    #[test]
    fn roles_round_trip_in_drizzle_kits_fields_without_existing_ones() {
        let mut schema = Schema::default();
        schema.roles.push(RoleDef {
            create_db: true,
            create_role: true,
            inherit: false,
            ..RoleDef::new("admin")
        });
        schema.roles.push(RoleDef {
            existing: true,
            ..RoleDef::new("anon")
        });
        let snap = Snapshot {
            id: "a".into(),
            prev_id: ZERO_ID.into(),
            schema,
        };
        let text = to_json(&snap);
        let doc: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            doc["roles"],
            json!({"admin": {"name": "admin", "createDb": true, "createRole": true, "inherit": false}})
        );
        let back = from_json(&text).unwrap().schema.roles;
        assert_eq!(back, vec![snap.schema.roles[0].clone()]);
        let bare = text.replace(
            r#""createDb": true,
      "createRole": true,
      "inherit": false"#,
            r#""createDb": false"#,
        );
        assert_eq!(
            from_json(&bare).unwrap().schema.roles,
            vec![RoleDef::new("admin")]
        );
    }
}
