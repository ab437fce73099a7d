import { sql } from 'drizzle-orm';
import { check, integer, pgTable } from 'drizzle-orm/pg-core';
export const products = pgTable('products', { id: integer('id').primaryKey(), price: integer('price').notNull() }, (t) => [check('price_positive', sql`${t.price} > 0`)]);
