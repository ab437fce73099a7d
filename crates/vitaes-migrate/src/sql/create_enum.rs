use vitaes_schema_core::naming::{quote_ident, quote_literal};
use vitaes_schema_core::EnumDef;

/// `CREATE TYPE "public"."mood" AS ENUM('sad', 'ok');`
pub fn render(e: &EnumDef) -> String {
    let values = e
        .values
        .iter()
        .map(|v| quote_literal(v))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "CREATE TYPE {}.{} AS ENUM({values});",
        quote_ident(&e.schema),
        quote_ident(&e.name)
    )
}
