// "Every attribute" schema: a small multi-tenant app (users, organizations, memberships, events)
// with a billing schema, written so that together its tables use every column type, default,
// constraint and index option that vitaes-migrate has to reproduce byte for byte.
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  doublePrecision,
  foreignKey,
  index,
  inet,
  integer,
  json,
  jsonb,
  numeric,
  pgEnum,
  pgSchema,
  pgTable,
  primaryKey,
  real,
  serial,
  smallint,
  text,
  time,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';

export const billing = pgSchema('billing');

export const mood = pgEnum('mood', ['sad', 'ok', 'happy']);
export const planTier = billing.enum('plan_tier', ['free', 'pro', 'enterprise']);

export const users = pgTable(
  'users',
  {
    id: uuid('id').defaultRandom().primaryKey(),
    email: varchar('email', { length: 255 }).notNull().unique(),
    emailLower: text('email_lower').generatedAlwaysAs(sql`lower(email)`),
    handle: text('handle').notNull().unique('users_handle_key'),
    nickname: text('nickname').unique('users_nickname_key', { nulls: 'not distinct' }),
    mood: mood('mood').notNull().default('ok'),
    pastMoods: mood('past_moods').array(),
    isActive: boolean('is_active').notNull().default(true),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    settings: jsonb('settings').notNull().default(sql`'{}'::jsonb`),
    lastIp: inet('last_ip'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('users_email_lower_idx').on(sql`lower(${t.email})`),
    index('users_settings_idx').using('gin', t.settings.op('jsonb_path_ops')),
    check('users_email_check', sql`${t.email} like '%@%'`),
  ],
);

export const organizations = pgTable(
  'organizations',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    slug: varchar('slug', { length: 255 }),
    parentId: integer('parent_id'),
    seats: smallint('seats').notNull().default(5),
    motto: text('motto').default("it's"),
  },
  (t) => [
    foreignKey({ columns: [t.parentId], foreignColumns: [t.id], name: 'organizations_parent_fk' }).onDelete('set null'),
    unique('organizations_name_parent_key').on(t.name, t.parentId),
    unique().on(t.slug, t.parentId).nullsNotDistinct(),
    check('organizations_seats_check', sql`${t.seats} > 0`),
  ],
);

export const memberships = pgTable(
  'memberships',
  {
    orgId: integer('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade', onUpdate: 'restrict' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    position: integer('position').notNull().default(-1),
    joinedAt: timestamp('joined_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.userId] }), index().on(t.userId, t.orgId)],
);

export const events = pgTable(
  'events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    orgId: integer('org_id').notNull(),
    userId: uuid('user_id').notNull(),
    kind: mood('kind'),
    payload: json('payload'),
    day: date('day'),
    atTime: time('at_time'),
    score: real('score').default(1.5),
    weight: doublePrecision('weight'),
    counts: integer('counts').array(),
    occurredAt: timestamp('occurred_at', { precision: 3, withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [
    foreignKey({
      columns: [t.orgId, t.userId],
      foreignColumns: [memberships.orgId, memberships.userId],
      name: 'events_membership_fk',
    }).onDelete('cascade'),
    index('events_occurred_at_idx').on(t.occurredAt.desc()),
    index('events_day_idx').on(t.day.nullsFirst()),
    index('events_score_idx').on(t.score.asc().nullsLast()),
    uniqueIndex('events_org_day_uidx')
      .on(t.orgId, t.day)
      .where(sql`${t.deletedAt} is null`),
    index('events_user_idx').on(t.userId).concurrently(),
    index('events_org_idx').on(t.orgId).with({ fillfactor: 70 }),
    index('events_user_hash_idx').using('hash', t.userId),
  ],
);

export const tagAssignments = pgTable(
  'tag_assignments',
  {
    tag: text('tag').notNull(),
    eventId: bigint('event_id', { mode: 'number' })
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    assignedBy: uuid('assigned_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [primaryKey({ name: 'tag_assignments_pk', columns: [t.tag, t.eventId] })],
);

export const customers = billing.table(
  'customers',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    orgId: integer('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    tier: planTier('tier').notNull().default('free'),
    balance: numeric('balance', { precision: 12, scale: 2 }).notNull().default('0'),
  },
  (t) => [check('customers_balance_check', sql`${t.balance} >= 0`)],
);

// Its default FK name, organization_subscription_entitlements_billing_customer_id_customers_id_fk,
// is 74 bytes: longer than PostgreSQL's 63-byte identifier limit.
export const organizationSubscriptionEntitlements = pgTable('organization_subscription_entitlements', {
  id: serial('id').primaryKey(),
  billingCustomerId: integer('billing_customer_id')
    .notNull()
    .references(() => customers.id),
  feature: text('feature').notNull(),
});
