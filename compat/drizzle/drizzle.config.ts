// drizzle-kit configuration driven by environment variables, so one config serves every schema.
// It is copied into a temporary work dir next to a `schema/` folder and a `node_modules` symlink
// (see regen-fixtures.sh and crates/vitaes-migrate/tests/it/drizzle.rs):
//   DRIZZLE_SCHEMA  glob of the schema files, e.g. './schema/*.ts'
//   DRIZZLE_OUT     migrations folder, RELATIVE to the work dir (drizzle-kit 0.31.11 ignores the
//                   earlier snapshots of an absolute out and fails silently)
//   DATABASE_URL    only used by drizzle-kit's own database commands (push, migrate, pull)
//   DRIZZLE_PREFIX  migrations.prefix (index, timestamp, supabase, unix, none); default index
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: process.env.DRIZZLE_SCHEMA!,
  out: process.env.DRIZZLE_OUT ?? './out',
  dbCredentials: { url: process.env.DATABASE_URL ?? '' },
  migrations: {
    prefix: (process.env.DRIZZLE_PREFIX ?? 'index') as 'index' | 'timestamp' | 'supabase' | 'unix' | 'none',
  },
});
