import { sql } from 'drizzle-orm';
import { boolean, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
export const posts = pgTable('posts', { id: integer('id').primaryKey(), title: text('title').notNull(), draft: boolean('draft').notNull() }, (t) => [uniqueIndex('posts_title_idx').on(t.title).where(sql`${t.draft} = false`)]);
