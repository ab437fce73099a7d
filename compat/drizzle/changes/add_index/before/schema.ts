import { boolean, integer, pgTable, text } from 'drizzle-orm/pg-core';
export const posts = pgTable('posts', { id: integer('id').primaryKey(), title: text('title').notNull(), draft: boolean('draft').notNull() });
