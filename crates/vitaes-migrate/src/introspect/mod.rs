//! Reading the live database into the same [`Schema`] the code resolves to,
//! from `pg_catalog` only, in a fixed number of catalog-wide queries (nine,
//! whatever the number of tables): the SQL lives in `sql/*.sql`, columns are
//! read by name.

mod filter;
mod mapping;

use futures_util::future::{try_join, try_join4, try_join5};
use std::collections::HashMap;

use tokio_postgres::{Client, Row};
use vitaes_schema_core::naming::pkey_name;
use vitaes_schema_core::{
    Check, ColumnDef, CommentDef, CommentOn, EnumDef, ExtensionDef, FkAction, ForeignKey,
    Generated, GeneratedKind, Identity, IdentityKind, IndexColumn, IndexDef, OptionValue,
    PolicyCommand, PolicyDef, PolicyKind, PrimaryKey, RoleDef, Schema, SequenceDef,
    SequenceOptions, TableDef, Unique, ViewDef, ViewOption,
};

pub use filter::Filter;
use mapping::{check_expression, default_value, drizzle_type, with_options};

const SCHEMAS: &str = include_str!("sql/schemas.sql");
const TABLES: &str = include_str!("sql/tables.sql");
const COLUMNS: &str = include_str!("sql/columns.sql");
const CONSTRAINTS: &str = include_str!("sql/constraints.sql");
const INDEXES: &str = include_str!("sql/indexes.sql");
const ENUMS: &str = include_str!("sql/enums.sql");
const NOT_MANAGED: &str = include_str!("sql/not_managed.sql");
const POLICIES: &str = include_str!("sql/policies.sql");
const ROLES: &str = include_str!("sql/roles.sql");
const EXTENSIONS: &str = include_str!("sql/extensions.sql");
const SEQUENCES: &str = include_str!("sql/sequences.sql");
const VIEWS: &str = include_str!("sql/views.sql");
const VIEW_COLUMNS: &str = include_str!("sql/view_columns.sql");
const COMMENTS: &str = include_str!("sql/comments.sql");

/// The live schema and what it holds that the model does not manage.
#[derive(Debug, Clone, PartialEq)]
pub struct Introspected {
    /// The managed schemas' tables and enums, as the model sees them.
    pub schema: Schema,
    /// `kind schema.name` of what the model does not manage (views,
    /// functions, triggers, standalone sequences, foreign tables, domains,
    /// composite types, extensions with their version): listed for the user, never dropped.
    pub not_managed: Vec<String>,
}

/// The names of every schema but PostgreSQL's own (`pg_*`, `information_schema`).
pub async fn user_schemas(client: &Client) -> Result<Vec<String>, tokio_postgres::Error> {
    Ok(client
        .query(
            "SELECT nspname::text FROM pg_catalog.pg_namespace
              WHERE nspname !~ '^pg_' AND nspname <> 'information_schema' ORDER BY nspname",
            &[],
        )
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect())
}

/// Reads the schemas and tables `filter` selects.
pub async fn introspect(
    client: &Client,
    filter: &Filter,
) -> Result<Introspected, tokio_postgres::Error> {
    let schemas = filter.schemas.clone();
    let existing = client.query(SCHEMAS, &[&schemas]).await?;
    let table_rows = client.query(TABLES, &[&schemas]).await?;
    let table_rows: Vec<&Row> = table_rows
        .iter()
        .filter(|r| filter.includes_table(r.get::<_, &str>("schema"), r.get::<_, &str>("name")))
        .collect();
    let listed: Vec<(i64, String, String)> = table_rows
        .iter()
        .map(|r| (r.get("oid"), r.get("schema"), r.get("name")))
        .collect();

    // Pipelined on the one connection: every query, one round trip's wait.
    let by_schemas: [&(dyn tokio_postgres::types::ToSql + Sync); 1] = [&schemas];
    let (
        (tables, enums, not_managed, roles, extensions),
        (sequences, views, view_columns, comments),
    ) = try_join(
        try_join5(
            read_tables(client, &listed),
            client.query(ENUMS, &by_schemas),
            client.query(NOT_MANAGED, &by_schemas),
            client.query(ROLES, &[]),
            client.query(EXTENSIONS, &[]),
        ),
        try_join4(
            client.query(SEQUENCES, &by_schemas),
            client.query(VIEWS, &by_schemas),
            client.query(VIEW_COLUMNS, &by_schemas),
            client.query(COMMENTS, &by_schemas),
        ),
    )
    .await?;

    let mut out = Schema {
        schemas: existing
            .iter()
            .map(|r| r.get::<_, String>("name"))
            .filter(|s| s != "public")
            .collect(),
        ..Schema::default()
    };
    out.enums = enums
        .iter()
        .map(|r| EnumDef {
            schema: r.get("schema"),
            name: r.get("name"),
            values: r.get("values"),
        })
        .collect();
    out.tables = tables;
    out.roles = roles
        .iter()
        .map(|r| RoleDef {
            create_db: r.get("create_db"),
            create_role: r.get("create_role"),
            inherit: r.get("inherit"),
            ..RoleDef::new(r.get::<_, String>("name"))
        })
        .collect();
    out.extensions = extensions
        .iter()
        .map(|r| ExtensionDef {
            name: r.get("name"),
            schema: Some(r.get("schema")),
            version: Some(r.get("version")),
        })
        .collect();
    out.sequences = sequences
        .iter()
        .map(sequence)
        .filter(|q| filter.includes_table(&q.schema, &q.name))
        .collect();
    out.views = read_views(&views, &view_columns);
    out.views
        .retain(|v| filter.includes_table(&v.schema, &v.name));
    out.comments = comments
        .iter()
        .filter_map(comment)
        .filter(|c| match &c.on {
            CommentOn::Enum { .. } => true,
            on => {
                let (_, schema, name, _) = on.key();
                filter.includes_table(schema, name)
            }
        })
        .collect();
    Ok(Introspected {
        schema: out,
        not_managed: not_managed
            .iter()
            .map(|r| {
                format!(
                    "{} {}.{}",
                    r.get::<_, &str>("kind"),
                    r.get::<_, &str>("schema"),
                    r.get::<_, &str>("name")
                )
            })
            .collect(),
    })
}

/// Columns, keys, constraints, indexes, row-level security and policies of
/// the given tables (`oid`, schema, name), in four catalog-wide queries. Also what `push` reads its
/// scratch tables back with, so both sides are spelled by the same code.
pub(crate) async fn read_tables(
    client: &Client,
    listed: &[(i64, String, String)],
) -> Result<Vec<TableDef>, tokio_postgres::Error> {
    let oids: Vec<i64> = listed.iter().map(|(oid, _, _)| *oid).collect();
    let by_tables: [&(dyn tokio_postgres::types::ToSql + Sync); 1] = [&oids];
    let (columns, constraints, indexes, policies) = try_join4(
        client.query(COLUMNS, &by_tables),
        client.query(CONSTRAINTS, &by_tables),
        client.query(INDEXES, &by_tables),
        client.query(POLICIES, &by_tables),
    )
    .await?;
    let mut tables: Vec<TableDef> = Vec::with_capacity(listed.len());
    let mut by_oid: HashMap<i64, usize> = HashMap::with_capacity(listed.len());
    for (oid, schema, name) in listed {
        by_oid.insert(*oid, tables.len());
        tables.push(TableDef::empty(schema.clone(), name.clone()));
    }
    for r in &columns {
        let Some(&t) = by_oid.get(&r.get::<_, i64>("table_oid")) else {
            continue;
        };
        let table = &mut tables[t];
        table.columns.push(column(r, table));
    }
    for r in &constraints {
        let Some(&t) = by_oid.get(&r.get::<_, i64>("table_oid")) else {
            continue;
        };
        constraint(r, &mut tables[t]);
    }
    add_indexes(&indexes, &by_oid, &mut tables);
    for r in &policies {
        let Some(&t) = by_oid.get(&r.get::<_, i64>("table_oid")) else {
            continue;
        };
        let table = &mut tables[t];
        table.rls = r.get("rls");
        table.force_rls = r.get("force_rls");
        if let Some(name) = r.get::<_, Option<String>>("name") {
            table.policies.push(policy(r, name));
        }
        table.rls_off = !table.rls && !table.policies.is_empty();
    }
    Ok(tables)
}

fn policy(r: &Row, name: String) -> PolicyDef {
    let command = match r.get::<_, &str>("command") {
        "r" => PolicyCommand::Select,
        "a" => PolicyCommand::Insert,
        "w" => PolicyCommand::Update,
        "d" => PolicyCommand::Delete,
        _ => PolicyCommand::All,
    };
    PolicyDef {
        name,
        kind: if r.get("permissive") {
            PolicyKind::Permissive
        } else {
            PolicyKind::Restrictive
        },
        command,
        to: r.get("roles"),
        using: r.get("using_expr"),
        with_check: r.get("check_expr"),
        renamed_from: None,
    }
}

fn comment(r: &Row) -> Option<CommentDef> {
    let schema: String = r.get("schema");
    let name: String = r.get("name");
    let column: Option<String> = r.get("column_name");
    let kind: &str = r.get("kind");
    let on = match (kind, column) {
        ("e", _) => CommentOn::Enum { schema, name },
        (_, Some(column)) => CommentOn::Column {
            schema,
            table: name,
            column,
        },
        ("v" | "m", None) => CommentOn::View {
            schema,
            name,
            materialized: kind == "m",
        },
        ("r" | "p", None) => CommentOn::Table { schema, name },
        _ => return None,
    };
    Some(CommentDef {
        on,
        text: r.get("text"),
    })
}

fn sequence(r: &Row) -> SequenceDef {
    SequenceDef {
        name: r.get("name"),
        schema: r.get("schema"),
        data_type: r.get("data_type"),
        options: SequenceOptions {
            increment: r.get("increment"),
            start_with: r.get("start_with"),
            min_value: r.get("min_value"),
            max_value: r.get("max_value"),
            cache: r.get("cache"),
            cycle: r.get("cycle"),
        },
    }
}

/// Views with their columns and options. A materialized view's access
/// method is kept only when it is not `heap`, the default, so a view that
/// does not say `using` compares equal; the query is the server's
/// `pg_get_viewdef`, which push also gets for the code's queries.
pub(crate) fn read_views(views: &[Row], columns: &[Row]) -> Vec<ViewDef> {
    let mut by_oid: HashMap<i64, Vec<ColumnDef>> = HashMap::new();
    for r in columns {
        by_oid
            .entry(r.get("view_oid"))
            .or_default()
            .push(view_column(r));
    }
    views
        .iter()
        .map(|r| {
            let materialized: bool = r.get("materialized");
            let options: Vec<String> = r.get("options");
            ViewDef {
                name: r.get("name"),
                schema: r.get("schema"),
                // `pg_get_viewdef` ends the query with a semicolon.
                definition: Some(
                    r.get::<_, String>("definition")
                        .trim()
                        .trim_end_matches(';')
                        .to_string(),
                ),
                materialized,
                existing: false,
                columns: by_oid.remove(&r.get::<_, i64>("oid")).unwrap_or_default(),
                with: options.iter().filter_map(|o| view_option(o)).collect(),
                with_no_data: false,
                using: r
                    .get::<_, Option<String>>("access_method")
                    .filter(|am| materialized && am != "heap"),
                tablespace: r.get("tablespace"),
            }
        })
        .collect()
}

/// `key=value` of `reloptions`, typed as the code would write it (the diff
/// compares options by their SQL text, so the typing is only for reading).
fn view_option(text: &str) -> Option<ViewOption> {
    let (key, value) = text.split_once('=')?;
    let value = match value {
        "true" => OptionValue::Bool(true),
        "false" => OptionValue::Bool(false),
        v => match (v.parse::<i64>(), v.parse::<f64>()) {
            (Ok(i), _) => OptionValue::Int(i),
            (_, Ok(f)) => OptionValue::Float(f),
            _ => OptionValue::Text(v.to_string()),
        },
    };
    Some(ViewOption {
        key: key.to_string(),
        value,
    })
}

fn view_column(r: &Row) -> ColumnDef {
    let is_enum: bool = r.get("is_enum");
    let is_array: bool = r.get("is_array");
    let formatted: String = r.get("formatted_type");
    let (sql_type, type_schema) = if is_enum {
        let base: String = r.get("enum_name");
        (
            format!("{base}{}", if is_array { "[]" } else { "" }),
            Some(r.get::<_, String>("enum_schema")),
        )
    } else {
        (drizzle_type(&formatted), None)
    };
    ColumnDef {
        type_schema,
        not_null: false,
        ..ColumnDef::new(r.get::<_, String>("name"), sql_type)
    }
}

fn column(r: &Row, table: &TableDef) -> ColumnDef {
    let name: String = r.get("name");
    let is_enum: bool = r.get("is_enum");
    let is_array: bool = r.get("is_array");
    let formatted: String = r.get("formatted_type");
    let default_expr: Option<String> = r.get("default_expr");
    let seq_name: Option<String> = r.get("seq_name");
    let identity_kind: &str = r.get("identity");
    let generated: &str = r.get("generated");

    let (mut sql_type, type_schema) = if is_enum {
        let base: String = r.get("enum_name");
        (
            format!("{base}{}", if is_array { "[]" } else { "" }),
            Some(r.get::<_, String>("enum_schema")),
        )
    } else {
        (drizzle_type(&formatted), None)
    };

    let identity = match identity_kind {
        "a" | "d" => seq_name.as_ref().map(|seq| Identity {
            kind: if identity_kind == "a" {
                IdentityKind::Always
            } else {
                IdentityKind::ByDefault
            },
            name: seq.clone(),
            schema: r
                .get::<_, Option<String>>("seq_schema")
                .unwrap_or_else(|| table.schema.clone()),
            options: SequenceOptions {
                increment: r
                    .get::<_, Option<String>>("seq_increment")
                    .unwrap_or_default(),
                start_with: r.get::<_, Option<String>>("seq_start").unwrap_or_default(),
                min_value: r.get::<_, Option<String>>("seq_min").unwrap_or_default(),
                max_value: r.get::<_, Option<String>>("seq_max").unwrap_or_default(),
                cache: r.get::<_, Option<String>>("seq_cache").unwrap_or_default(),
                cycle: r.get::<_, Option<bool>>("seq_cycle").unwrap_or(false),
            },
        }),
        _ => None,
    };

    // A serial column is an integer whose default is nextval() of the
    // sequence it owns.
    let serial = identity.is_none()
        && seq_name.is_some()
        && default_expr
            .as_deref()
            .is_some_and(|d| d.starts_with("nextval("));
    if serial {
        sql_type = match sql_type.as_str() {
            "smallint" => "smallserial",
            "bigint" => "bigserial",
            _ => "serial",
        }
        .to_string();
    }
    let generated_kind = match generated {
        "s" => Some(GeneratedKind::Stored),
        "v" => Some(GeneratedKind::Virtual),
        _ => None,
    };
    let (default, generated) = if let Some(kind) = generated_kind {
        (None, default_expr.map(|expr| Generated { expr, kind }))
    } else if serial {
        (None, None)
    } else {
        (default_expr.map(|d| default_value(&d)), None)
    };
    ColumnDef {
        name,
        sql_type,
        type_schema,
        primary_key: false,
        not_null: r.get("not_null"),
        default,
        identity,
        generated,
        renamed_from: None,
    }
}

fn action(code: Option<String>) -> FkAction {
    match code.as_deref() {
        Some("r") => FkAction::Restrict,
        Some("c") => FkAction::Cascade,
        Some("n") => FkAction::SetNull,
        Some("d") => FkAction::SetDefault,
        _ => FkAction::NoAction,
    }
}

fn constraint(r: &Row, table: &mut TableDef) {
    let name: String = r.get("name");
    let columns: Vec<String> = r.get("columns");
    match r.get::<_, &str>("kind") {
        "p" => {
            // A one-column key under PostgreSQL's own name is a column-level key.
            if columns.len() == 1 && name == pkey_name(&table.name) {
                if let Some(c) = table.columns.iter_mut().find(|c| c.name == columns[0]) {
                    c.primary_key = true;
                }
            } else {
                table.primary_key = Some(PrimaryKey { name, columns });
            }
        }
        "u" => table.uniques.push(Unique {
            name,
            columns,
            nulls_not_distinct: r.get("nulls_not_distinct"),
        }),
        "f" => table.foreign_keys.push(ForeignKey {
            name,
            columns,
            ref_schema: r.get::<_, Option<String>>("ref_schema").unwrap_or_default(),
            ref_table: r.get::<_, Option<String>>("ref_table").unwrap_or_default(),
            ref_columns: r.get("ref_columns"),
            on_delete: action(r.get("on_delete")),
            on_update: action(r.get("on_update")),
        }),
        "c" => {
            let definition: Option<String> = r.get("definition");
            table.checks.push(Check {
                name,
                expr: check_expression(&definition.unwrap_or_default()),
            });
        }
        _ => {}
    }
}

/// Index rows come one per key column, ordered by table, index and position.
fn add_indexes(rows: &[Row], by_oid: &HashMap<i64, usize>, tables: &mut [TableDef]) {
    for r in rows {
        let Some(&t) = by_oid.get(&r.get::<_, i64>("table_oid")) else {
            continue;
        };
        let name: String = r.get("name");
        let table = &mut tables[t];
        if table.indexes.last().is_none_or(|ix| ix.name != name) {
            table.indexes.push(IndexDef {
                name,
                columns: Vec::new(),
                unique: r.get("is_unique"),
                concurrently: false,
                method: r.get("method"),
                where_clause: r.get("predicate"),
                with: with_options(
                    r.get::<_, Option<Vec<String>>>("options")
                        .unwrap_or_default(),
                ),
            });
        }
        let ix = table.indexes.last_mut().expect("pushed above");
        let column_name: Option<String> = r.get("column_name");
        let expression: Option<String> = r.get("expression");
        let descending: bool = r.get("descending");
        ix.columns.push(IndexColumn {
            is_expression: column_name.is_none(),
            expression: column_name.or(expression).unwrap_or_default(),
            asc: !descending,
            nulls_first: r.get("nulls_first"),
            opclass: r.get("opclass"),
        });
    }
}
