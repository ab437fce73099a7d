import { integer, pgSchema, pgTable, text } from 'drizzle-orm/pg-core';
export const users = pgTable('users', { id: integer('id').primaryKey() });
export const app = pgSchema('app');
export const items = app.table('items', { id: integer('id').primaryKey(), name: text('name').notNull() });
