import { integer, pgTable } from 'drizzle-orm/pg-core';
export const memberships = pgTable('memberships', {
  userId: integer('user_id').notNull(),
  groupId: integer('group_id').notNull(),
  roleId: integer('role_id').notNull(),
});
