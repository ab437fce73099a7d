import { integer, pgEnum, pgTable } from 'drizzle-orm/pg-core';
export const status = pgEnum('status', ['open', 'closed']);
export const tickets = pgTable('tickets', { id: integer('id').primaryKey(), status: status('status') });
