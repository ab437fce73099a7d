import { pgTable, text } from 'drizzle-orm/pg-core';
export const users = pgTable('users', {
  first: text('first'),
  last: text('last'),
  full: text('full'),
});
