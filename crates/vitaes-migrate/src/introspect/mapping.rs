//! From PostgreSQL's spellings to the model's (drizzle-kit's): types, default
//! literals, check bodies, index options.

use vitaes_schema_core::types::normalize_sql_type;
use vitaes_schema_core::DefaultValue;

/// `format_type` output in drizzle-kit's spelling: `character varying(255)` →
/// `varchar(255)`, `timestamp(3) with time zone` → `timestamp (3) with time zone`.
pub fn drizzle_type(formatted: &str) -> String {
    let (base, dims) = match formatted.find("[]") {
        Some(i) => (&formatted[..i], &formatted[i..]),
        None => (formatted, ""),
    };
    // Time types put their precision before "with/without time zone".
    let spelled = if let Some(rest) = base
        .strip_prefix("timestamp(")
        .or_else(|| base.strip_prefix("time("))
    {
        let kind = if base.starts_with("timestamp") {
            "timestamp"
        } else {
            "time"
        };
        let (precision, zone) = rest.split_once(')').unwrap_or((rest, ""));
        match zone.trim() {
            "with time zone" => format!("{kind} ({precision}) with time zone"),
            _ => format!("{kind} ({precision})"),
        }
    } else {
        normalize_sql_type(base)
    };
    format!("{spelled}{dims}")
}

/// A default as the model holds it: JSON-typed booleans and numbers as
/// drizzle-kit records them, anything else as PostgreSQL's SQL text.
pub fn default_value(expr: &str) -> DefaultValue {
    match expr {
        "true" => return DefaultValue::Bool(true),
        "false" => return DefaultValue::Bool(false),
        _ => {}
    }
    let unwrapped = expr
        .strip_prefix('(')
        .and_then(|e| e.strip_suffix(')'))
        .unwrap_or(expr);
    if let Ok(i) = unwrapped.parse::<i64>() {
        return DefaultValue::Int(i);
    }
    if unwrapped.contains('.') {
        // Only when the number reads back as written: `20.0` and `1.50`
        // carry a numeric scale that a JSON number would lose.
        if let Ok(f) = unwrapped.parse::<f64>() {
            let value = DefaultValue::from_float(f);
            if value.to_sql() == unwrapped {
                return value;
            }
        }
    }
    DefaultValue::Sql(expr.to_string())
}

/// `CHECK ((price > 0))` → `(price > 0)`; `NOT VALID` and `NO INHERIT`
/// dropped (the model has neither; not_managed.sql names a NO INHERIT check).
pub fn check_expression(definition: &str) -> String {
    let mut body = definition.trim();
    for suffix in ["NOT VALID", "NO INHERIT"] {
        body = body.strip_suffix(suffix).unwrap_or(body).trim();
    }
    let body = body.strip_prefix("CHECK ").unwrap_or(body).trim();
    match body.strip_prefix('(').and_then(|b| b.strip_suffix(')')) {
        Some(inner) => inner.trim().to_string(),
        None => body.to_string(),
    }
}

/// `reloptions` (`fillfactor=70`) as the model's `with` list.
pub fn with_options(options: Vec<String>) -> Vec<(String, serde_json::Value)> {
    options
        .into_iter()
        .filter_map(|o| {
            let (k, v) = o.split_once('=')?;
            let value = match v.parse::<i64>() {
                Ok(i) => serde_json::json!(i),
                Err(_) => match v {
                    "true" | "on" => serde_json::json!(true),
                    "false" | "off" => serde_json::json!(false),
                    _ => serde_json::json!(v),
                },
            };
            Some((k.to_string(), value))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_spellings_become_drizzle_kits() {
        assert_eq!(drizzle_type("character varying(255)"), "varchar(255)");
        assert_eq!(drizzle_type("timestamp without time zone"), "timestamp");
        assert_eq!(
            drizzle_type("timestamp(3) with time zone"),
            "timestamp (3) with time zone"
        );
        assert_eq!(
            drizzle_type("timestamp(6) without time zone"),
            "timestamp (6)"
        );
        assert_eq!(drizzle_type("numeric(12,2)"), "numeric(12, 2)");
        assert_eq!(drizzle_type("integer[]"), "integer[]");
        assert_eq!(drizzle_type("time without time zone"), "time");
        assert_eq!(drizzle_type("double precision"), "double precision");
    }

    #[test]
    fn defaults_and_checks() {
        assert_eq!(default_value("false"), DefaultValue::Bool(false));
        assert_eq!(default_value("0"), DefaultValue::Int(0));
        assert_eq!(
            default_value("'-1'::integer"),
            DefaultValue::Sql("'-1'::integer".into())
        );
        assert_eq!(default_value("1.5"), DefaultValue::Float(1.5));
        assert_eq!(default_value("20.0"), DefaultValue::Sql("20.0".into()));
        assert_eq!(default_value("1.50"), DefaultValue::Sql("1.50".into()));
        assert_eq!(default_value("now()"), DefaultValue::Sql("now()".into()));
        assert_eq!(check_expression("CHECK ((price > 0))"), "(price > 0)");
        assert_eq!(check_expression("CHECK (price > 0) NOT VALID"), "price > 0");
        assert_eq!(check_expression("CHECK ((a > 2)) NO INHERIT"), "(a > 2)");
    }
}
