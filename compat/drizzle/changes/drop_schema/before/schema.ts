import { integer, pgSchema, pgTable } from 'drizzle-orm/pg-core';
export const archive = pgSchema('archive');
export const users = pgTable('users', { id: integer('id').primaryKey() });
