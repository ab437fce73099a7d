//! `CREATE SEQUENCE`, `ALTER SEQUENCE` and `DROP SEQUENCE`, and the numbers
//! clause an identity column's sequence shares with them.

use vitaes_schema_core::naming::quote_ident;
use vitaes_schema_core::{SequenceDef, SequenceOptions};

/// `"schema"."name"`, always qualified (drizzle-kit's spelling for sequences).
fn name(q: &SequenceDef) -> String {
    format!("{}.{}", quote_ident(&q.schema), quote_ident(&q.name))
}

/// `INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1 [CYCLE]`,
/// drizzle-kit's order; an empty number (a snapshot that lacks it) is left out.
pub fn options_sql(o: &SequenceOptions) -> String {
    let mut parts = Vec::new();
    for (label, value) in [
        ("INCREMENT BY", &o.increment),
        ("MINVALUE", &o.min_value),
        ("MAXVALUE", &o.max_value),
        ("START WITH", &o.start_with),
        ("CACHE", &o.cache),
    ] {
        if !value.is_empty() {
            parts.push(format!("{label} {value}"));
        }
    }
    if o.cycle {
        parts.push("CYCLE".into());
    }
    parts.join(" ")
}

/// `AS integer ` for a sequence that is not `bigint` (drizzle-kit has only bigint).
fn as_type(q: &SequenceDef) -> String {
    if q.data_type == "bigint" {
        String::new()
    } else {
        format!("AS {} ", q.data_type)
    }
}

/// `CREATE SEQUENCE "public"."s" INCREMENT BY ... CACHE 1;`, drizzle-kit's text.
pub fn create(q: &SequenceDef) -> String {
    format!(
        "CREATE SEQUENCE {} {}{};",
        name(q),
        as_type(q),
        options_sql(&q.options)
    )
}

/// drizzle-kit's `ALTER SEQUENCE` restating every number. Where drizzle-kit
/// only leaves the word `CYCLE` out, which keeps the sequence cycling, this
/// says `NO CYCLE`; a changed type is `AS <type>` first.
pub fn alter(from: &SequenceDef, to: &SequenceDef) -> String {
    let ty = if from.data_type == to.data_type {
        String::new()
    } else {
        format!("AS {} ", to.data_type)
    };
    let no_cycle = if from.options.cycle && !to.options.cycle {
        " NO CYCLE"
    } else {
        ""
    };
    format!(
        "ALTER SEQUENCE {} {ty}{}{no_cycle};",
        name(to),
        options_sql(&to.options)
    )
}

/// `DROP SEQUENCE "public"."s";`
pub fn drop(q: &SequenceDef) -> String {
    format!("DROP SEQUENCE {};", name(q))
}

#[cfg(test)]
mod tests {
    use super::*;
    use vitaes_schema_core::resolve::sequences::options;
    use vitaes_schema_core::unresolved::SequenceSpec;

    fn seq(spec: SequenceSpec, ty: &str) -> SequenceDef {
        SequenceDef {
            name: "invoice_no".into(),
            schema: "public".into(),
            data_type: ty.into(),
            options: options(&spec, ty),
        }
    }

    #[test]
    fn statements_are_drizzle_kits() {
        let all = SequenceSpec {
            start: Some(1000),
            increment: Some(2),
            min_value: Some(1),
            max_value: Some(1000000),
            cache: Some(5),
            cycle: true,
        };
        assert_eq!(
            create(&seq(all.clone(), "bigint")),
            r#"CREATE SEQUENCE "public"."invoice_no" INCREMENT BY 2 MINVALUE 1 MAXVALUE 1000000 START WITH 1000 CACHE 5 CYCLE;"#
        );
        assert_eq!(
            create(&seq(SequenceSpec::default(), "bigint")),
            r#"CREATE SEQUENCE "public"."invoice_no" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;"#
        );
        assert_eq!(
            create(&seq(
                SequenceSpec {
                    increment: Some(-5),
                    max_value: Some(-10),
                    ..SequenceSpec::default()
                },
                "bigint"
            )),
            r#"CREATE SEQUENCE "public"."invoice_no" INCREMENT BY -5 MINVALUE -9223372036854775808 MAXVALUE -10 START WITH -10 CACHE 1;"#
        );
        let started = SequenceSpec {
            start: Some(2000),
            ..all.clone()
        };
        assert_eq!(
            alter(&seq(all.clone(), "bigint"), &seq(started, "bigint")),
            r#"ALTER SEQUENCE "public"."invoice_no" INCREMENT BY 2 MINVALUE 1 MAXVALUE 1000000 START WITH 2000 CACHE 5 CYCLE;"#
        );
        let no_cycle = SequenceSpec {
            cycle: false,
            ..all.clone()
        };
        assert_eq!(
            alter(&seq(all, "bigint"), &seq(no_cycle, "bigint")),
            r#"ALTER SEQUENCE "public"."invoice_no" INCREMENT BY 2 MINVALUE 1 MAXVALUE 1000000 START WITH 1000 CACHE 5 NO CYCLE;"#
        );
        assert_eq!(
            create(&seq(SequenceSpec::default(), "integer")),
            r#"CREATE SEQUENCE "public"."invoice_no" AS integer INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1;"#
        );
        assert_eq!(
            drop(&seq(SequenceSpec::default(), "bigint")),
            r#"DROP SEQUENCE "public"."invoice_no";"#
        );
    }
}
