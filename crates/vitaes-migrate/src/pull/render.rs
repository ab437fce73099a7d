//! A live schema as annotated Rust: one file per PostgreSQL schema, each
//! table a `#[derive(Table)]` struct and each enum a `#[derive(PgEnum)]`,
//! written so that the resolver gives back the same schema. The text is
//! parsed by syn and printed by prettyplease, so it is Rust (and
//! rustfmt-clean) by construction.

use std::collections::{BTreeMap, HashMap};

use vitaes_schema_core::naming;
use vitaes_schema_core::parse::parse_expression;
use vitaes_schema_core::resolve::sequences::options;
use vitaes_schema_core::unresolved::SequenceSpec;
use vitaes_schema_core::{
    ColumnDef, DefaultValue, EnumDef, GeneratedKind, IdentityKind, Schema, TableDef,
};

use super::names::{field, upper_camel, Taken};

/// A Rust string literal (`"..."`, escapes as Rust needs them).
fn lit(s: &str) -> String {
    format!("{s:?}")
}

/// An SQL fragment as an attribute value: a string when the derive's parser
/// reads it, `unchecked("...")` when only the server does.
fn sql(s: &str) -> String {
    if parse_expression(s).is_ok() {
        lit(s)
    } else {
        format!("unchecked({})", lit(s))
    }
}

/// The Rust type the derive maps back to `sql_type`, if there is one
/// needing no crate beyond std.
fn std_type(sql_type: &str) -> Option<&'static str> {
    Some(match sql_type {
        "text" => "String",
        "smallint" => "i16",
        "integer" => "i32",
        "bigint" => "i64",
        "real" => "f32",
        "double precision" => "f64",
        "boolean" => "bool",
        _ => return None,
    })
}

/// The Rust names of every table and enum, so references can name them.
pub struct Names {
    structs: HashMap<(String, String), String>,
    enums: HashMap<(String, String), String>,
}

impl Names {
    /// Struct and enum names for all of `schema`, unique across files.
    pub fn of(schema: &Schema) -> Names {
        let mut taken = Taken::default();
        let enums = schema
            .enums
            .iter()
            .map(|e| {
                (
                    (e.schema.clone(), e.name.clone()),
                    taken.claim(upper_camel(&e.name)),
                )
            })
            .collect();
        let structs = schema
            .tables
            .iter()
            .map(|t| {
                (
                    (t.schema.clone(), t.name.clone()),
                    taken.claim(upper_camel(&t.name)),
                )
            })
            .collect();
        Names { structs, enums }
    }
}

/// The files for `schema`: `(file name, Rust source)` per PostgreSQL schema,
/// `header` lines (what was left out) at the top of each.
pub fn files(schema: &Schema, header: &[String]) -> Vec<(String, String)> {
    let names = Names::of(schema);
    let mut by_schema: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for e in &schema.enums {
        by_schema
            .entry(&e.schema)
            .or_default()
            .push(enum_item(e, &names));
    }
    for q in &schema.sequences {
        by_schema
            .entry(&q.schema)
            .or_default()
            .push(sequence_item(q));
    }
    for t in &schema.tables {
        by_schema
            .entry(&t.schema)
            .or_default()
            .push(table_item(t, schema, &names));
    }
    let mut view_names = Taken::default();
    for v in &schema.views {
        let name = view_names.claim(upper_camel(&v.name));
        let name = if names.structs.values().any(|s| *s == name) {
            format!("{name}View")
        } else {
            name
        };
        by_schema
            .entry(&v.schema)
            .or_default()
            .push(view_item(v, &name, schema, &names));
    }
    // Extensions belong to the database; they go with `public`.
    let extensions: Vec<String> = schema.extensions.iter().map(extension_item).collect();
    if !extensions.is_empty() || by_schema.is_empty() {
        let public = by_schema.entry("public").or_default();
        for (i, e) in extensions.into_iter().enumerate() {
            public.insert(i, e);
        }
    }
    by_schema
        .into_iter()
        .map(|(pg_schema, items)| {
            let mut text = String::new();
            for line in header {
                text.push_str(&format!("//! {line}\n"));
            }
            let derives = ["PgEnum", "PgExtension", "PgSequence", "PgView", "Table"]
                .into_iter()
                .filter(|d| items.iter().any(|i| i.contains(&format!("derive({d})"))))
                .collect::<Vec<_>>();
            if !derives.is_empty() {
                text.push_str(&format!(
                    "\nuse vitaes_schema::{{{}}};\n",
                    derives.join(", ")
                ));
            }
            for item in items {
                text.push('\n');
                text.push_str(&item);
            }
            let file = format!("{}.rs", field(pg_schema).trim_start_matches("r#"));
            (file, pretty(&text))
        })
        .collect()
}

/// prettyplease's printing of `text`, which is always valid Rust here.
fn pretty(text: &str) -> String {
    match syn::parse_file(text) {
        Ok(file) => prettyplease::unparse(&file),
        Err(e) => panic!("pull wrote Rust that does not parse ({e}):\n{text}"),
    }
}

fn doc(text: Option<&String>) -> String {
    text.map(|t| {
        t.lines()
            .map(|l| format!("#[doc = {}]\n", lit(&format!(" {l}"))))
            .collect()
    })
    .unwrap_or_default()
}

fn comment_on<'a>(schema: &'a Schema, on: &vitaes_schema_core::CommentOn) -> Option<&'a String> {
    schema
        .comments
        .iter()
        .find(|c| &c.on == on)
        .map(|c| &c.text)
}

fn extension_item(e: &vitaes_schema_core::ExtensionDef) -> String {
    let mut attrs = Vec::new();
    let name = upper_camel(&e.name);
    if naming::snake_case(&name) != e.name {
        attrs.push(format!("name = {}", lit(&e.name)));
    }
    if let Some(schema) = e.schema.as_deref().filter(|s| *s != "public") {
        attrs.push(format!("schema = {}", lit(schema)));
    }
    let mut out = String::from("#[derive(PgExtension)]\n");
    if !attrs.is_empty() {
        out.push_str(&format!("#[pg_extension({})]\n", attrs.join(", ")));
    }
    out.push_str(&format!("pub struct {name};\n"));
    out
}

fn sequence_item(q: &vitaes_schema_core::SequenceDef) -> String {
    let name = upper_camel(&q.name);
    let mut a = Vec::new();
    if naming::snake_case(&name) != q.name {
        a.push(format!("name = {}", lit(&q.name)));
    }
    if q.schema != "public" {
        a.push(format!("schema = {}", lit(&q.schema)));
    }
    if q.data_type != "bigint" {
        a.push(format!("as = {}", lit(&q.data_type)));
    }
    a.extend(sequence_numbers(&q.options, &q.data_type));
    let mut out = String::from("#[derive(PgSequence)]\n");
    if !a.is_empty() {
        out.push_str(&format!("#[sequence({})]\n", a.join(", ")));
    }
    out.push_str(&format!("pub struct {name};\n"));
    out
}

/// The numbers of a sequence that are not the defaults for its type.
fn sequence_numbers(o: &vitaes_schema_core::SequenceOptions, sql_type: &str) -> Vec<String> {
    // The defaults follow the increment's sign, as the resolver fills them in.
    let spec = SequenceSpec {
        increment: o.increment.parse().ok(),
        ..SequenceSpec::default()
    };
    let defaults = options(&spec, sql_type);
    let mut parts = Vec::new();
    for (key, got, default) in [
        ("start", &o.start_with, &defaults.start_with),
        ("increment", &o.increment, &"1".to_string()),
        ("min_value", &o.min_value, &defaults.min_value),
        ("max_value", &o.max_value, &defaults.max_value),
        ("cache", &o.cache, &defaults.cache),
    ] {
        if got != default && !got.is_empty() {
            parts.push(format!("{key} = {got}"));
        }
    }
    if o.cycle {
        parts.push("cycle".into());
    }
    parts
}

fn view_item(
    v: &vitaes_schema_core::ViewDef,
    name: &str,
    schema: &Schema,
    names: &Names,
) -> String {
    use vitaes_schema_core::OptionValue;
    let mut a = Vec::new();
    if naming::snake_case(name) != v.name {
        a.push(format!("name = {}", lit(&v.name)));
    }
    if v.schema != "public" {
        a.push(format!("schema = {}", lit(&v.schema)));
    }
    a.push(format!(
        "query = {}",
        lit(v.definition.as_deref().unwrap_or_default())
    ));
    if v.materialized {
        a.push("materialized".into());
    }
    let mut with = Vec::new();
    for o in &v.with {
        match (o.key.as_str(), &o.value) {
            ("check_option", OptionValue::Text(t)) if !v.materialized => {
                a.push(format!("check_option = {}", lit(t)))
            }
            ("security_barrier" | "security_invoker", OptionValue::Bool(b)) if !v.materialized => {
                a.push(format!("{} = {b}", o.key))
            }
            (key, value) => with.push(format!(
                "{key} = {}",
                match value {
                    OptionValue::Text(t) => lit(t),
                    other => other.to_sql(),
                }
            )),
        }
    }
    if !with.is_empty() {
        a.push(format!("with({})", with.join(", ")));
    }
    if let Some(u) = &v.using {
        a.push(format!("using = {}", lit(u)));
    }
    if let Some(t) = &v.tablespace {
        a.push(format!("tablespace = {}", lit(t)));
    }
    let comment = comment_on(
        schema,
        &vitaes_schema_core::CommentOn::View {
            schema: v.schema.clone(),
            name: v.name.clone(),
            materialized: v.materialized,
        },
    );
    let mut out = doc(comment);
    out.push_str(&format!(
        "#[derive(PgView)]\n#[view({})]\npub struct {name} {{\n",
        a.join(", ")
    ));
    let mut taken = Taken::default();
    for c in &v.columns {
        let field_name = taken.claim(field(&c.name));
        let comment = comment_on(
            schema,
            &vitaes_schema_core::CommentOn::Column {
                schema: v.schema.clone(),
                table: v.name.clone(),
                column: c.name.clone(),
            },
        );
        out.push_str(&doc(comment));
        // A view's columns are nullable whatever the query says.
        let mut c = c.clone();
        c.not_null = false;
        c.default = None;
        out.push_str(&column(&v.name, &c, &field_name, false, names));
    }
    out.push_str("}\n");
    out
}

fn enum_item(e: &EnumDef, names: &Names) -> String {
    let name = &names.enums[&(e.schema.clone(), e.name.clone())];
    let mut attrs = Vec::new();
    if naming::snake_case(name) != e.name {
        attrs.push(format!("name = {}", lit(&e.name)));
    }
    if e.schema != "public" {
        attrs.push(format!("schema = {}", lit(&e.schema)));
    }
    let mut out = String::from("#[derive(PgEnum)]\n");
    if !attrs.is_empty() {
        out.push_str(&format!("#[pg_enum({})]\n", attrs.join(", ")));
    }
    out.push_str(&format!("pub enum {name} {{\n"));
    let mut taken = Taken::default();
    for value in &e.values {
        let variant = taken.claim(upper_camel(value));
        if naming::snake_case(&variant) != *value {
            out.push_str(&format!("#[pg_enum(rename = {})]\n", lit(value)));
        }
        out.push_str(&format!("{variant},\n"));
    }
    out.push_str("}\n");
    out
}

/// The field name of each SQL column of `t`.
fn field_names(t: &TableDef) -> HashMap<&str, String> {
    let mut taken = Taken::default();
    t.columns
        .iter()
        .map(|c| (c.name.as_str(), taken.claim(field(&c.name))))
        .collect()
}

fn table_item(t: &TableDef, schema: &Schema, names: &Names) -> String {
    let name = &names.structs[&(t.schema.clone(), t.name.clone())];
    let fields = field_names(t);
    let f = |c: &str| fields.get(c).cloned().unwrap_or_else(|| field(c));
    let cols = |cs: &[String]| cs.iter().map(|c| f(c)).collect::<Vec<_>>().join(", ");
    let mut table = Vec::new();
    if naming::snake_case(name) != t.name {
        table.push(format!("name = {}", lit(&t.name)));
    }
    if t.schema != "public" {
        table.push(format!("schema = {}", lit(&t.schema)));
    }
    // A one-column key named `<table>_pkey` is the column's (drizzle-kit's
    // `.primaryKey()`); any other is the table's.
    let column_pk: Option<&str> = match &t.primary_key {
        Some(pk) if pk.columns.len() == 1 && pk.name == naming::pkey_name(&t.name) => {
            Some(pk.columns[0].as_str())
        }
        _ => t
            .columns
            .iter()
            .find(|c| c.primary_key)
            .map(|c| c.name.as_str()),
    };
    if let Some(pk) = &t.primary_key {
        if column_pk.is_none() {
            let mut a = Vec::new();
            if pk.name != naming::primary_key_name(&t.name, &pk.columns) {
                a.push(format!("name = {}", lit(&pk.name)));
            }
            a.push(format!("columns({})", cols(&pk.columns)));
            table.push(format!("primary_key({})", a.join(", ")));
        }
    }
    for u in &t.uniques {
        let mut a = Vec::new();
        if u.name != naming::unique_name(&t.name, &u.columns) {
            a.push(format!("name = {}", lit(&u.name)));
        }
        a.push(format!("columns({})", cols(&u.columns)));
        if u.nulls_not_distinct {
            a.push("nulls_not_distinct".into());
        }
        table.push(format!("unique({})", a.join(", ")));
    }
    for fk in &t.foreign_keys {
        let Some(target) = names
            .structs
            .get(&(fk.ref_schema.clone(), fk.ref_table.clone()))
        else {
            continue;
        };
        let ref_table = schema
            .table(&fk.ref_schema, &fk.ref_table)
            .expect("named above");
        let ref_fields = field_names(ref_table);
        let ref_cols: Vec<String> = fk
            .ref_columns
            .iter()
            .map(|c| {
                ref_fields
                    .get(c.as_str())
                    .cloned()
                    .unwrap_or_else(|| field(c))
            })
            .collect();
        let mut a = Vec::new();
        if fk.name != naming::foreign_key_name(&t.name, &fk.columns, &fk.ref_table, &fk.ref_columns)
        {
            a.push(format!("name = {}", lit(&fk.name)));
        }
        a.push(format!("columns({})", cols(&fk.columns)));
        a.push(format!(
            "references({target}, columns({}))",
            ref_cols.join(", ")
        ));
        if fk.on_delete != vitaes_schema_core::FkAction::NoAction {
            a.push(format!("on_delete = {}", lit(fk.on_delete.as_str())));
        }
        if fk.on_update != vitaes_schema_core::FkAction::NoAction {
            a.push(format!("on_update = {}", lit(fk.on_update.as_str())));
        }
        table.push(format!("foreign_key({})", a.join(", ")));
    }
    for ix in &t.indexes {
        let mut a = vec![format!("name = {}", lit(&ix.name))];
        let columns: Vec<String> = ix
            .columns
            .iter()
            .map(|c| {
                let mut s = if c.is_expression {
                    format!("expr({})", lit(&c.expression))
                } else {
                    f(&c.expression)
                };
                match (c.asc, c.nulls_first) {
                    (true, false) => {}
                    (true, true) => s.push_str(" nulls first"),
                    (false, true) => s.push_str(" desc"),
                    (false, false) => s.push_str(" desc nulls last"),
                }
                if let Some(op) = &c.opclass {
                    s.push_str(&format!(" opclass = {}", lit(op)));
                }
                s
            })
            .collect();
        a.push(format!("columns({})", columns.join(", ")));
        if ix.unique {
            a.push("unique".into());
        }
        if ix.method != "btree" {
            a.push(format!("method = {}", lit(&ix.method)));
        }
        if let Some(w) = &ix.where_clause {
            a.push(format!("where = {}", sql(w)));
        }
        if !ix.with.is_empty() {
            let with: Vec<String> = ix.with.iter().map(|(k, v)| format!("{k} = {v}")).collect();
            a.push(format!("with({})", with.join(", ")));
        }
        table.push(format!("index({})", a.join(", ")));
    }
    for c in &t.checks {
        table.push(format!(
            "check(name = {}, expr = {})",
            lit(&c.name),
            sql(&c.expr)
        ));
    }
    if t.force_rls {
        table.push("rls(force)".into());
    } else if t.rls && t.policies.is_empty() {
        table.push("rls".into());
    }
    for p in &t.policies {
        let mut a = vec![format!("name = {}", lit(&p.name))];
        if p.kind == vitaes_schema_core::PolicyKind::Restrictive {
            a.push("as = \"restrictive\"".into());
        }
        if p.command != vitaes_schema_core::PolicyCommand::All {
            a.push(format!(
                "for = {}",
                lit(&p.command.as_str().to_ascii_lowercase())
            ));
        }
        if p.to != ["public"] {
            let to: Vec<String> = p.to.iter().map(|r| lit(r)).collect();
            a.push(format!("to({})", to.join(", ")));
        }
        if let Some(u) = &p.using {
            a.push(format!("using = {}", sql(u)));
        }
        if let Some(w) = &p.with_check {
            a.push(format!("with_check = {}", sql(w)));
        }
        table.push(format!("policy({})", a.join(", ")));
    }
    let comment = comment_on(
        schema,
        &vitaes_schema_core::CommentOn::Table {
            schema: t.schema.clone(),
            name: t.name.clone(),
        },
    );
    let mut out = doc(comment);
    out.push_str("#[derive(Table)]\n");
    if !table.is_empty() {
        out.push_str(&format!("#[table({})]\n", table.join(", ")));
    }
    out.push_str(&format!("pub struct {name} {{\n"));
    for c in &t.columns {
        let comment = comment_on(
            schema,
            &vitaes_schema_core::CommentOn::Column {
                schema: t.schema.clone(),
                table: t.name.clone(),
                column: c.name.clone(),
            },
        );
        out.push_str(&doc(comment));
        out.push_str(&column(
            &t.name,
            c,
            &f(&c.name),
            column_pk == Some(c.name.as_str()),
            names,
        ));
    }
    out.push_str("}\n");
    out
}

fn column(
    table: &str,
    c: &ColumnDef,
    field_name: &str,
    primary_key: bool,
    names: &Names,
) -> String {
    let mut a = Vec::new();
    if primary_key {
        a.push("primary_key".to_string());
    }
    if naming::snake_case(field_name.trim_start_matches("r#")) != c.name
        && field_name.trim_start_matches("r#") != c.name
    {
        a.push(format!("name = {}", lit(&c.name)));
    }
    let serial = match c.sql_type.as_str() {
        "serial" => Some("i32"),
        "bigserial" => Some("i64"),
        "smallserial" => Some("i16"),
        _ => None,
    };
    let enum_name = c
        .type_schema
        .as_ref()
        .and_then(|s| names.enums.get(&(s.clone(), c.sql_type.clone())));
    let ty = if let Some(rust) = serial {
        a.push("serial".into());
        rust.to_string()
    } else if let Some(e) = enum_name {
        e.clone()
    } else if let Some(rust) = std_type(&c.sql_type) {
        rust.to_string()
    } else {
        a.push(format!("type = {}", lit(&c.sql_type)));
        "String".to_string()
    };
    match &c.default {
        None => {}
        Some(DefaultValue::Bool(b)) => a.push(format!("default = {b}")),
        Some(DefaultValue::Int(i)) => a.push(format!("default = {i}")),
        Some(DefaultValue::Float(f)) => a.push(format!("default = {f:?}")),
        Some(DefaultValue::Sql(s)) if serial.is_some() && s.starts_with("nextval(") => {}
        // An enum's value is written as the label (`'calm'`), as the code
        // says it; the server adds the cast.
        Some(DefaultValue::Sql(s)) if enum_name.is_some() => {
            let end = crate::push::canonical::literal_end(s).unwrap_or(s.len());
            a.push(format!("default_sql = {}", sql(&s[..end])));
        }
        Some(DefaultValue::Sql(s)) if s == "now()" => a.push("default_now".into()),
        Some(DefaultValue::Sql(s)) => a.push(format!("default_sql = {}", sql(s))),
    }
    if let Some(i) = &c.identity {
        let kind = match i.kind {
            IdentityKind::Always => "always",
            IdentityKind::ByDefault => "by_default",
        };
        let mut parts = vec![kind.to_string()];
        if i.name != naming::truncate_identifier(&format!("{table}_{}_seq", c.name)) {
            parts.push(format!("name = {}", lit(&i.name)));
        }
        parts.extend(sequence_numbers(&i.options, &c.sql_type));
        a.push(format!("identity({})", parts.join(", ")));
    }
    if let Some(g) = &c.generated {
        match g.kind {
            GeneratedKind::Stored => a.push(format!("generated = {}", sql(&g.expr))),
            GeneratedKind::Virtual => a.push(format!("generated(virtual = {})", sql(&g.expr))),
        }
    }
    let ty = if c.not_null || primary_key {
        ty
    } else {
        format!("Option<{ty}>")
    };
    let attr = if a.is_empty() {
        String::new()
    } else {
        format!("#[column({})]\n", a.join(", "))
    };
    format!("{attr}pub {field_name}: {ty},\n")
}
