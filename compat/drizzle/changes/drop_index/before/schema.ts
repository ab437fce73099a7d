import { boolean, index, integer, pgTable, text } from 'drizzle-orm/pg-core';
export const posts = pgTable('posts', { id: integer('id').primaryKey(), title: text('title').notNull(), draft: boolean('draft').notNull() }, (t) => [index('posts_title_idx').on(t.title)]);
