//! `#[derive(Table)]` structs: the `#[table(...)]` attribute and the fields.

use std::collections::HashMap;

use syn::meta::ParseNestedMeta;
use syn::parse::Parse;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, Ident, LitStr, Path, Token};

use super::column::parse_column;
use super::errors::ParseErrors;
use super::meta::{
    check_derived_length, checked_name, doc_comment, fk_action, last_segment, meta_key,
    unknown_key, FieldUse, NAMES_ARE_CUT,
};
use super::sql_expr::sql_value;
use crate::model::{PolicyCommand, PolicyDef, PolicyKind};
use crate::naming::{self, RenameRule};
use crate::unresolved::{
    IndexTarget, Loc, UnresolvedCheck, UnresolvedForeignKey, UnresolvedIndex,
    UnresolvedIndexColumn, UnresolvedPrimaryKey, UnresolvedTable, UnresolvedUnique,
};

/// A parsed table plus what only the derive needs: the cross-table field uses
/// it expands to compile-time checks, with their spans.
pub struct ParsedTable {
    /// The table as parsed.
    pub table: UnresolvedTable,
    /// Every `Struct.field` the attributes name, for the derive's compile-time checks.
    pub field_uses: Vec<FieldUse>,
    /// Field types that are not built in, with the field they belong to: the
    /// derive requires `PgEnum` of each.
    pub enum_types: Vec<syn::Type>,
}

/// Parses a `#[derive(Table)]` struct. Collects every mistake before failing.
pub fn parse_table(input: &DeriveInput) -> Result<ParsedTable, ParseErrors> {
    parse_table_with(input, None)
}

/// [`parse_table`] with the project's default `rename_all` (top-level in
/// vitaes.toml), which the struct's own `#[table(rename_all = ...)]` overrides.
pub fn parse_table_with(
    input: &DeriveInput,
    default_rename: Option<RenameRule>,
) -> Result<ParsedTable, ParseErrors> {
    let mut errors = ParseErrors::default();
    let rust_name = input.ident.to_string();
    let mut table = UnresolvedTable {
        rust_name: naming::field_name(&rust_name),
        name: naming::snake_case(&rust_name),
        schema: "public".to_string(),
        columns: Vec::new(),
        primary_key: None,
        uniques: Vec::new(),
        indexes: Vec::new(),
        foreign_keys: Vec::new(),
        checks: Vec::new(),
        rls: false,
        force_rls: false,
        policies: Vec::new(),
        renamed_from: None,
        external: false,
        comment: doc_comment(&input.attrs),
        loc: Loc::of(input.ident.span()),
    };
    let mut field_uses = Vec::new();
    let mut enum_types = Vec::new();

    if !input.generics.params.is_empty() {
        errors.push(syn::Error::new(
            input.generics.span(),
            "a `Table` struct cannot be generic: each struct is one table",
        ));
    }

    let fields = match &input.data {
        Data::Struct(s) => match &s.fields {
            Fields::Named(named) => Some(&named.named),
            _ => {
                errors.push(syn::Error::new(
                    input.ident.span(),
                    "`Table` needs a struct with named fields: each field is a column",
                ));
                None
            }
        },
        _ => {
            errors.push(syn::Error::new(
                input.ident.span(),
                "`Table` can only be derived for a struct; for a PostgreSQL enum use #[derive(PgEnum)]",
            ));
            None
        }
    };

    // Columns first: table-level items refer to them.
    let mut named_by_field: Vec<bool> = Vec::new();
    let mut column_spans: Vec<proc_macro2::Span> = Vec::new();
    for field in fields.into_iter().flatten() {
        let Some(parsed) = parse_column(field, &mut errors) else {
            continue;
        };
        let ident = field.ident.as_ref().expect("named field");
        column_spans.push(ident.span());
        named_by_field.push(!parsed.explicit_name);
        if let Some(use_) = parsed.field_use {
            field_uses.push(use_);
        }
        if let Some(ty) = parsed.enum_type {
            enum_types.push(ty);
        }
        table.columns.push(parsed.column);
    }

    let mut table_level = TableLevel::default();
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("table")) {
        let result = attr.parse_nested_meta(|meta| {
            table_item(
                meta,
                &mut table,
                &mut table_level,
                &mut field_uses,
                &mut errors,
            )
        });
        if let Err(e) = result {
            errors.push(e);
        }
    }

    // `rename_all` respells the columns named by their field.
    if let Some(rule) = table_level.rename_all.or(default_rename) {
        for (column, by_field) in table.columns.iter_mut().zip(&named_by_field) {
            if *by_field {
                column.name = rule.apply(&column.field);
            }
        }
    }
    check_derived_names(
        &table,
        &table_level,
        &named_by_field,
        &column_spans,
        input,
        &mut errors,
    );
    let mut seen_columns: HashMap<&str, ()> = HashMap::new();
    for (column, span) in table.columns.iter().zip(&column_spans) {
        if seen_columns.insert(column.name.as_str(), ()).is_some() {
            errors.push(syn::Error::new(
                *span,
                format!(
                    "duplicate column `{}`: another field of this struct has the same SQL name",
                    column.name
                ),
            ));
        }
    }

    // Every `columns(...)` name must be a field of this struct.
    for ident in &table_level.own_fields {
        let name = naming::field_name(&ident.to_string());
        if table.column_by_field(&name).is_none() {
            errors.push_help(
                ident.span(),
                &format!("`{name}` is not a field of `{rust_name}`"),
                "names in `columns(...)` are this struct's field names",
            );
        }
    }

    let pk_columns = table.columns.iter().filter(|c| c.primary_key).count();
    if pk_columns > 1 || (pk_columns == 1 && table.primary_key.is_some()) {
        errors.push_help(
            input.ident.span(),
            &format!("`{rust_name}` declares two primary keys"),
            "use #[column(primary_key)] on one field, or #[table(primary_key(columns(a, b)))] for a composite key",
        );
    }

    errors.finish(ParsedTable {
        table,
        field_uses,
        enum_types,
    })
}

/// The table and column names made from identifiers (`name = "..."` ones
/// were checked where they were read) must fit PostgreSQL's 63 bytes.
fn check_derived_names(
    table: &UnresolvedTable,
    level: &TableLevel,
    named_by_field: &[bool],
    column_spans: &[proc_macro2::Span],
    input: &DeriveInput,
    errors: &mut ParseErrors,
) {
    if !level.seen_keys.contains("name") {
        check_derived_length(
            &table.name,
            &format!("table name (from the struct `{}`)", table.rust_name),
            NAMES_ARE_CUT,
            input.ident.span(),
            "give it a shorter SQL name with #[table(name = \"...\")]",
            errors,
        );
    }
    let by_field = table.columns.iter().zip(named_by_field).zip(column_spans);
    for ((column, _), span) in by_field.filter(|((_, by_field), _)| **by_field) {
        check_derived_length(
            &column.name,
            "column",
            NAMES_ARE_CUT,
            *span,
            "give it a shorter SQL name with #[column(name = \"...\")]",
            errors,
        );
    }
}

#[derive(Default)]
struct TableLevel {
    /// Field names used in `columns(...)`, checked once all items are read.
    own_fields: Vec<Ident>,
    /// Single-valued keys already given, to report duplicates.
    seen_keys: std::collections::HashSet<String>,
    /// `rename_all = "..."`, if given.
    rename_all: Option<RenameRule>,
}

fn table_item(
    meta: ParseNestedMeta,
    table: &mut UnresolvedTable,
    level: &mut TableLevel,
    field_uses: &mut Vec<FieldUse>,
    errors: &mut ParseErrors,
) -> syn::Result<()> {
    let key = meta_key(&meta);
    if matches!(
        key.as_str(),
        "name" | "schema" | "renamed_from" | "rename_all"
    ) && !level.seen_keys.insert(key.clone())
    {
        errors.push(syn::Error::new(
            meta.path.span(),
            format!("duplicate `table` key `{key}`"),
        ));
    }
    match key.as_str() {
        "name" => {
            let lit: LitStr = meta.value()?.parse()?;
            table.name = checked_name(&lit, errors);
        }
        "schema" => {
            let lit: LitStr = meta.value()?.parse()?;
            table.schema = checked_name(&lit, errors);
        }
        "index" => {
            let span = meta.path.span();
            let index = parse_index(&meta, level, errors)?;
            let has_expr = index
                .columns
                .iter()
                .any(|c| matches!(c.target, IndexTarget::Expr(_)));
            if index.columns.is_empty() {
                errors.push_help(
                    span,
                    "an index needs at least one column",
                    "the correct form is index(name = \"...\", columns(a, b desc))",
                );
            } else if has_expr && index.name.is_none() {
                errors.push_help(
                    span,
                    "an index on an expression needs a name",
                    "the correct form is index(name = \"...\", columns(expr(\"lower(email)\")))",
                );
            }
            if index.unique && index.method.as_deref().is_some_and(|m| m != "btree") {
                errors.push_help(
                    span,
                    "a unique index must use the btree method",
                    "PostgreSQL supports unique indexes only for btree; drop `method` or `unique`",
                );
            }
            table.indexes.push(index);
        }
        "check" => {
            let mut name = None;
            let mut expr = None;
            let span = meta.path.span();
            meta.parse_nested_meta(|inner| {
                match meta_key(&inner).as_str() {
                    "name" => name = Some(checked_name(&inner.value()?.parse()?, errors)),
                    "expr" => expr = Some(sql_value(&inner, "expr", errors)?),
                    _ => unknown_key(&inner, "check", "name, expr", errors)?,
                }
                Ok(())
            })?;
            match (name, expr) {
                (Some(name), Some(expr)) => table.checks.push(UnresolvedCheck {
                    name,
                    expr,
                    loc: Loc::of(span),
                }),
                _ => errors.push_help(
                    span,
                    "a check constraint needs a name and an expression",
                    "the correct form is check(name = \"...\", expr = \"price > 0\")",
                ),
            }
        }
        "renamed_from" => {
            table.renamed_from = Some(checked_name(&meta.value()?.parse()?, errors));
        }
        "external" => table.external = true,
        "rls" => {
            table.rls = true;
            if meta.input.peek(syn::token::Paren) {
                meta.parse_nested_meta(|inner| {
                    match meta_key(&inner).as_str() {
                        "force" => table.force_rls = true,
                        _ => unknown_key(&inner, "rls", "force", errors)?,
                    }
                    Ok(())
                })?;
            }
        }
        "policy" => {
            let span = meta.path.span();
            if let Some(policy) = parse_policy(&meta, errors)? {
                if table.policies.iter().any(|p| p.name == policy.name) {
                    errors.push(syn::Error::new(
                        span,
                        format!(
                            "duplicate policy `{}`: a table's policies need distinct names",
                            policy.name
                        ),
                    ));
                }
                table.policies.push(policy);
            }
        }
        "rename_all" => {
            let lit: LitStr = meta.value()?.parse()?;
            match RenameRule::parse(&lit.value()) {
                Some(rule) => level.rename_all = Some(rule),
                None => errors.push_help(
                    lit.span(),
                    &format!("`{}` is not a rename_all rule", lit.value()),
                    &format!("use one of serde's: {}", RenameRule::SPELLINGS.join(", ")),
                ),
            }
        }
        "unique" => {
            let mut unique = UnresolvedUnique {
                name: None,
                fields: Vec::new(),
                nulls_not_distinct: false,
                loc: Loc::of(meta.path.span()),
            };
            meta.parse_nested_meta(|inner| match meta_key(&inner).as_str() {
                "name" => {
                    unique.name = Some(checked_name(&inner.value()?.parse()?, errors));
                    Ok(())
                }
                "columns" => {
                    unique.fields = own_fields(&inner, level)?;
                    Ok(())
                }
                "nulls_not_distinct" => {
                    unique.nulls_not_distinct = true;
                    Ok(())
                }
                _ => unknown_key(
                    &inner,
                    "unique",
                    "name, columns, nulls_not_distinct",
                    errors,
                ),
            })?;
            if unique.fields.is_empty() {
                errors.push_help(
                    meta.path.span(),
                    "a unique constraint needs at least one column",
                    "the correct form is unique(name = \"...\", columns(a, b))",
                );
            }
            table.uniques.push(unique);
        }
        "primary_key" => {
            let mut pk = UnresolvedPrimaryKey {
                name: None,
                fields: Vec::new(),
                loc: Loc::of(meta.path.span()),
            };
            meta.parse_nested_meta(|inner| match meta_key(&inner).as_str() {
                "name" => {
                    pk.name = Some(checked_name(&inner.value()?.parse()?, errors));
                    Ok(())
                }
                "columns" => {
                    pk.fields = own_fields(&inner, level)?;
                    Ok(())
                }
                _ => unknown_key(&inner, "primary_key", "name, columns", errors),
            })?;
            if table.primary_key.is_some() {
                errors.push_help(
                    meta.path.span(),
                    "duplicate `primary_key`: a table has one primary key",
                    "list all its columns in one primary_key(columns(a, b))",
                );
            }
            table.primary_key = Some(pk);
        }
        "foreign_key" => {
            let mut fk = UnresolvedForeignKey {
                name: None,
                fields: Vec::new(),
                ref_table: String::new(),
                ref_fields: Vec::new(),
                on_delete: None,
                on_update: None,
                loc: Loc::of(meta.path.span()),
                ref_field_locs: Vec::new(),
            };
            let span = meta.path.span();
            meta.parse_nested_meta(|inner| match meta_key(&inner).as_str() {
                "name" => {
                    fk.name = Some(checked_name(&inner.value()?.parse()?, errors));
                    Ok(())
                }
                "columns" => {
                    fk.fields = own_fields(&inner, level)?;
                    Ok(())
                }
                "references" => {
                    let content;
                    syn::parenthesized!(content in inner.input);
                    let path: Path = content.parse()?;
                    content.parse::<Token![,]>()?;
                    let kw: Ident = content.parse()?;
                    if kw != "columns" {
                        return Err(syn::Error::new(
                            kw.span(),
                            "expected `columns(...)`\n  help: the correct form is references(Table, columns(x, y))",
                        ));
                    }
                    let list;
                    syn::parenthesized!(list in content);
                    let idents = list.parse_terminated(Ident::parse, Token![,])?;
                    fk.ref_table = last_segment(&path);
                    fk.loc = Loc::of(path.span());
                    for ident in idents {
                        fk.ref_fields.push(naming::field_name(&ident.to_string()));
                        fk.ref_field_locs.push(Loc::of(ident.span()));
                        field_uses.push(FieldUse {
                            table: path.clone(),
                            field: ident,
                        });
                    }
                    Ok(())
                }
                "on_delete" => {
                    fk.on_delete = Some(fk_action(&inner.value()?.parse()?, errors));
                    Ok(())
                }
                "on_update" => {
                    fk.on_update = Some(fk_action(&inner.value()?.parse()?, errors));
                    Ok(())
                }
                _ => unknown_key(
                    &inner,
                    "foreign_key",
                    "name, columns, references, on_delete, on_update",
                    errors,
                ),
            })?;
            if fk.fields.is_empty() || fk.ref_fields.len() != fk.fields.len() {
                errors.push_help(
                    span,
                    "a foreign key needs as many referenced columns as columns",
                    "the correct form is foreign_key(columns(a, b), references(Table, columns(x, y)))",
                );
            }
            table.foreign_keys.push(fk);
        }
        _ => {
            unknown_key(
                &meta,
                "table",
                "name, schema, external, renamed_from, rename_all, index, unique, primary_key, foreign_key, check, rls, policy",
                errors,
            )?;
        }
    }
    Ok(())
}

/// `policy(name = "...", as = "permissive", for = "select", to("authenticated"),
/// using = "<expr>", with_check = "<expr>", renamed_from = "old")`; `None`
/// (reported) without a name.
fn parse_policy(
    meta: &ParseNestedMeta,
    errors: &mut ParseErrors,
) -> syn::Result<Option<PolicyDef>> {
    let mut name = None;
    let mut policy = PolicyDef {
        name: String::new(),
        kind: PolicyKind::Permissive,
        command: PolicyCommand::All,
        to: Vec::new(),
        using: None,
        with_check: None,
        renamed_from: None,
    };
    meta.parse_nested_meta(|inner| {
        match meta_key(&inner).as_str() {
            "name" => name = Some(checked_name(&inner.value()?.parse()?, errors)),
            "as" => {
                let lit: LitStr = inner.value()?.parse()?;
                match PolicyKind::parse(&lit.value()) {
                    Some(kind) => policy.kind = kind,
                    None => errors.push_help(
                        lit.span(),
                        &format!("`{}` is not a policy kind", lit.value()),
                        "use \"permissive\" or \"restrictive\"",
                    ),
                }
            }
            "for" => {
                let lit: LitStr = inner.value()?.parse()?;
                match PolicyCommand::parse(&lit.value()) {
                    Some(command) => policy.command = command,
                    None => errors.push_help(
                        lit.span(),
                        &format!("`{}` is not a policy command", lit.value()),
                        "use one of \"all\", \"select\", \"insert\", \"update\", \"delete\"",
                    ),
                }
            }
            "to" => {
                let content;
                syn::parenthesized!(content in inner.input);
                let roles = content.parse_terminated(|p| p.parse::<LitStr>(), Token![,])?;
                for role in roles {
                    policy.to.push(checked_name(&role, errors));
                }
            }
            "using" => policy.using = Some(sql_value(&inner, "using", errors)?),
            "with_check" => policy.with_check = Some(sql_value(&inner, "with_check", errors)?),
            "renamed_from" => {
                policy.renamed_from = Some(checked_name(&inner.value()?.parse()?, errors))
            }
            _ => unknown_key(
                &inner,
                "policy",
                "name, as, for, to, using, with_check, renamed_from",
                errors,
            )?,
        }
        Ok(())
    })?;
    let Some(name) = name else {
        errors.push_help(
            meta.path.span(),
            "a policy needs a name",
            "the correct form is policy(name = \"...\", for = \"select\", to(\"authenticated\"), using = \"<expr>\")",
        );
        return Ok(None);
    };
    // drizzle-kit's defaults and order: `public` when no role is given, sorted.
    if policy.to.is_empty() {
        policy.to.push("public".to_string());
    }
    policy.to.sort();
    policy.to.dedup();
    Ok(Some(PolicyDef { name, ..policy }))
}

/// Reads `columns(a, b)` of this struct's fields, remembering them for the
/// is-a-field check.
fn own_fields(meta: &ParseNestedMeta, level: &mut TableLevel) -> syn::Result<Vec<String>> {
    let content;
    syn::parenthesized!(content in meta.input);
    let idents = content.parse_terminated(Ident::parse, Token![,])?;
    Ok(idents
        .into_iter()
        .map(|ident| {
            let name = naming::field_name(&ident.to_string());
            level.own_fields.push(ident);
            name
        })
        .collect())
}

/// `index(name = "...", columns(a, b desc, expr("lower(x)") nulls first, d opclass = "..."),
/// unique, method = "gin", where = "<expr>", concurrently, with(fillfactor = 70))`.
fn parse_index(
    meta: &ParseNestedMeta,
    level: &mut TableLevel,
    errors: &mut ParseErrors,
) -> syn::Result<UnresolvedIndex> {
    let mut index = UnresolvedIndex {
        name: None,
        columns: Vec::new(),
        unique: false,
        method: None,
        concurrently: false,
        where_clause: None,
        with: Vec::new(),
        loc: Loc::of(meta.path.span()),
    };
    meta.parse_nested_meta(|inner| {
        match meta_key(&inner).as_str() {
            "name" => index.name = Some(checked_name(&inner.value()?.parse()?, errors)),
            "columns" => {
                let content;
                syn::parenthesized!(content in inner.input);
                while !content.is_empty() {
                    index.columns.push(index_column(&content, level, errors)?);
                    if content.is_empty() {
                        break;
                    }
                    content.parse::<Token![,]>()?;
                }
            }
            "unique" => index.unique = true,
            "concurrently" => index.concurrently = true,
            "method" => {
                let lit: LitStr = inner.value()?.parse()?;
                index.method = Some(lit.value());
            }
            "where" => index.where_clause = Some(sql_value(&inner, "where", errors)?),
            "with" => {
                inner.parse_nested_meta(|param| {
                    let key = meta_key(&param);
                    let value: syn::Lit = param.value()?.parse()?;
                    let json = match &value {
                        syn::Lit::Int(i) => serde_json::json!(i.base10_parse::<i64>()?),
                        syn::Lit::Float(f) => serde_json::json!(f.base10_parse::<f64>()?),
                        syn::Lit::Bool(b) => serde_json::json!(b.value),
                        syn::Lit::Str(s) => serde_json::json!(s.value()),
                        _ => {
                            return Err(syn::Error::new(
                                value.span(),
                                "a storage parameter takes a number, bool or string",
                            ))
                        }
                    };
                    index.with.push((key, json));
                    Ok(())
                })?;
            }
            _ => unknown_key(
                &inner,
                "index",
                "name, columns, unique, method, where, concurrently, with",
                errors,
            )?,
        }
        Ok(())
    })?;
    Ok(index)
}

/// One element of an index's `columns(...)`: a field or `expr("...")`, then
/// `asc`/`desc`, `nulls first`/`nulls last`, `opclass = "..."`. Bare `desc`
/// means SQL's DESC, whose nulls come first.
fn index_column(
    input: syn::parse::ParseStream,
    level: &mut TableLevel,
    errors: &mut ParseErrors,
) -> syn::Result<UnresolvedIndexColumn> {
    let head: Ident = input.parse()?;
    let target = if head == "expr" && input.peek(syn::token::Paren) {
        let content;
        syn::parenthesized!(content in input);
        let lit: LitStr = content.parse()?;
        super::sql_expr::check_expression(&lit, "expr", errors);
        IndexTarget::Expr(lit.value())
    } else {
        let name = naming::field_name(&head.to_string());
        level.own_fields.push(head);
        IndexTarget::Field(name)
    };
    let mut column = UnresolvedIndexColumn {
        target,
        asc: true,
        nulls_first: false,
        opclass: None,
    };
    let mut nulls_given = false;
    while input.peek(Ident) {
        let word: Ident = input.parse()?;
        match word.to_string().as_str() {
            "asc" => column.asc = true,
            "desc" => column.asc = false,
            "nulls" => {
                let which: Ident = input.parse()?;
                nulls_given = true;
                column.nulls_first = match which.to_string().as_str() {
                    "first" => true,
                    "last" => false,
                    _ => {
                        return Err(syn::Error::new(
                            which.span(),
                            "expected `first` or `last`\n  help: the correct form is `a nulls first`",
                        ))
                    }
                };
            }
            "opclass" => {
                input.parse::<Token![=]>()?;
                let lit: LitStr = input.parse()?;
                column.opclass = Some(lit.value());
            }
            _ => {
                return Err(syn::Error::new(
                    word.span(),
                    format!("unknown index column option `{word}`\n  help: after a column come `asc`, `desc`, `nulls first`, `nulls last` or `opclass = \"...\"`"),
                ))
            }
        }
    }
    if !nulls_given {
        column.nulls_first = !column.asc;
    }
    Ok(column)
}
