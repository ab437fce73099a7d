import { sql } from 'drizzle-orm';
import { bigint, integer, pgMaterializedView, pgSchema, pgSequence, pgTable, pgView, text } from 'drizzle-orm/pg-core';
export const items = pgTable('items', { id: integer('id').primaryKey(), name: text('name').notNull(), price: integer('price') });
export const invoiceNo = pgSequence('invoice_no', { startWith: 1000, increment: 2, minValue: 1, maxValue: 1000000, cache: 5, cycle: true });
