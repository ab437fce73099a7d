import { sql } from 'drizzle-orm';
import { integer, pgPolicy, pgTable, text } from 'drizzle-orm/pg-core';
export const notes = pgTable('notes', { id: integer('id').primaryKey(), owner: text('owner').notNull() }, (t) => [
  pgPolicy('notes_read', { for: 'select', to: ['authenticated', 'anon'], using: sql`${t.owner} = current_user` }),
  pgPolicy('notes_write', { as: 'restrictive', for: 'insert', to: 'authenticated', withCheck: sql`${t.id} > 0` }),
  pgPolicy('notes_all'),
]);
