import { sql } from 'drizzle-orm';
import { bigint, integer, pgMaterializedView, pgSchema, pgSequence, pgTable, pgView, text } from 'drizzle-orm/pg-core';
export const items = pgTable('items', { id: integer('id').primaryKey(), name: text('name').notNull(), price: integer('price') });
