import { bigint, integer, pgTable, text } from 'drizzle-orm/pg-core';
export const items = pgTable('items', {
  name: text('name'),
  id: integer('id').generatedAlwaysAsIdentity(),
  seq: bigint('seq', { mode: 'number' }).generatedByDefaultAsIdentity({ startWith: 100, increment: 5 }),
});
