use vitaes_schema_core::naming::quote_ident;
use vitaes_schema_core::{ForeignKey, TableDef};

use super::{column_list, table_ref};

/// `ALTER TABLE "t" ADD CONSTRAINT "n" FOREIGN KEY ("c") REFERENCES "public"."u"("id") ON DELETE cascade ON UPDATE no action;`
pub fn render_add(table: &TableDef, fk: &ForeignKey) -> String {
    format!(
        "ALTER TABLE {} ADD CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {}.{}({}) ON DELETE {} ON UPDATE {};",
        table_ref(&table.schema, &table.name),
        quote_ident(&fk.name),
        column_list(&fk.columns),
        quote_ident(&fk.ref_schema),
        quote_ident(&fk.ref_table),
        column_list(&fk.ref_columns),
        fk.on_delete.as_str(),
        fk.on_update.as_str(),
    )
}
