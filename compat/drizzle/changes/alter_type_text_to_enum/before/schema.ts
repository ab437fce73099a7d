import { integer, pgEnum, pgTable, text } from 'drizzle-orm/pg-core';
export const mood = pgEnum('mood', ['happy', 'sad']);
export const users = pgTable('users', { id: integer('id').primaryKey(), mood: text('mood') });
