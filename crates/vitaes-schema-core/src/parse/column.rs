//! One field of a `Table` struct: its `#[column(...)]` attribute and its type.

use syn::spanned::Spanned;
use syn::{
    Expr, ExprLit, ExprUnary, Field, GenericArgument, Ident, Lit, LitStr, Path, PathArguments,
    Token, Type, UnOp,
};

use super::errors::ParseErrors;
use super::meta::{
    checked_name, doc_comment, fk_action, last_segment, meta_key, unknown_key, FieldUse,
};
use super::sql_expr::sql_value;
use crate::defaults::check_literal_default;
use crate::model::{DefaultValue, Generated, GeneratedKind, IdentityKind};
use crate::naming;
use crate::types::{
    builtin_sql_type, check_type_name, normalize_sql_type, type_family, TypeFamily,
};
use crate::unresolved::{
    ColumnReference, ColumnUnique, IdentitySpec, Loc, SequenceSpec, TypeSpec, UnresolvedColumn,
};

const COLUMN_KEYS: &str = "name, type, primary_key, unique, default, default_sql, default_now, \
     references, on_delete, on_update, identity, serial, generated, renamed_from, skip";

pub(super) struct ParsedColumn {
    pub column: UnresolvedColumn,
    /// The SQL name was given with `name = "..."` (a `rename_all` leaves it).
    pub explicit_name: bool,
    pub field_use: Option<FieldUse>,
    pub enum_type: Option<Type>,
}

/// Parses one field; `None` for `#[column(skip)]` or a field too broken to use.
pub(super) fn parse_column(field: &Field, errors: &mut ParseErrors) -> Option<ParsedColumn> {
    let ident = field.ident.as_ref()?;
    let field_name = naming::field_name(&ident.to_string());

    for attr in &field.attrs {
        if attr.path().is_ident("cfg") || attr.path().is_ident("cfg_attr") {
            errors.push_help(
                attr.span(),
                "`#[cfg]` and `#[cfg_attr]` are not allowed on a field of a `Table` struct",
                "the migration tool reads the source and cannot see what the compiler removes; \
                 put conditional columns in a separate struct",
            );
        }
    }

    let (nullable, inner_ty) = unwrap_option(&field.ty);
    let mut column = UnresolvedColumn {
        field: field_name.clone(),
        name: field_name.clone(),
        ty: TypeSpec::Builtin(String::new()),
        nullable,
        primary_key: false,
        unique: None,
        default: None,
        references: None,
        identity: None,
        serial: false,
        generated: None,
        renamed_from: None,
        comment: doc_comment(&field.attrs),
        loc: Loc::of(ident.span()),
        ty_loc: Loc::of(inner_ty.span()),
    };
    let mut explicit_type: Option<String> = None;
    let mut explicit_name = false;
    let mut skip = false;
    let mut field_use = None;
    let mut default_span = None;
    let mut on_delete = None;
    let mut on_update = None;
    let mut identity_span = None;
    let mut serial_span = None;

    for attr in field.attrs.iter().filter(|a| a.path().is_ident("column")) {
        let result = attr.parse_nested_meta(|meta| {
            let key = meta_key(&meta);
            let seen = |errors: &mut ParseErrors, already: bool| {
                if already {
                    errors.push(syn::Error::new(
                        meta.path.span(),
                        format!("duplicate `column` key `{key}`"),
                    ));
                }
            };
            match key.as_str() {
                "name" => {
                    column.name = checked_name(&meta.value()?.parse()?, errors);
                    explicit_name = true;
                }
                "type" => {
                    seen(errors, explicit_type.is_some());
                    let lit: LitStr = meta.value()?.parse()?;
                    if let Err(message) = check_type_name(&lit.value()) {
                        errors.push_help(
                            lit.span(),
                            &message,
                            "write one type, such as \"varchar(20)\", \"numeric(10, 2)\", \"timestamp with time zone\" or \"\\\"my schema\\\".\\\"my_type\\\"[]\"",
                        );
                    }
                    explicit_type = Some(normalize_sql_type(&lit.value()));
                }
                "primary_key" => {
                    seen(errors, column.primary_key);
                    column.primary_key = true;
                }
                "unique" => {
                    seen(errors, column.unique.is_some());
                    let mut unique = ColumnUnique {
                        name: None,
                        nulls_not_distinct: false,
                    };
                    if meta.input.peek(Token![=]) {
                        unique.name = Some(checked_name(&meta.value()?.parse()?, errors));
                    } else if meta.input.peek(syn::token::Paren) {
                        meta.parse_nested_meta(|inner| match meta_key(&inner).as_str() {
                            "name" => {
                                unique.name = Some(checked_name(&inner.value()?.parse()?, errors));
                                Ok(())
                            }
                            "nulls_not_distinct" => {
                                unique.nulls_not_distinct = true;
                                Ok(())
                            }
                            _ => unknown_key(&inner, "unique", "name, nulls_not_distinct", errors),
                        })?;
                    }
                    column.unique = Some(unique);
                }
                "default" => {
                    seen(errors, column.default.is_some());
                    let expr: Expr = meta.value()?.parse()?;
                    default_span = Some(expr.span());
                    column.default = literal_default(&expr, errors);
                }
                "default_sql" => {
                    seen(errors, column.default.is_some());
                    column.default =
                        Some(DefaultValue::Sql(sql_value(&meta, "default_sql", errors)?));
                }
                "identity" => {
                    seen(errors, column.identity.is_some());
                    column.identity = Some(identity_spec(&meta, errors)?);
                    identity_span = Some(meta.path.span());
                }
                "serial" => {
                    seen(errors, column.serial);
                    column.serial = true;
                    serial_span = Some(meta.path.span());
                }
                "generated" => {
                    seen(errors, column.generated.is_some());
                    column.generated = Some(generated_spec(&meta, errors)?);
                }
                "renamed_from" => {
                    seen(errors, column.renamed_from.is_some());
                    column.renamed_from = Some(checked_name(&meta.value()?.parse()?, errors));
                }
                "default_now" => {
                    seen(errors, column.default.is_some());
                    column.default = Some(DefaultValue::Sql("now()".to_string()));
                }
                "references" => {
                    seen(errors, field_use.is_some());
                    let content;
                    syn::parenthesized!(content in meta.input);
                    let path: Path = content.parse().map_err(|e| references_help(e.span()))?;
                    content
                        .parse::<Token![,]>()
                        .map_err(|e| references_help(e.span()))?;
                    let field: Ident = content.parse().map_err(|e| references_help(e.span()))?;
                    let _ = content.parse::<Option<Token![,]>>()?;
                    if !content.is_empty() {
                        return Err(references_help(content.span()));
                    }
                    column.references = Some(ColumnReference {
                        table: last_segment(&path),
                        field: naming::field_name(&field.to_string()),
                        on_delete: None,
                        on_update: None,
                        loc: Loc::of(path.span()),
                        field_loc: Loc::of(field.span()),
                    });
                    field_use = Some(FieldUse { table: path, field });
                }
                "on_delete" => {
                    on_delete =
                        Some((fk_action(&meta.value()?.parse()?, errors), meta.path.span()));
                }
                "on_update" => {
                    on_update =
                        Some((fk_action(&meta.value()?.parse()?, errors), meta.path.span()));
                }
                "skip" => skip = true,
                _ => unknown_key(&meta, "column", COLUMN_KEYS, errors)?,
            }
            Ok(())
        });
        if let Err(e) = result {
            errors.push(e);
        }
    }

    if skip {
        return None;
    }
    match column.references.as_mut() {
        Some(reference) => {
            reference.on_delete = on_delete.map(|(a, _)| a);
            reference.on_update = on_update.map(|(a, _)| a);
        }
        None => {
            for (_, span) in on_delete.iter().chain(on_update.iter()) {
                errors.push_help(
                    *span,
                    "`on_delete` / `on_update` need `references(...)` on the same field",
                    "the correct form is #[column(references(Table, field), on_delete = \"cascade\")]",
                );
            }
        }
    }

    let mut enum_type = None;
    column.ty = match explicit_type {
        Some(sql) => TypeSpec::Sql(sql),
        None => match map_type(inner_ty) {
            Ok(spec) => {
                if matches!(spec, TypeSpec::Enum { .. }) {
                    enum_type = Some(enum_base(inner_ty).clone());
                }
                spec
            }
            Err(e) => {
                errors.push(e);
                return None;
            }
        },
    };

    if let (Some(default), Some(span)) = (&column.default, default_span) {
        check_default_fits(default, &column.ty, span, errors);
    }
    let integer = match &column.ty {
        TypeSpec::Builtin(s) | TypeSpec::Sql(s) => type_family(s) == TypeFamily::Integer,
        TypeSpec::Enum { .. } => false,
    };
    if let Some(span) = identity_span {
        if !integer {
            errors.push_help(
                span,
                "`identity` needs an integer column (i16, i32, i64)",
                "use an integer field, or drop `identity`",
            );
        }
        if column.default.is_some() || column.generated.is_some() || column.serial {
            errors.push(syn::Error::new(
                span,
                "an identity column cannot also have a default, `serial` or `generated`",
            ));
        }
    }
    if let Some(span) = serial_span {
        match &column.ty {
            TypeSpec::Builtin(s) if integer => {
                column.ty = TypeSpec::Builtin(
                    match s.as_str() {
                        "smallint" => "smallserial",
                        "bigint" => "bigserial",
                        _ => "serial",
                    }
                    .to_string(),
                );
            }
            _ => errors.push_help(
                span,
                "`serial` needs an i16, i32 or i64 field",
                "use an integer field, or identity = \"by_default\"",
            ),
        }
        if column.default.is_some() || column.generated.is_some() {
            errors.push(syn::Error::new(
                span,
                "a serial column cannot also have a default or `generated`",
            ));
        }
    }
    if column.generated.is_some() && column.default.is_some() {
        errors.push(syn::Error::new(
            ident.span(),
            "a generated column cannot also have a default",
        ));
    }

    Some(ParsedColumn {
        explicit_name,
        column,
        field_use,
        enum_type,
    })
}

fn references_help(span: proc_macro2::Span) -> syn::Error {
    syn::Error::new(
        span,
        "expected a struct and one of its fields\n  help: the correct form is #[column(references(Table, field))]",
    )
}

/// `Option<T>` → (nullable, `T`).
fn unwrap_option(ty: &Type) -> (bool, &Type) {
    match single_generic(ty, "Option") {
        Some(inner) => (true, inner),
        None => (false, ty),
    }
}

/// The `T` of `Name<T>` when `ty`'s last path segment is `Name`.
fn single_generic<'a>(ty: &'a Type, name: &str) -> Option<&'a Type> {
    let Type::Path(path) = ty else { return None };
    let segment = path.path.segments.last()?;
    if segment.ident != name {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &segment.arguments else {
        return None;
    };
    args.args.iter().find_map(|a| match a {
        GenericArgument::Type(t) => Some(t),
        _ => None,
    })
}

/// The element type under any `Vec`s.
fn enum_base(ty: &Type) -> &Type {
    match single_generic(ty, "Vec") {
        Some(inner) => enum_base(inner),
        None => ty,
    }
}

/// Maps a written Rust type (without its `Option`) to a column type, by the
/// last segment of its path, through `Vec` (arrays; `Vec<u8>` is bytea).
fn map_type(ty: &Type) -> syn::Result<TypeSpec> {
    let mut dims = 0;
    let mut current = ty;
    while let Some(inner) = single_generic(current, "Vec") {
        if is_u8(inner) {
            return Ok(TypeSpec::Builtin(format!("bytea{}", "[]".repeat(dims))));
        }
        dims += 1;
        current = inner;
    }
    let Type::Path(path) = current else {
        return Err(syn::Error::new(
            ty.span(),
            "unsupported column type\n  help: use a named type, or give the SQL type with #[column(type = \"...\")]",
        ));
    };
    let segment = path.path.segments.last().expect("a path has a segment");
    let name = segment.ident.to_string();
    let generic = match &segment.arguments {
        PathArguments::AngleBracketed(args) => args.args.iter().find_map(|a| match a {
            GenericArgument::Type(Type::Path(p)) => {
                p.path.segments.last().map(|s| s.ident.to_string())
            }
            _ => None,
        }),
        _ => None,
    };
    Ok(match builtin_sql_type(&name, generic.as_deref()) {
        Some(sql) => TypeSpec::Builtin(format!("{sql}{}", "[]".repeat(dims))),
        None => TypeSpec::Enum {
            rust_name: naming::field_name(&name),
            dims,
        },
    })
}

fn is_u8(ty: &Type) -> bool {
    matches!(ty, Type::Path(p) if p.path.is_ident("u8"))
}

/// `default = <literal>`: bool, integer (negative too), float or string.
fn literal_default(expr: &Expr, errors: &mut ParseErrors) -> Option<DefaultValue> {
    let (negative, lit) = match expr {
        Expr::Lit(ExprLit { lit, .. }) => (false, lit),
        Expr::Unary(ExprUnary {
            op: UnOp::Neg(_),
            expr,
            ..
        }) => match &**expr {
            Expr::Lit(ExprLit { lit, .. }) => (true, lit),
            _ => (
                false,
                &Lit::Verbatim(proc_macro2::Literal::u8_unsuffixed(0)),
            ),
        },
        _ => (
            false,
            &Lit::Verbatim(proc_macro2::Literal::u8_unsuffixed(0)),
        ),
    };
    let sign = if negative { -1 } else { 1 };
    let value = match lit {
        Lit::Bool(b) if !negative => Some(DefaultValue::Bool(b.value)),
        Lit::Int(i) => i
            .base10_parse::<i64>()
            .ok()
            .map(|v| DefaultValue::Int(sign * v)),
        Lit::Float(f) => f
            .base10_parse::<f64>()
            .ok()
            .map(|v| DefaultValue::from_float(sign as f64 * v)),
        Lit::Str(s) if !negative => Some(DefaultValue::Sql(naming::quote_literal(&s.value()))),
        _ => None,
    };
    if value.is_none() {
        errors.push_help(
            expr.span(),
            "`default` takes a literal: a bool, an integer, a float or a string",
            "for an SQL expression use #[column(default_sql = \"...\")], for the current time #[column(default_now)]",
        );
    }
    value
}

/// Checks a literal default against the column's type: the rule is
/// [`crate::defaults::check_literal_default`]; an enum column's labels are
/// known only to the resolver, but any literal other than a string is wrong
/// for it already.
fn check_default_fits(
    default: &DefaultValue,
    ty: &TypeSpec,
    span: proc_macro2::Span,
    errors: &mut ParseErrors,
) {
    let result = match ty {
        TypeSpec::Builtin(s) | TypeSpec::Sql(s) => check_literal_default(default, s),
        TypeSpec::Enum { dims: 0, rust_name } if !matches!(default, DefaultValue::Sql(_)) => Err(
            format!("this default does not fit a column of enum type `{rust_name}`"),
        ),
        TypeSpec::Enum { .. } => Ok(()),
    };
    if let Err(message) = result {
        errors.push_help(
            span,
            &message,
            "give a literal of the column's type, or an SQL expression with default_sql = \"...\"",
        );
    }
}

/// `generated = "<expr>"` (stored), `generated(stored = "<expr>")` or
/// `generated(virtual = "<expr>")` (PostgreSQL 18's computed-on-read column).
fn generated_spec(
    meta: &syn::meta::ParseNestedMeta,
    errors: &mut ParseErrors,
) -> syn::Result<Generated> {
    const FORM: &str = "the correct form is generated = \"<expr>\" (stored), \
        generated(stored = \"<expr>\") or generated(virtual = \"<expr>\")";
    if meta.input.peek(Token![=]) {
        return Ok(Generated::stored(sql_value(meta, "generated", errors)?));
    }
    let (mut out, mut any_key): (Option<Generated>, bool) = (None, false);
    meta.parse_nested_meta(|inner| {
        any_key = true;
        let kind = match meta_key(&inner).as_str() {
            "stored" => GeneratedKind::Stored,
            "virtual" => GeneratedKind::Virtual,
            _ => return unknown_key(&inner, "generated", "stored, virtual", errors),
        };
        let expr = sql_value(&inner, kind.as_str(), errors)?;
        if out.is_some() {
            errors.push_help(
                inner.path.span(),
                "`generated(...)` takes one expression",
                FORM,
            );
        }
        out = Some(Generated { expr, kind });
        Ok(())
    })?;
    Ok(out.unwrap_or_else(|| {
        // An unknown key was reported already.
        if !any_key {
            errors.push_help(
                meta.path.span(),
                "`generated(...)` needs an expression",
                FORM,
            );
        }
        Generated::stored(String::new())
    }))
}

fn identity_spec(
    meta: &syn::meta::ParseNestedMeta,
    errors: &mut ParseErrors,
) -> syn::Result<IdentitySpec> {
    const FORM: &str = "the correct form is identity = \"always\", identity = \"by_default\", or \
        identity(always, start = 1, increment = 1, min_value = 1, max_value = 100, cache = 1, cycle)";
    let mut spec = IdentitySpec {
        kind: IdentityKind::Always,
        name: None,
        numbers: SequenceSpec::default(),
    };
    if meta.input.peek(Token![=]) {
        let lit: LitStr = meta.value()?.parse()?;
        spec.kind = match lit.value().as_str() {
            "always" => IdentityKind::Always,
            "by_default" => IdentityKind::ByDefault,
            other => {
                errors.push_help(
                    lit.span(),
                    &format!("`{other}` is not an identity kind"),
                    FORM,
                );
                IdentityKind::Always
            }
        };
        return Ok(spec);
    }
    let mut kind_given = false;
    meta.parse_nested_meta(|inner| {
        let key = meta_key(&inner);
        if sequence_number(&key, &inner, &mut spec.numbers)? {
            return Ok(());
        }
        match key.as_str() {
            "always" => {
                spec.kind = IdentityKind::Always;
                kind_given = true;
            }
            "by_default" => {
                spec.kind = IdentityKind::ByDefault;
                kind_given = true;
            }
            "name" => spec.name = Some(checked_name(&inner.value()?.parse()?, errors)),
            _ => unknown_key(
                &inner,
                "identity",
                "always, by_default, name, start, increment, min_value, max_value, cache, cycle",
                errors,
            )?,
        }
        Ok(())
    })?;
    if !kind_given {
        errors.push_help(
            meta.path.span(),
            "`identity(...)` needs `always` or `by_default`",
            FORM,
        );
    }
    Ok(spec)
}

/// One of a sequence's numbers (`start`, `increment`, `min_value`,
/// `max_value`, `cache`, `cycle`), shared by `identity(...)` and
/// `#[sequence(...)]`; false when `key` is none of them.
pub(super) fn sequence_number(
    key: &str,
    inner: &syn::meta::ParseNestedMeta,
    numbers: &mut SequenceSpec,
) -> syn::Result<bool> {
    let number = |inner: &syn::meta::ParseNestedMeta| -> syn::Result<i64> {
        let expr: Expr = inner.value()?.parse()?;
        match &expr {
            Expr::Lit(ExprLit {
                lit: Lit::Int(i), ..
            }) => i.base10_parse(),
            Expr::Unary(ExprUnary {
                op: UnOp::Neg(_),
                expr,
                ..
            }) => match &**expr {
                // Through i128, so that i64::MIN (a bigint sequence's
                // minimum) is read.
                Expr::Lit(ExprLit {
                    lit: Lit::Int(i), ..
                }) => i.base10_parse::<i128>().and_then(|v| {
                    i64::try_from(-v)
                        .map_err(|_| syn::Error::new(i.span(), "number too large for a bigint"))
                }),
                _ => Err(syn::Error::new(expr.span(), "expected an integer")),
            },
            _ => Err(syn::Error::new(expr.span(), "expected an integer")),
        }
    };
    match key {
        "start" => numbers.start = Some(number(inner)?),
        "increment" => numbers.increment = Some(number(inner)?),
        "min_value" => numbers.min_value = Some(number(inner)?),
        "max_value" => numbers.max_value = Some(number(inner)?),
        "cache" => numbers.cache = Some(number(inner)?),
        "cycle" => numbers.cycle = true,
        _ => return Ok(false),
    }
    Ok(true)
}
