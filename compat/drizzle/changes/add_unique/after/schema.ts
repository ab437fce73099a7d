import { integer, pgTable, text, unique } from 'drizzle-orm/pg-core';
export const users = pgTable('users', {
  id: integer('id').primaryKey(),
  email: text('email').unique(),
  code: text('code'),
}, (t) => [unique('users_code_key').on(t.code).nullsNotDistinct()]);
