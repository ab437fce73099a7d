import { integer, pgPolicy, pgRole, pgTable } from 'drizzle-orm/pg-core';
export const admin = pgRole('vt_admin', { createDb: true, createRole: true, inherit: false });
export const anon = pgRole('anon').existing();
export const notes = pgTable('notes', { id: integer('id').primaryKey() }, () => [
  pgPolicy('notes_admin', { to: [admin, anon] }),
]);
