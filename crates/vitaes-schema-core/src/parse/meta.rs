//! What the attribute parsers of tables and columns share: reading keys,
//! reporting unknown ones, user-given names and referential actions.

use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned;
use syn::{Ident, LitStr, Path, Token};

use super::errors::ParseErrors;
use crate::model::FkAction;
use crate::naming;

/// `references(User, id)`: the struct path as written and the field ident, so
/// the derive can expand `<User as Table>::COLUMNS.id` spanned at `id`.
pub struct FieldUse {
    /// The referenced struct's path, as written.
    pub table: Path,
    /// The referenced field.
    pub field: Ident,
}

/// The key of a nested meta item as text (`type` included, which is a keyword).
pub(super) fn meta_key(meta: &ParseNestedMeta) -> String {
    meta.path
        .get_ident()
        .map(|i| naming::field_name(&i.to_string()))
        .unwrap_or_else(|| {
            let path = &meta.path;
            quote::quote!(#path).to_string().replace(' ', "")
        })
}

/// The last segment of a path, as a field name (`crate::User` → `user`).
pub(super) fn last_segment(path: &Path) -> String {
    path.segments
        .last()
        .map(|s| naming::field_name(&s.ident.to_string()))
        .unwrap_or_default()
}

/// Records an unknown key and skips its value so parsing goes on.
pub(super) fn unknown_key(
    meta: &ParseNestedMeta,
    attr: &str,
    known: &str,
    errors: &mut ParseErrors,
) -> syn::Result<()> {
    errors.push_help(
        meta.path.span(),
        &format!("unknown `{attr}` key `{}`", meta_key(meta)),
        &format!("`{attr}` accepts: {known}"),
    );
    skip_value(meta)
}

/// Skips a key's `= value` or `(...)`, for keys already reported.
pub(super) fn skip_value(meta: &ParseNestedMeta) -> syn::Result<()> {
    if meta.input.peek(Token![=]) {
        let _: syn::Expr = meta.value()?.parse()?;
    } else if meta.input.peek(syn::token::Paren) {
        let content;
        syn::parenthesized!(content in meta.input);
        let _: proc_macro2::TokenStream = content.parse()?;
    }
    Ok(())
}

/// A user-given SQL name; over 63 bytes is an error since PostgreSQL would cut it.
pub(super) fn checked_name(lit: &LitStr, errors: &mut ParseErrors) -> String {
    let value = lit.value();
    if value.is_empty() {
        errors.push(syn::Error::new(lit.span(), "a name cannot be empty"));
    } else if !naming::fits(&value) {
        errors.push_help(
            lit.span(),
            &format!(
                "`{value}` is {} bytes long; PostgreSQL cuts names at 63 bytes",
                value.len()
            ),
            "choose a name of at most 63 bytes",
        );
    }
    value
}

/// What PostgreSQL does with an identifier over 63 bytes: it cuts it.
pub(super) const NAMES_ARE_CUT: &str = "PostgreSQL cuts names at 63 bytes";
/// What PostgreSQL does with an enum label over 63 bytes: it rejects it.
pub(super) const LABELS_ARE_LIMITED: &str = "PostgreSQL accepts labels of at most 63 bytes";

/// Records an error when a name the tools derived (a table name from its
/// struct, a column from its field, an enum label from its variant) is over
/// 63 bytes: PostgreSQL would keep a cut name the code never mentions (or
/// reject a label), and the next diff could not find the object. `what`
/// names the object, `rule` is [`NAMES_ARE_CUT`] or [`LABELS_ARE_LIMITED`],
/// `help` says where to give a shorter name.
pub(super) fn check_derived_length(
    name: &str,
    what: &str,
    rule: &str,
    span: proc_macro2::Span,
    help: &str,
    errors: &mut ParseErrors,
) {
    if !naming::fits(name) {
        errors.push_help(
            span,
            &format!("{what} `{name}` is {} bytes long; {rule}", name.len()),
            help,
        );
    }
}

/// A referential action (`"cascade"`, ...); a wrong one is reported and
/// read as `NO ACTION` so parsing goes on.
pub(super) fn fk_action(lit: &LitStr, errors: &mut ParseErrors) -> FkAction {
    FkAction::parse(&lit.value()).unwrap_or_else(|| {
        errors.push_help(
            lit.span(),
            &format!("`{}` is not a referential action", lit.value()),
            "use one of \"cascade\", \"restrict\", \"no action\", \"set null\", \"set default\"",
        );
        FkAction::NoAction
    })
}

/// The item's doc comment (`///` lines, or `#[doc = "..."]`), one line per
/// attribute with the single space after `///` taken off, trimmed; `None`
/// when there is none.
pub(super) fn doc_comment(attrs: &[syn::Attribute]) -> Option<String> {
    let lines: Vec<String> = attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .map(|line| {
            line.strip_prefix(' ')
                .unwrap_or(&line)
                .trim_end()
                .to_string()
        })
        .collect();
    let text = lines.join("\n").trim().to_string();
    (!text.is_empty()).then_some(text)
}
