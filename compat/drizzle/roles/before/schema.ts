import { integer, pgPolicy, pgRole, pgTable } from 'drizzle-orm/pg-core';
export const admin = pgRole('vt_admin');
export const gone = pgRole('vt_gone', { createDb: true, inherit: false });
export const notes = pgTable('notes', { id: integer('id').primaryKey() }, () => [
  pgPolicy('notes_admin', { to: admin }),
]);
