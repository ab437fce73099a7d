import { integer, pgTable } from 'drizzle-orm/pg-core';
export const users = pgTable('users', { id: integer('id').primaryKey() });
