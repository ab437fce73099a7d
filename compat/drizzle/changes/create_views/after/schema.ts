import { sql } from 'drizzle-orm';
import { bigint, integer, pgMaterializedView, pgSchema, pgSequence, pgTable, pgView, text } from 'drizzle-orm/pg-core';
export const items = pgTable('items', { id: integer('id').primaryKey(), name: text('name').notNull(), price: integer('price') });
export const rawView = pgView('raw_view', { id: integer('id'), name: text('name') }).with({ checkOption: 'local', securityBarrier: true, securityInvoker: true }).as(sql`select id, name from items where price > 10`);
export const matView = pgMaterializedView('mat_view', { id: integer('id'), name: text('name') }).using('heap').with({ fillfactor: 70 }).withNoData().as(sql`select id, name from items`);
export const matOnView = pgMaterializedView('mat_on_view', { id: integer('id') }).as(sql`select id from raw_view`);
