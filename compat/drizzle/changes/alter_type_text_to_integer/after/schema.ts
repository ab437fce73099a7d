import { integer, pgTable } from 'drizzle-orm/pg-core';
export const items = pgTable('items', { id: integer('id').primaryKey(), qty: integer('qty') });
