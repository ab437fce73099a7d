//! `CREATE [MATERIALIZED] VIEW`, `ALTER [MATERIALIZED] VIEW` and `DROP
//! [MATERIALIZED] VIEW`, in drizzle-kit 0.31's words.

use vitaes_schema_core::naming::{quote_ident, quote_literal};
use vitaes_schema_core::{OptionValue, ViewDef, ViewOption};

fn name(v: &ViewDef) -> String {
    format!("{}.{}", quote_ident(&v.schema), quote_ident(&v.name))
}

fn kind(v: &ViewDef) -> &'static str {
    if v.materialized {
        "MATERIALIZED VIEW"
    } else {
        "VIEW"
    }
}

/// A word drizzle-kit writes bare (`pg_default`, `local`): a plain lower-case
/// identifier or number; anything else is quoted so it cannot break the
/// statement.
fn is_plain(word: &str) -> bool {
    !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.')
}

fn tablespace(name: &str) -> String {
    if is_plain(name) {
        name.to_string()
    } else {
        quote_ident(name)
    }
}

fn value(v: &OptionValue) -> String {
    match v {
        OptionValue::Text(t) if !is_plain(t) => quote_literal(t),
        other => other.to_sql(),
    }
}

/// `key = value, ...`.
fn assignments(options: &[&ViewOption]) -> String {
    options
        .iter()
        .map(|o| format!("{} = {}", o.key, value(&o.value)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `CREATE VIEW "s"."v" WITH (check_option = local) AS (select ...);` or
/// `CREATE MATERIALIZED VIEW "s"."m" USING "heap" WITH (fillfactor = 70)
/// TABLESPACE pg_default AS (select ...) WITH NO DATA;`.
pub fn create(v: &ViewDef) -> String {
    let mut sql = format!("CREATE {} {}", kind(v), name(v));
    if v.materialized {
        if let Some(using) = &v.using {
            sql.push_str(&format!(" USING {}", quote_ident(using)));
        }
    }
    if !v.with.is_empty() {
        let all: Vec<&ViewOption> = v.with.iter().collect();
        sql.push_str(&format!(" WITH ({})", assignments(&all)));
    }
    if v.materialized {
        if let Some(ts) = &v.tablespace {
            sql.push_str(&format!(" TABLESPACE {}", tablespace(ts)));
        }
    }
    sql.push_str(&format!(
        " AS ({})",
        v.definition.as_deref().unwrap_or_default()
    ));
    if v.materialized && v.with_no_data {
        sql.push_str(" WITH NO DATA");
    }
    sql.push(';');
    sql
}

/// Options that change in place, in drizzle-kit's order: keys added, keys
/// removed, keys changed, then the tablespace and the access method (back to
/// `pg_default` and `heap` when no longer said).
pub fn alter(from: &ViewDef, to: &ViewDef) -> Vec<String> {
    let head = format!("ALTER {} {}", kind(to), name(to));
    let mut out = Vec::new();
    let added: Vec<&ViewOption> = to
        .with
        .iter()
        .filter(|o| from.option(&o.key).is_none())
        .collect();
    let removed: Vec<&str> = from
        .with
        .iter()
        .filter(|o| to.option(&o.key).is_none())
        .map(|o| o.key.as_str())
        .collect();
    let changed: Vec<&ViewOption> = to
        .with
        .iter()
        .filter(|o| {
            from.option(&o.key)
                .is_some_and(|v| v.to_sql() != o.value.to_sql())
        })
        .collect();
    if !added.is_empty() {
        out.push(format!("{head} SET ({});", assignments(&added)));
    }
    if !removed.is_empty() {
        out.push(format!("{head} RESET ({});", removed.join(", ")));
    }
    if !changed.is_empty() {
        out.push(format!("{head} SET ({});", assignments(&changed)));
    }
    if to.materialized && from.tablespace != to.tablespace {
        let ts = to.tablespace.as_deref().unwrap_or("pg_default");
        out.push(format!("{head} SET TABLESPACE {};", tablespace(ts)));
    }
    if to.materialized && from.using != to.using {
        let am = to.using.as_deref().unwrap_or("heap");
        out.push(format!("{head} SET ACCESS METHOD {};", quote_ident(am)));
    }
    out
}

/// `DROP VIEW "s"."v";` or `DROP MATERIALIZED VIEW "s"."m";`.
pub fn drop(v: &ViewDef) -> String {
    format!("DROP {} {};", kind(v), name(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(materialized: bool, with: &[(&str, OptionValue)]) -> ViewDef {
        ViewDef {
            name: "v".into(),
            schema: "public".into(),
            definition: Some("select id from items".into()),
            materialized,
            existing: false,
            columns: vec![],
            with: with
                .iter()
                .map(|(k, v)| ViewOption {
                    key: k.to_string(),
                    value: v.clone(),
                })
                .collect(),
            with_no_data: false,
            using: None,
            tablespace: None,
        }
    }

    #[test]
    fn statements_are_drizzle_kits() {
        use OptionValue::*;
        let v = view(
            false,
            &[
                ("check_option", Text("local".into())),
                ("security_barrier", Bool(true)),
                ("security_invoker", Bool(true)),
            ],
        );
        assert_eq!(
            create(&v),
            r#"CREATE VIEW "public"."v" WITH (check_option = local, security_barrier = true, security_invoker = true) AS (select id from items);"#
        );
        let mut m = view(true, &[("fillfactor", Int(70))]);
        m.using = Some("heap".into());
        m.tablespace = Some("pg_default".into());
        m.with_no_data = true;
        assert_eq!(
            create(&m),
            r#"CREATE MATERIALIZED VIEW "public"."v" USING "heap" WITH (fillfactor = 70) TABLESPACE pg_default AS (select id from items) WITH NO DATA;"#
        );
        assert_eq!(drop(&m), r#"DROP MATERIALIZED VIEW "public"."v";"#);
        let before = view(
            false,
            &[
                ("check_option", Text("local".into())),
                ("security_barrier", Bool(true)),
            ],
        );
        let after = view(
            false,
            &[
                ("check_option", Text("cascaded".into())),
                ("security_invoker", Bool(true)),
            ],
        );
        assert_eq!(
            alter(&before, &after),
            [
                r#"ALTER VIEW "public"."v" SET (security_invoker = true);"#,
                r#"ALTER VIEW "public"."v" RESET (security_barrier);"#,
                r#"ALTER VIEW "public"."v" SET (check_option = cascaded);"#,
            ]
        );
        let mut m2 = m.clone();
        m2.with = vec![];
        m2.tablespace = None;
        m2.using = Some("heap2".into());
        assert_eq!(
            alter(&m, &m2),
            [
                r#"ALTER MATERIALIZED VIEW "public"."v" RESET (fillfactor);"#,
                r#"ALTER MATERIALIZED VIEW "public"."v" SET TABLESPACE pg_default;"#,
                r#"ALTER MATERIALIZED VIEW "public"."v" SET ACCESS METHOD "heap2";"#,
            ]
        );
    }
}
