import { sql } from 'drizzle-orm';
import { bigint, integer, pgMaterializedView, pgSchema, pgSequence, pgTable, pgView, text } from 'drizzle-orm/pg-core';
export const app = pgSchema('app');
export const items = pgTable('items', { id: integer('id').primaryKey(), name: text('name').notNull(), price: integer('price') });
export const appSeq = app.sequence('app_seq', { startWith: 10, increment: 5, minValue: 10, maxValue: 100000, cache: 3 });
export const appView = app.view('app_view', { id: integer('id') }).with({ securityBarrier: true }).as(sql`select id from items`);
export const legacy = pgView('legacy', { id: integer('id') }).existing();
export const stockView = pgMaterializedView('stock_view', { id: integer('id'), price: integer('price') }).using('heap').with({ fillfactor: 70, autovacuumEnabled: false }).tablespace('pg_default').withNoData().as(sql`select id, price from items`);
