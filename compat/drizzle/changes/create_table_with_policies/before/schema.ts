import { sql } from 'drizzle-orm';
import { integer, pgPolicy, pgTable, text } from 'drizzle-orm/pg-core';
export const products = pgTable('products', { id: integer('id').primaryKey() });
