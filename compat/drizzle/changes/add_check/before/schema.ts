import { integer, pgTable } from 'drizzle-orm/pg-core';
export const products = pgTable('products', { id: integer('id').primaryKey(), price: integer('price').notNull() });
