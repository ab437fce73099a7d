//! `COMMENT ON TABLE | COLUMN | [MATERIALIZED] VIEW | TYPE ... IS '...'`
//! (drizzle-kit writes none). Tables and their columns are named as the
//! table statements name them; views and types always with their schema.

use vitaes_schema_core::naming::{quote_ident, quote_literal};
use vitaes_schema_core::CommentOn;

use super::table_ref;

/// `COMMENT ON ... IS 'text';`, or `IS NULL` to remove it.
pub fn set(on: &CommentOn, text: Option<&str>) -> String {
    let target = match on {
        CommentOn::Table { schema, name } => format!("TABLE {}", table_ref(schema, name)),
        CommentOn::Column {
            schema,
            table,
            column,
        } => format!(
            "COLUMN {}.{}",
            table_ref(schema, table),
            quote_ident(column)
        ),
        CommentOn::View {
            schema,
            name,
            materialized,
        } => format!(
            "{} {}.{}",
            if *materialized {
                "MATERIALIZED VIEW"
            } else {
                "VIEW"
            },
            quote_ident(schema),
            quote_ident(name)
        ),
        CommentOn::Enum { schema, name } => {
            format!("TYPE {}.{}", quote_ident(schema), quote_ident(name))
        }
    };
    let text = text.map_or_else(|| "NULL".to_string(), quote_literal);
    format!("COMMENT ON {target} IS {text};")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_object_is_named_and_the_text_quoted() {
        let column = CommentOn::Column {
            schema: "public".into(),
            table: "users".into(),
            column: "email".into(),
        };
        assert_eq!(
            set(&column, Some("Where we write; it's unique")),
            r#"COMMENT ON COLUMN "users"."email" IS 'Where we write; it''s unique';"#
        );
        let view = CommentOn::View {
            schema: "app".into(),
            name: "totals".into(),
            materialized: true,
        };
        assert_eq!(
            set(&view, None),
            r#"COMMENT ON MATERIALIZED VIEW "app"."totals" IS NULL;"#
        );
        let table = CommentOn::Table {
            schema: "billing".into(),
            name: "invoices".into(),
        };
        assert_eq!(
            set(&table, Some("x")),
            r#"COMMENT ON TABLE "billing"."invoices" IS 'x';"#
        );
        let e = CommentOn::Enum {
            schema: "public".into(),
            name: "mood".into(),
        };
        assert_eq!(
            set(&e, Some("y")),
            r#"COMMENT ON TYPE "public"."mood" IS 'y';"#
        );
    }
}
