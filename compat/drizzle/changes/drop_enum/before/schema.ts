import { integer, pgEnum, pgTable } from 'drizzle-orm/pg-core';
export const mood = pgEnum('mood', ['happy', 'sad']);
export const users = pgTable('users', { id: integer('id').primaryKey(), mood: mood('mood').default('happy') });
