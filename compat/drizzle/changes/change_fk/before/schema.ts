import { integer, pgTable } from 'drizzle-orm/pg-core';
export const users = pgTable('users', { id: integer('id').primaryKey() });
export const posts = pgTable('posts', { id: integer('id').primaryKey(), authorId: integer('author_id').references(() => users.id, { onDelete: 'cascade' }) });
