use vitaes_schema_core::naming::{quote_ident, sequence_name};
use vitaes_schema_core::{ColumnDef, Identity, IdentityKind, SequenceOptions};

use super::tables::{column_definition, identity_clause, qualified_type};
use super::{table_ref, table_sql};
use crate::diff::casts::{assignable, cast_directly};
use crate::diff::TableRef;

/// `ALTER TABLE "t" ADD COLUMN <definition>;`
pub fn add(table: &TableRef, c: &ColumnDef) -> String {
    format!(
        "ALTER TABLE {} ADD COLUMN {};",
        table_sql(table),
        column_definition(c, false)
    )
}

/// `ALTER TABLE "t" DROP COLUMN "c";`
pub fn drop(table: &TableRef, column: &str) -> String {
    format!(
        "ALTER TABLE {} DROP COLUMN {};",
        table_sql(table),
        quote_ident(column)
    )
}

/// `ALTER TABLE "t" ALTER COLUMN "c" <clause>;`
pub fn alter(table: &TableRef, column: &str, clause: &str) -> String {
    format!(
        "ALTER TABLE {} ALTER COLUMN {} {clause};",
        table_sql(table),
        quote_ident(column)
    )
}

pub fn set_default(table: &TableRef, column: &str, default_sql: &str) -> String {
    alter(table, column, &format!("SET DEFAULT {default_sql}"))
}

/// A type change. drizzle-kit writes `SET DATA TYPE t;` and sets the default
/// again; where PostgreSQL has no assignment cast (text → integer, text → uuid,
/// varchar → enum) that fails, so ours adds `USING "c"::t` (through text from
/// an enum) and drops the old default first, since it would not cast either.
pub fn set_type(
    table: &TableRef,
    from: &ColumnDef,
    to: &ColumnDef,
    from_enum: bool,
    to_enum: bool,
) -> Vec<String> {
    if let (Some(_), Some(to_int)) = (serial_integer(&from.sql_type), serial_integer(&to.sql_type))
    {
        // `bigserial` is no type PostgreSQL can convert to (drizzle-kit's SET
        // DATA TYPE bigserial fails): change the column and its sequence.
        let seq = table_ref(&table.schema, &sequence_name(&table.name, &to.name));
        return vec![
            alter(table, &to.name, &format!("SET DATA TYPE {to_int}")),
            format!("ALTER SEQUENCE {seq} AS {to_int};"),
        ];
    }
    let col = &to.name;
    let target = qualified_type(to);
    let quoted = quote_ident(col);
    let mut out = Vec::new();
    if to_enum && !from_enum {
        if cast_directly(&from.sql_type, false, "text") {
            // drizzle-kit's text: the default (cast to the enum) first, then the type.
            if let Some(d) = &to.default {
                out.push(set_default(
                    table,
                    col,
                    &format!("{}::{target}", d.to_sql()),
                ));
            } else if from.default.is_some() {
                out.push(alter(table, col, "DROP DEFAULT"));
            }
            out.push(alter(
                table,
                col,
                &format!("SET DATA TYPE {target} USING {quoted}::{target}"),
            ));
        } else {
            // Not a string: the old default goes first (it would not cast) and
            // the value goes through its text form.
            if from.default.is_some() {
                out.push(alter(table, col, "DROP DEFAULT"));
            }
            out.push(alter(
                table,
                col,
                &format!("SET DATA TYPE {target} USING {quoted}::text::{target}"),
            ));
            if let Some(d) = &to.default {
                out.push(set_default(table, col, &d.to_sql()));
            }
        }
        return out;
    }
    if from_enum && to_enum {
        let renamed = from.sql_type != to.sql_type || from.type_schema != to.type_schema;
        if from.default.is_some() && renamed {
            out.push(alter(table, col, "DROP DEFAULT"));
        }
        out.push(alter(
            table,
            col,
            &format!("SET DATA TYPE {target} USING {quoted}::text::{target}"),
        ));
        if let Some(d) = &to.default {
            out.push(set_default(table, col, &d.to_sql()));
        }
        return out;
    }
    if assignable(&from.sql_type, from_enum, &to.sql_type, to_enum) {
        out.push(alter(table, col, &format!("SET DATA TYPE {target}")));
    } else {
        if from.default.is_some() {
            out.push(alter(table, col, "DROP DEFAULT"));
        }
        let via = if cast_directly(&from.sql_type, from_enum, &to.sql_type) {
            ""
        } else {
            "::text"
        };
        out.push(alter(
            table,
            col,
            &format!("SET DATA TYPE {target} USING {quoted}{via}::{target}"),
        ));
    }
    if let Some(d) = &to.default {
        out.push(set_default(table, col, &d.to_sql()));
    }
    out
}

/// The integer type behind a serial type.
fn serial_integer(sql_type: &str) -> Option<&'static str> {
    match sql_type {
        "smallserial" => Some("smallint"),
        "serial" => Some("integer"),
        "bigserial" => Some("bigint"),
        _ => None,
    }
}

/// `ALTER TABLE "t" ALTER COLUMN "c" ADD GENERATED ... AS IDENTITY (...);`
pub fn add_identity(table: &TableRef, column: &str, identity: &Identity) -> String {
    alter(table, column, &format!("ADD {}", identity_clause(identity)))
}

/// One statement per changed identity option, in drizzle-kit's order; one
/// statement for all of them when a step of that order would leave START
/// outside MINVALUE..MAXVALUE (PostgreSQL checks each statement), as moving
/// `-200..200 START -200` to `-100..100 START -100` does.
pub fn alter_identity(
    table: &TableRef,
    column: &str,
    from: &Identity,
    to: &Identity,
) -> Vec<String> {
    let mut clauses = Vec::new();
    if from.kind != to.kind {
        clauses.push(match to.kind {
            IdentityKind::Always => "SET GENERATED ALWAYS".to_string(),
            IdentityKind::ByDefault => "SET GENERATED BY DEFAULT".to_string(),
        });
    }
    for (label, a, b) in [
        (
            "SET MINVALUE",
            &from.options.min_value,
            &to.options.min_value,
        ),
        (
            "SET MAXVALUE",
            &from.options.max_value,
            &to.options.max_value,
        ),
        (
            "SET INCREMENT BY",
            &from.options.increment,
            &to.options.increment,
        ),
        (
            "SET START WITH",
            &from.options.start_with,
            &to.options.start_with,
        ),
        ("SET CACHE", &from.options.cache, &to.options.cache),
    ] {
        if a != b {
            clauses.push(format!("{label} {b}"));
        }
    }
    if from.options.cycle != to.options.cycle {
        clauses.push(
            if to.options.cycle {
                "SET CYCLE"
            } else {
                "SET NO CYCLE"
            }
            .to_string(),
        );
    }
    if steps_stay_in_range(&from.options, &to.options) {
        clauses.iter().map(|c| alter(table, column, c)).collect()
    } else {
        vec![alter(table, column, &clauses.join(" "))]
    }
}

/// Whether setting MINVALUE, then MAXVALUE, then START one statement at a
/// time keeps `min <= start <= max` after each; bounds that are not plain
/// integers are taken as fine.
fn steps_stay_in_range(from: &SequenceOptions, to: &SequenceOptions) -> bool {
    let num = |s: &str| s.trim().parse::<i128>().ok();
    let (Some(min), Some(max), Some(start)) = (
        num(&from.min_value),
        num(&from.max_value),
        num(&from.start_with),
    ) else {
        return true;
    };
    // [min, max, start], each replaced in the order the statements run.
    let mut state = [min, max, start];
    for (i, value) in [&to.min_value, &to.max_value, &to.start_with]
        .into_iter()
        .enumerate()
    {
        if let Some(v) = num(value) {
            state[i] = v;
        }
        let [min, max, start] = state;
        if min > start || start > max {
            return false;
        }
    }
    true
}

/// A column becoming generated, changing its expression or kind, or a virtual
/// one becoming plain: PostgreSQL 15 has no way to alter it in place, so
/// drizzle-kit drops and adds it (its values are computed, so nothing is lost,
/// except a virtual column's for the plain one that replaces it); same text.
pub fn set_generated(table: &TableRef, column: &ColumnDef) -> Vec<String> {
    vec![
        format!(
            "ALTER TABLE {} drop column {};",
            table_sql(table),
            quote_ident(&column.name)
        ),
        add(table, column),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use vitaes_schema_core::SequenceOptions;

    fn identity(min: &str, max: &str, start: &str) -> Identity {
        Identity {
            kind: IdentityKind::ByDefault,
            name: "t_c_seq".into(),
            schema: "public".into(),
            options: SequenceOptions {
                increment: "1".into(),
                start_with: start.into(),
                min_value: min.into(),
                max_value: max.into(),
                cache: "1".into(),
                cycle: false,
            },
        }
    }

    #[test]
    fn identity_options_narrowed_past_start_are_one_statement() {
        let t = TableRef {
            schema: "public".into(),
            name: "t".into(),
        };
        // MINVALUE -100 first would leave START -200 below it.
        let narrowed = alter_identity(
            &t,
            "c",
            &identity("-200", "200", "-200"),
            &identity("-100", "100", "-100"),
        );
        assert_eq!(
            narrowed,
            [
                r#"ALTER TABLE "t" ALTER COLUMN "c" SET MINVALUE -100 SET MAXVALUE 100 SET START WITH -100;"#
            ]
        );
        // Each step valid: drizzle-kit's one statement per option.
        let widened = alter_identity(
            &t,
            "c",
            &identity("1", "100", "1"),
            &identity("1", "1000", "5"),
        );
        assert_eq!(widened.len(), 2, "{widened:?}");
    }
}
