#!/usr/bin/env node
// Apply a drizzle-kit migrations folder with drizzle-orm's own migrator (what `drizzle-kit migrate`
// and applications using drizzle-orm run), so tests can check that folders written by
// vitaes-migrate are accepted by the reference implementation.
//
//   node migrate.mjs <migrations-folder> <database-url>
//
// Bookkeeping goes to drizzle-orm's defaults: table "drizzle"."__drizzle_migrations".
// Unlike `drizzle-kit migrate` (which exits 0 even when a migration fails), this exits 1 and prints
// the error on stderr when anything fails, and prints one line on stdout on success.
// The URL's password is never printed.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';

const [folderArg, url] = process.argv.slice(2);
if (!folderArg || !url || process.argv.length !== 4) {
  console.error('usage: node migrate.mjs <migrations-folder> <database-url>');
  process.exit(2);
}
const folder = path.resolve(folderArg);

// The URL with its password replaced, and a scrubber for any text that might echo it.
let password = '';
let shownUrl = url;
try {
  const parsed = new URL(url);
  password = decodeURIComponent(parsed.password);
  if (parsed.password) parsed.password = '***';
  shownUrl = parsed.toString();
} catch {
  shownUrl = '<unparsable database url>';
}
const scrub = (text) => {
  let s = String(text);
  if (password) s = s.split(password).join('***');
  if (url) s = s.split(url).join(shownUrl);
  return s;
};

// Print an error and its causes (drizzle-orm wraps driver errors in DrizzleQueryError).
const describe = (err) => {
  const lines = [];
  for (let e = err, depth = 0; e && depth < 5; e = e.cause, depth++) {
    let line = `${depth ? 'caused by: ' : ''}${e instanceof Error ? e.message : e}`;
    for (const key of ['code', 'detail', 'hint', 'position', 'where']) {
      if (e && e[key] !== undefined) line += `\n  ${key}: ${e[key]}`;
    }
    lines.push(line);
  }
  return scrub(lines.join('\n'));
};

const client = new pg.Client({ connectionString: url });
client.on('error', () => {}); // reported through the awaited calls below
let failed = false;
try {
  await client.connect();
  const db = drizzle({ client });
  await migrate(db, { migrationsFolder: folder });
  const journal = JSON.parse(fs.readFileSync(path.join(folder, 'meta', '_journal.json'), 'utf8'));
  console.log(`drizzle-orm migrate: applied ${folder} (${journal.entries.length} migration(s) in journal) to ${shownUrl}`);
} catch (err) {
  failed = true;
  console.error(`drizzle-orm migrate failed for ${folder} on ${shownUrl}:\n${describe(err)}`);
} finally {
  await client.end().catch(() => {});
}
process.exit(failed ? 1 : 0);
