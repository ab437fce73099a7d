import { integer, pgTable, text } from 'drizzle-orm/pg-core';
export const users = pgTable('users', {
  id: integer('id').primaryKey(),
  age: integer('age').notNull().default(0),
  status: text('status').notNull().default('active'),
});
