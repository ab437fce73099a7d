import { sql } from 'drizzle-orm';
import { bigint, integer, pgMaterializedView, pgSchema, pgSequence, pgTable, pgView, text } from 'drizzle-orm/pg-core';
export const items = pgTable('items', { id: integer('id').primaryKey(), name: text('name').notNull(), price: integer('price') });
export const v = pgView('v', { id: integer('id'), name: text('name') }).with({ checkOption: 'local', securityBarrier: true }).as(sql`select id, name from items where price > 10`);
