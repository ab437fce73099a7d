//! A live schema as annotated Rust: one file per PostgreSQL schema, each
//! table a `#[derive(Table)]` struct and each enum a `#[derive(PgEnum)]`,
//! written so that the resolver gives back the same schema. The text is
//! parsed by syn and printed by prettyplease, so it is Rust (and
//! rustfmt-clean) by construction.

use std::collections::{BTreeMap, HashMap};

use vitaes_schema_core::naming::{self, RenameRule};
use vitaes_schema_core::parse::parse_expression;
use vitaes_schema_core::resolve::sequences::options;
use vitaes_schema_core::unresolved::SequenceSpec;
use vitaes_schema_core::{
    ColumnDef, DefaultValue, EnumDef, GeneratedKind, IdentityKind, Schema, TableDef, ViewDef,
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

/// The Rust type the derive maps back to `sql_type` (so no `type = ...` is
/// needed), and the crate it comes from when not std. Arrays are `Vec`s of
/// their element's type.
fn mapped_type(sql_type: &str) -> Option<(String, Option<&'static str>)> {
    if let Some(element) = sql_type.strip_suffix("[]") {
        let (rust, krate) = mapped_type(element)?;
        return Some((format!("Vec<{rust}>"), krate));
    }
    let (rust, krate) = match sql_type {
        "text" => ("String", None),
        "smallint" => ("i16", None),
        "integer" => ("i32", None),
        "bigint" => ("i64", None),
        "real" => ("f32", None),
        "double precision" => ("f64", None),
        "boolean" => ("bool", None),
        "bytea" => ("Vec<u8>", None),
        "inet" => ("std::net::IpAddr", None),
        "timestamp" => ("chrono::NaiveDateTime", Some("chrono")),
        "timestamp with time zone" => ("chrono::DateTime<chrono::Utc>", Some("chrono")),
        "date" => ("chrono::NaiveDate", Some("chrono")),
        "time" => ("chrono::NaiveTime", Some("chrono")),
        "uuid" => ("uuid::Uuid", Some("uuid")),
        "jsonb" => ("serde_json::Value", Some("serde_json")),
        _ => return None,
    };
    Some((rust.to_string(), krate))
}

/// The field type for a column written with `type = "..."`: the Rust type of
/// its base type (`varchar(320)` → `String`, `timestamp (3)` →
/// `NaiveDateTime`, `json` → `serde_json::Value`), or `None` when no Rust
/// type here holds it (then the field is a `String`, and the file says so).
fn field_type_for(sql_type: &str) -> Option<(String, Option<&'static str>)> {
    if let Some(element) = sql_type.strip_suffix("[]") {
        let (rust, krate) = field_type_for(element)?;
        return Some((format!("Vec<{rust}>"), krate));
    }
    let base = sql_type.split('(').next().unwrap_or(sql_type).trim();
    let zoned = sql_type.ends_with("with time zone");
    match base {
        "varchar" | "char" | "citext" => Some(("String".into(), None)),
        "json" => Some(("serde_json::Value".into(), Some("serde_json"))),
        "timestamp" if zoned => mapped_type("timestamp with time zone"),
        "timestamp" => mapped_type("timestamp"),
        "time" if !zoned => mapped_type("time"),
        _ => mapped_type(base),
    }
}

/// How the structs are laid out in files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Split {
    /// One file per PostgreSQL schema (`public.rs`, `billing.rs`).
    #[default]
    Schemas,
    /// One file per table, view, enum and sequence (`users.rs`,
    /// `billing_invoices.rs`); extensions and roles in `public.rs`.
    Tables,
}

/// The Rust names of every table and enum, so references can name them.
pub struct Names {
    structs: HashMap<(String, String), String>,
    enums: HashMap<(String, String), String>,
    views: HashMap<(String, String), String>,
    /// Sequences, extensions and roles, by `(kind, schema, name)`.
    units: HashMap<(&'static str, String, String), String>,
}

impl Names {
    /// Struct and enum names for all of `schema`, unique across files: the
    /// UpperCamelCase of the SQL name, `public`'s first; a name taken gets
    /// its schema in front (`AuthUsers`), then a number (`Users2`).
    pub fn of(schema: &Schema) -> Names {
        let mut taken = Taken::default();
        let mut claim_as = |pg_schema: &str, name: &str, suffix: &str| {
            let wanted = upper_camel(name);
            let candidates = [
                wanted.clone(),
                format!("{wanted}{suffix}"),
                format!("{}{wanted}{suffix}", upper_camel(pg_schema)),
            ];
            match candidates.into_iter().find(|c| !taken.contains(c)) {
                Some(free) => taken.claim(free),
                None => taken.claim_numbered(wanted),
            }
        };
        let public_first = |s: &str| (s != "public", s.to_string());
        let mut enums: Vec<&EnumDef> = schema.enums.iter().collect();
        enums.sort_by_key(|e| public_first(&e.schema));
        let enums = enums
            .into_iter()
            .map(|e| {
                let name = claim_as(&e.schema, &e.name, "");
                ((e.schema.clone(), e.name.clone()), name)
            })
            .collect();
        let mut tables: Vec<&TableDef> = schema.tables.iter().collect();
        tables.sort_by_key(|t| public_first(&t.schema));
        let structs = tables
            .into_iter()
            .map(|t| {
                let name = claim_as(&t.schema, &t.name, "");
                ((t.schema.clone(), t.name.clone()), name)
            })
            .collect();
        let mut views: Vec<&ViewDef> = schema.views.iter().collect();
        views.sort_by_key(|v| public_first(&v.schema));
        let views = views
            .into_iter()
            .map(|v| {
                let name = claim_as(&v.schema, &v.name, "View");
                ((v.schema.clone(), v.name.clone()), name)
            })
            .collect();
        let mut units = HashMap::new();
        for q in &schema.sequences {
            let name = claim_as(&q.schema, &q.name, "Seq");
            units.insert(("sequence", q.schema.clone(), q.name.clone()), name);
        }
        for e in &schema.extensions {
            let on = e.schema.as_deref().unwrap_or("public");
            let name = claim_as(on, &e.name, "Extension");
            units.insert(("extension", String::new(), e.name.clone()), name);
        }
        for r in &schema.roles {
            let name = claim_as("", &r.name, "Role");
            units.insert(("role", String::new(), r.name.clone()), name);
        }
        Names {
            structs,
            enums,
            views,
            units,
        }
    }
}

/// One struct or enum as Rust source, with what it needs from elsewhere.
#[derive(Default)]
struct Item {
    /// The Rust name it defines.
    defines: String,
    /// Struct and enum names its attributes and fields name.
    uses: Vec<String>,
    /// Crates its field types come from (`chrono`, `uuid`, `serde_json`).
    crates: Vec<&'static str>,
    /// `table.column (type)` of each column read as `String` for want of a
    /// Rust type of its SQL type.
    as_text: Vec<String>,
    text: String,
}

/// The files for `schema`: `(file name, Rust source)` per PostgreSQL schema
/// (or per table, under [`Split::Tables`]), `header` lines (what was left
/// out) at the top of each, and a `mod.rs` declaring them all. Items that
/// name a struct or enum of another file import it with `use super::...`.
pub fn files(schema: &Schema, header: &[String], split: Split) -> Vec<(String, String)> {
    let names = Names::of(schema);
    let mut modules = Taken::default();
    if split == Split::Tables {
        // `public.rs` holds the extensions and roles; `mod.rs` is taken.
        modules.claim("public".into());
        modules.claim("mod".into());
    }
    // Claimed in a fixed order, so the same database gives the same files.
    let mut module_of = |pg_schema: &str, object: &str| -> String {
        match split {
            Split::Schemas => module_name(pg_schema),
            Split::Tables if pg_schema == "public" => modules.claim(module_name(object)),
            Split::Tables => modules.claim(module_name(&format!("{pg_schema}_{object}"))),
        }
    };
    let mut by_module: BTreeMap<String, Vec<Item>> = BTreeMap::new();
    let public = "public".to_string();
    let unit = |kind: &'static str, schema: &str, name: &str| {
        names.units[&(kind, schema.to_string(), name.to_string())].clone()
    };
    let mut globals: Vec<Item> = schema
        .extensions
        .iter()
        .map(|e| extension_item(e, unit("extension", "", &e.name)))
        .collect();
    globals.extend(
        schema
            .roles
            .iter()
            .filter(|r| !r.existing)
            .map(|r| role_item(r, unit("role", "", &r.name))),
    );
    if !globals.is_empty() || (schema.tables.is_empty() && schema.enums.is_empty()) {
        by_module.entry(public.clone()).or_default().extend(globals);
    }
    for e in &schema.enums {
        let module = module_of(&e.schema, &e.name);
        by_module
            .entry(module)
            .or_default()
            .push(enum_item(e, &names));
    }
    for q in &schema.sequences {
        let module = module_of(&q.schema, &q.name);
        by_module
            .entry(module)
            .or_default()
            .push(sequence_item(q, unit("sequence", &q.schema, &q.name)));
    }
    for t in &schema.tables {
        let module = module_of(&t.schema, &t.name);
        by_module
            .entry(module)
            .or_default()
            .push(table_item(t, schema, &names));
    }
    for v in &schema.views {
        let name = names.views[&(v.schema.clone(), v.name.clone())].clone();
        let module = module_of(&v.schema, &v.name);
        by_module
            .entry(module)
            .or_default()
            .push(view_item(v, &name, schema, &names));
    }
    let home: HashMap<&str, &str> = by_module
        .iter()
        .flat_map(|(m, items)| items.iter().map(move |i| (i.defines.as_str(), m.as_str())))
        .collect();
    let mut out: Vec<(String, String)> = by_module
        .iter()
        .map(|(module, items)| {
            let mut text = String::new();
            for line in header {
                text.push_str(&format!("//! {line}\n"));
            }
            let mut crates: Vec<&str> = items.iter().flat_map(|i| i.crates.clone()).collect();
            crates.sort_unstable();
            crates.dedup();
            if !crates.is_empty() {
                text.push_str(&format!(
                    "//! Field types come from the crates {} (dependencies of the crate this goes in).\n",
                    crates.join(", ")
                ));
            }
            let as_text: Vec<&String> = items.iter().flat_map(|i| &i.as_text).collect();
            if !as_text.is_empty() {
                let said: Vec<&str> = as_text.iter().map(|s| s.as_str()).collect();
                text.push_str(&format!(
                    "//! Read as `String`, as no Rust type here holds their SQL type (`type = ...` keeps it): {}.\n",
                    said.join(", ")
                ));
            }
            let derives = [
                "PgEnum",
                "PgExtension",
                "PgRole",
                "PgSequence",
                "PgView",
                "Table",
            ]
            .into_iter()
            .filter(|d| items.iter().any(|i| i.text.contains(&format!("derive({d})"))))
            .collect::<Vec<_>>();
            if !derives.is_empty() {
                text.push_str(&format!(
                    "\nuse vitaes_schema::{{{}}};\n",
                    derives.join(", ")
                ));
            }
            let mut imports: Vec<String> = items
                .iter()
                .flat_map(|i| &i.uses)
                .filter_map(|name| {
                    let there = home.get(name.as_str())?;
                    (*there != module.as_str()).then(|| format!("use super::{there}::{name};\n"))
                })
                .collect();
            imports.sort();
            imports.dedup();
            for import in imports {
                text.push_str(&import);
            }
            for item in items {
                text.push('\n');
                text.push_str(&item.text);
            }
            (format!("{module}.rs"), pretty(&text))
        })
        .collect();
    let mut decls = String::from(
        "//! The modules `vitaes-migrate pull` wrote; `mod schema;` (this folder) takes them in.\n",
    );
    for module in by_module.keys() {
        decls.push_str(&format!("pub mod {module};\n"));
    }
    out.push(("mod.rs".into(), pretty(&decls)));
    out
}

/// A module (file) name for an SQL name: a snake_case identifier that is
/// not a keyword (`type` → `type_`, as `r#` is no file name).
fn module_name(sql: &str) -> String {
    let f = field(sql);
    match f.strip_prefix("r#") {
        Some(word) => format!("{word}_"),
        None => f,
    }
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

fn extension_item(e: &vitaes_schema_core::ExtensionDef, name: String) -> Item {
    let mut attrs = Vec::new();
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
    Item {
        defines: name,
        text: out,
        ..Item::default()
    }
}

/// A role in the roles scope, as `#[derive(PgRole)]`.
fn role_item(r: &vitaes_schema_core::RoleDef, name: String) -> Item {
    let mut attrs = Vec::new();
    if naming::snake_case(&naming::field_name(&name)) != r.name {
        attrs.push(format!("name = {}", lit(&r.name)));
    }
    if r.create_db {
        attrs.push("create_db".into());
    }
    if r.create_role {
        attrs.push("create_role".into());
    }
    if !r.inherit {
        attrs.push("inherit = false".into());
    }
    let mut out = String::from("#[derive(PgRole)]\n");
    if !attrs.is_empty() {
        out.push_str(&format!("#[pg_role({})]\n", attrs.join(", ")));
    }
    out.push_str(&format!("pub struct {name};\n"));
    Item {
        defines: name,
        text: out,
        ..Item::default()
    }
}

fn sequence_item(q: &vitaes_schema_core::SequenceDef, name: String) -> Item {
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
    Item {
        defines: name,
        text: out,
        ..Item::default()
    }
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

fn view_item(v: &vitaes_schema_core::ViewDef, name: &str, schema: &Schema, names: &Names) -> Item {
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
    let mut item = Item {
        defines: name.to_string(),
        text: doc(comment),
        ..Item::default()
    };
    item.text.push_str(&format!(
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
        item.text.push_str(&doc(comment));
        // A view's columns are nullable whatever the query says.
        let mut c = c.clone();
        c.not_null = false;
        c.default = None;
        column(&v.name, &c, &field_name, false, None, names, &mut item);
    }
    item.text.push_str("}\n");
    item
}

fn enum_item(e: &EnumDef, names: &Names) -> Item {
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
    Item {
        defines: name.clone(),
        text: out,
        ..Item::default()
    }
}

/// The field name of each SQL column of `t`.
fn field_names(t: &TableDef) -> HashMap<&str, String> {
    let mut taken = Taken::default();
    t.columns
        .iter()
        .map(|c| (c.name.as_str(), taken.claim(field(&c.name))))
        .collect()
}

/// `camelCase` when the table's columns are mostly named so (fewer
/// `name = ...` that way than without a rule), else none.
fn rename_rule(t: &TableDef, fields: &HashMap<&str, String>) -> Option<RenameRule> {
    let misses = |rule: Option<RenameRule>| {
        t.columns
            .iter()
            .filter(|c| column_name_of(&fields[c.name.as_str()], rule) != c.name)
            .count()
    };
    (misses(Some(RenameRule::Camel)) < misses(None)).then_some(RenameRule::Camel)
}

/// The column name the derive gives a field under `rule`.
fn column_name_of(field_name: &str, rule: Option<RenameRule>) -> String {
    let bare = field_name.trim_start_matches("r#");
    rule.map_or_else(|| bare.to_string(), |r| r.apply(bare))
}

fn table_item(t: &TableDef, schema: &Schema, names: &Names) -> Item {
    let name = &names.structs[&(t.schema.clone(), t.name.clone())];
    let mut item = Item {
        defines: name.clone(),
        ..Item::default()
    };
    let fields = field_names(t);
    let rule = rename_rule(t, &fields);
    let f = |c: &str| fields.get(c).cloned().unwrap_or_else(|| field(c));
    let cols = |cs: &[String]| cs.iter().map(|c| f(c)).collect::<Vec<_>>().join(", ");
    let mut table = Vec::new();
    if naming::snake_case(name) != t.name {
        table.push(format!("name = {}", lit(&t.name)));
    }
    if t.schema != "public" {
        table.push(format!("schema = {}", lit(&t.schema)));
    }
    if rule.is_some() {
        table.push("rename_all = \"camelCase\"".into());
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
        item.uses.push(target.clone());
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
    item.text = doc(comment);
    item.text.push_str("#[derive(Table)]\n");
    if !table.is_empty() {
        item.text
            .push_str(&format!("#[table({})]\n", table.join(", ")));
    }
    item.text.push_str(&format!("pub struct {name} {{\n"));
    for c in &t.columns {
        let comment = comment_on(
            schema,
            &vitaes_schema_core::CommentOn::Column {
                schema: t.schema.clone(),
                table: t.name.clone(),
                column: c.name.clone(),
            },
        );
        item.text.push_str(&doc(comment));
        column(
            &t.name,
            c,
            &f(&c.name),
            column_pk == Some(c.name.as_str()),
            rule,
            names,
            &mut item,
        );
    }
    item.text.push_str("}\n");
    item
}

/// Appends the field for `c` to `item`, noting the names and crates its
/// type needs.
fn column(
    table: &str,
    c: &ColumnDef,
    field_name: &str,
    primary_key: bool,
    rule: Option<RenameRule>,
    names: &Names,
    item: &mut Item,
) {
    let mut a = Vec::new();
    if primary_key {
        a.push("primary_key".to_string());
    }
    if column_name_of(field_name, rule) != c.name {
        a.push(format!("name = {}", lit(&c.name)));
    }
    let serial = match c.sql_type.as_str() {
        "serial" => Some("i32"),
        "bigserial" => Some("i64"),
        "smallserial" => Some("i16"),
        _ => None,
    };
    // An enum, or an array of one (`"Mood"[]` is `Vec<Mood>`).
    let element = c.sql_type.trim_end_matches("[]");
    let dims = (c.sql_type.len() - element.len()) / 2;
    let enum_name = c
        .type_schema
        .as_ref()
        .and_then(|s| names.enums.get(&(s.clone(), element.to_string())));
    let ty = if let Some(rust) = serial {
        a.push("serial".into());
        rust.to_string()
    } else if let Some(e) = enum_name {
        item.uses.push(e.clone());
        (0..dims).fold(e.clone(), |t, _| format!("Vec<{t}>"))
    } else if let Some((rust, krate)) = mapped_type(&c.sql_type) {
        item.crates.extend(krate);
        rust
    } else {
        a.push(format!("type = {}", lit(&c.sql_type)));
        match field_type_for(&c.sql_type) {
            Some((rust, krate)) => {
                item.crates.extend(krate);
                rust
            }
            None => {
                item.as_text
                    .push(format!("{table}.{} ({})", c.name, c.sql_type));
                "String".to_string()
            }
        }
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
    if !a.is_empty() {
        item.text
            .push_str(&format!("#[column({})]\n", a.join(", ")));
    }
    item.text.push_str(&format!("pub {field_name}: {ty},\n"));
}

#[cfg(test)]
mod tests {
    use super::*;
    use vitaes_schema_core::{RoleDef, SequenceDef};

    #[test]
    fn one_sql_name_in_many_places_gives_distinct_camel_case_names() {
        let mut schema = Schema::default();
        for s in ["auth", "public"] {
            schema.tables.push(TableDef::empty(s, "users"));
        }
        schema.sequences.push(SequenceDef {
            name: "users".into(),
            schema: "public".into(),
            data_type: "bigint".into(),
            options: options(&SequenceSpec::default(), "bigint"),
        });
        schema.roles.push(RoleDef::new("users"));
        let names = Names::of(&schema);
        let table = |s: &str| names.structs[&(s.to_string(), "users".to_string())].clone();
        // `public` is claimed first, whatever the order read.
        assert_eq!(table("public"), "Users");
        assert_eq!(table("auth"), "AuthUsers");
        assert_eq!(
            names.units[&("sequence", "public".into(), "users".into())],
            "UsersSeq"
        );
        assert_eq!(
            names.units[&("role", String::new(), "users".into())],
            "UsersRole"
        );
        // All of it is one file that parses, each name once.
        let files = files(&schema, &[], Split::Schemas);
        let public = &files.iter().find(|(n, _)| n == "public.rs").unwrap().1;
        for name in [
            "pub struct Users ",
            "pub struct UsersSeq;",
            "pub struct UsersRole;",
        ] {
            assert_eq!(public.matches(name).count(), 1, "{name} in\n{public}");
        }
    }

    #[test]
    fn field_types_are_the_ones_the_derive_maps_back() {
        assert_eq!(mapped_type("uuid[]").unwrap().0, "Vec<uuid::Uuid>");
        assert_eq!(
            mapped_type("timestamp with time zone").unwrap(),
            ("chrono::DateTime<chrono::Utc>".into(), Some("chrono"))
        );
        assert!(mapped_type("varchar(20)").is_none());
        assert_eq!(field_type_for("varchar(20)").unwrap().0, "String");
        assert_eq!(
            field_type_for("timestamp (3) with time zone").unwrap().0,
            "chrono::DateTime<chrono::Utc>"
        );
        assert_eq!(field_type_for("json").unwrap().0, "serde_json::Value");
        assert!(field_type_for("numeric(10, 2)").is_none());
        assert!(field_type_for("interval").is_none());
    }
}
