import { sql } from 'drizzle-orm';
import { bigint, integer, pgMaterializedView, pgSchema, pgSequence, pgTable, pgView, text } from 'drizzle-orm/pg-core';
export const items = pgTable('items', { id: integer('id').primaryKey(), name: text('name').notNull(), price: integer('price') });
export const priceView = pgView('price_view', { id: integer('id'), price: integer('price') }).as(sql`select id, price from items`);
export const priceTotals = pgMaterializedView('price_totals', { total: bigint('total', { mode: 'number' }) }).as(sql`select sum(price) as total from price_view`);
