//! Offline comparison of SQL fragments (`default_sql`, `check`, `where`,
//! index expressions, `generated`): the same expression written differently —
//! whitespace, keyword case, redundant parentheses, needless quotes, or a
//! column qualified with its own table as drizzle-kit writes `"t"."c"` — must
//! not show as a change.
//!
//! Both sides of an offline diff are user-written, so sqlparser's AST is a
//! sound common form; against a live database, the server canonicalises.

use std::ops::ControlFlow;

use sqlparser::ast::{visit_expressions_mut, Expr, Ident, ObjectNamePart};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

/// The canonical text of `sql` as an expression of `table` (`schema`, `name`),
/// or the whitespace-collapsed text when it does not parse.
pub fn canonical(sql: &str, table: Option<(&str, &str)>) -> String {
    let dialect = PostgreSqlDialect {};
    let parsed = Parser::new(&dialect)
        .try_with_sql(sql)
        .and_then(|mut p| p.parse_expr());
    let Ok(mut expr) = parsed else {
        return sql.split_whitespace().collect::<Vec<_>>().join(" ");
    };
    let _ = visit_expressions_mut(&mut expr, |e| {
        normalize_expr(e, table);
        ControlFlow::<()>::Continue(())
    });
    normalize_expr(&mut expr, table);
    while let Expr::Nested(inner) = expr {
        expr = *inner;
    }
    expr.to_string()
}

/// Whether two fragments are the same expression.
pub fn same(a: &str, b: &str, table: Option<(&str, &str)>) -> bool {
    a == b || canonical(a, table) == canonical(b, table)
}

fn normalize_expr(e: &mut Expr, table: Option<(&str, &str)>) {
    match e {
        Expr::Identifier(ident) => normalize_ident(ident),
        Expr::CompoundIdentifier(parts) => {
            parts.iter_mut().for_each(normalize_ident);
            if let Some((schema, name)) = table {
                let own = match parts.as_slice() {
                    [t, _] => t.value == name,
                    [s, t, _] => s.value == schema && t.value == name,
                    _ => false,
                };
                if own {
                    let column = parts.pop().expect("two or three parts");
                    *e = Expr::Identifier(column);
                }
            }
        }
        Expr::Function(f) => {
            for part in &mut f.name.0 {
                if let ObjectNamePart::Identifier(ident) = part {
                    normalize_ident(ident);
                }
            }
        }
        Expr::Nested(inner) if is_atomic(inner) => {
            let inner = std::mem::replace(&mut **inner, Expr::value(sqlparser::ast::Value::Null));
            *e = inner;
        }
        _ => {}
    }
}

/// Expressions whose parentheses never change the meaning.
fn is_atomic(e: &Expr) -> bool {
    matches!(
        e,
        Expr::Identifier(_)
            | Expr::CompoundIdentifier(_)
            | Expr::Value(_)
            | Expr::Function(_)
            | Expr::Nested(_)
            | Expr::Cast { .. }
    )
}

/// `"email"` and `email` and `EMAIL` are one identifier; `"Email"` is another.
fn normalize_ident(ident: &mut Ident) {
    match ident.quote_style {
        None => ident.value = ident.value.to_lowercase(),
        Some('"') => {
            let plain = ident
                .value
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                && !ident.value.starts_with(|c: char| c.is_ascii_digit());
            if plain {
                ident.quote_style = None;
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_expression_written_differently_is_the_same() {
        let t = Some(("public", "users"));
        for (a, b) in [
            ("lower(email)", "LOWER( \"email\" )"),
            ("\"users\".\"email\" like '%@%'", "email LIKE '%@%'"),
            ("(price > 0)", "price > 0"),
            ("\"public\".\"users\".\"n\" >= 0", "n >= 0"),
            ("'{}'::jsonb", "'{}'::JSONB"),
            ("((a))", "a"),
            ("now()", "NOW()"),
        ] {
            assert_eq!(canonical(a, t), canonical(b, t), "{a} vs {b}");
        }
    }

    #[test]
    fn different_expressions_stay_different() {
        let t = Some(("public", "users"));
        for (a, b) in [
            ("(a + b) * c", "a + b * c"),
            ("\"Email\" = 'x'", "email = 'x'"),
            ("\"other\".\"email\" = 'x'", "email = 'x'"),
            ("n > 0", "n >= 0"),
            ("'a'", "'A'"),
        ] {
            assert_ne!(canonical(a, t), canonical(b, t), "{a} vs {b}");
        }
    }
}
