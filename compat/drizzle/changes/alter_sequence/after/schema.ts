import { sql } from 'drizzle-orm';
import { bigint, integer, pgMaterializedView, pgSchema, pgSequence, pgTable, pgView, text } from 'drizzle-orm/pg-core';
export const items = pgTable('items', { id: integer('id').primaryKey(), name: text('name').notNull(), price: integer('price') });
export const invoiceNo = pgSequence('invoice_no', { startWith: 2000, increment: 3, cache: 10, cycle: true });
