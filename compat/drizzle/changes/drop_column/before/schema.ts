import { integer, pgTable, text } from 'drizzle-orm/pg-core';
export const users = pgTable('users', { id: integer('id').primaryKey(), name: text('name'), nickname: text('nickname') });
