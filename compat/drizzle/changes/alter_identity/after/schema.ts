import { integer, pgTable, text } from 'drizzle-orm/pg-core';
export const items = pgTable('items', { id: integer('id').primaryKey().generatedByDefaultAsIdentity({ startWith: 10, increment: 2, cache: 5 }), name: text('name') });
