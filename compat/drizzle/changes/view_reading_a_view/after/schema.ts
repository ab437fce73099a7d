import { sql } from 'drizzle-orm';
import { bigint, integer, pgMaterializedView, pgSchema, pgSequence, pgTable, pgView, text } from 'drizzle-orm/pg-core';
export const items = pgTable('items', { id: integer('id').primaryKey(), name: text('name').notNull(), price: integer('price') });
export const aView = pgView('a_view', { id: integer('id') }).as(sql`select id from z_view`);
export const zView = pgView('z_view', { id: integer('id'), name: text('name') }).as(sql`select id, name from items`);
