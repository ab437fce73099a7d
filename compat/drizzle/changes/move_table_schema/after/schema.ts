import { integer, pgSchema, text } from 'drizzle-orm/pg-core';
export const app = pgSchema('app');
export const users = app.table('users', { id: integer('id').primaryKey(), name: text('name') });
