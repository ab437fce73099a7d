//! SQL fragments in attributes (`default_sql`, `where`, `expr`, `check`,
//! `generated`): checked with sqlparser so a typo fails at compile time, with
//! `unchecked("...")` as the escape hatch for valid PostgreSQL that sqlparser
//! cannot parse.

use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::Token as SqlToken;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned;
use syn::{Expr, ExprCall, Lit, LitStr};

use super::errors::ParseErrors;

/// Reads `key = "<expr>"` or `key = unchecked("<expr>")` and validates the
/// former as one SQL expression.
pub(super) fn sql_value(
    meta: &ParseNestedMeta,
    key: &str,
    errors: &mut ParseErrors,
) -> syn::Result<String> {
    let expr: Expr = meta.value()?.parse()?;
    match &expr {
        Expr::Lit(lit) => match &lit.lit {
            Lit::Str(s) => {
                check_expression(s, key, errors);
                Ok(s.value())
            }
            _ => Err(form_error(expr.span(), key)),
        },
        Expr::Call(ExprCall { func, args, .. })
            if matches!(&**func, Expr::Path(p) if p.path.is_ident("unchecked"))
                && args.len() == 1 =>
        {
            match &args[0] {
                Expr::Lit(lit) => match &lit.lit {
                    Lit::Str(s) => Ok(s.value()),
                    _ => Err(form_error(expr.span(), key)),
                },
                _ => Err(form_error(expr.span(), key)),
            }
        }
        _ => Err(form_error(expr.span(), key)),
    }
}

fn form_error(span: proc_macro2::Span, key: &str) -> syn::Error {
    syn::Error::new(
        span,
        format!("`{key}` takes an SQL expression as a string\n  help: the correct form is {key} = \"<expr>\", or {key} = unchecked(\"<expr>\") for SQL the checker rejects"),
    )
}

/// Records an error at the literal when `lit` is not exactly one SQL expression.
pub(super) fn check_expression(lit: &LitStr, key: &str, errors: &mut ParseErrors) {
    if let Err(message) = parse_expression(&lit.value()) {
        errors.push_help(
            lit.span(),
            &format!("invalid SQL in `{key}`: {message}"),
            &format!("write one PostgreSQL expression; if PostgreSQL accepts it but this check does not, use {key} = unchecked(\"...\")"),
        );
    }
}

/// Parses `sql` as a single PostgreSQL expression.
pub fn parse_expression(sql: &str) -> Result<(), String> {
    let dialect = PostgreSqlDialect {};
    let mut parser = Parser::new(&dialect)
        .try_with_sql(sql)
        .map_err(|e| e.to_string())?;
    parser.parse_expr().map_err(|e| e.to_string())?;
    match parser.peek_token().token {
        SqlToken::EOF => Ok(()),
        other => Err(format!("unexpected `{other}` after the expression")),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_expression;

    #[test]
    fn accepts_expressions_postgres_users_write() {
        for ok in [
            "now()",
            "'{}'::jsonb",
            "'{}'::text[]",
            "gen_random_uuid()",
            "lower(email)",
            "price > 0 AND price < 1000",
            "status IN ('a', 'b')",
            "\"deleted_at\" IS NULL",
        ] {
            assert_eq!(parse_expression(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn rejects_broken_sql() {
        for bad in ["lower(email", "price >", "a b", ""] {
            assert!(parse_expression(bad).is_err(), "{bad}");
        }
    }
}
