-- What lives in the managed schemas that the model does not manage:
-- partitioned tables and partitions, exclusion constraints, comments on
-- indexes and constraints, indexes of materialized views, foreign tables,
-- functions, triggers, domains, composite types. (Extensions are the
-- model's: read by extensions.sql.) $1: schema names.
-- Also the options of managed objects that the model does not carry, so a
-- plan that creates or re-creates such an object says it goes without them:
-- DEFERRABLE, NO INHERIT, MATCH FULL, WITHOUT OVERLAPS and PERIOD
-- (PostgreSQL 18, read through to_jsonb so older servers need no other
-- query), INCLUDE columns, NULLS NOT DISTINCT of a plain unique index, and
-- the COLLATE of a column or of an index's column.
SELECT kind, schema, name FROM (
  SELECT CASE
           WHEN k.condeferrable THEN 'DEFERRABLE of constraint'
           WHEN k.contype = 'c' THEN 'NO INHERIT of check'
           WHEN k.confmatchtype = 'f' THEN 'MATCH FULL of foreign key'
           WHEN k.contype = 'f' THEN 'PERIOD of foreign key'
           ELSE 'WITHOUT OVERLAPS of key'
         END AS kind,
         n.nspname::text AS schema, c.relname::text || '.' || k.conname::text AS name
  FROM pg_catalog.pg_constraint k
  JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = ANY($1::text[]) AND c.relkind = 'r'
    AND (k.condeferrable
         OR (k.contype = 'c' AND k.connoinherit)
         OR (k.contype = 'f' AND k.confmatchtype = 'f')
         OR (k.contype IN ('p', 'u', 'f') AND coalesce((to_jsonb(k) ->> 'conperiod')::boolean, false)))
  UNION ALL
  SELECT CASE
           WHEN t.relkind = 'm' THEN 'index on materialized view'
           WHEN i.indnkeyatts < i.indnatts THEN 'INCLUDE columns of index'
           WHEN i.indnullsnotdistinct THEN 'NULLS NOT DISTINCT of index'
           ELSE 'COLLATE of index column'
         END,
         n.nspname::text, c.relname::text
  FROM pg_catalog.pg_index i
  JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
  JOIN pg_catalog.pg_class t ON t.oid = i.indrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = ANY($1::text[])
    AND (t.relkind = 'm'
         OR (t.relkind = 'r' AND (i.indnkeyatts < i.indnatts
             OR (i.indnullsnotdistinct AND NOT EXISTS (
                   SELECT 1 FROM pg_catalog.pg_constraint k WHERE k.conindid = i.indexrelid AND k.contype IN ('p', 'u')))
             OR EXISTS (
                   SELECT 1 FROM unnest(i.indcollation::oid[]) WITH ORDINALITY AS u(coll, ord)
                   JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[u.ord - 1]
                   WHERE u.coll <> 0 AND u.coll <> a.attcollation))))
  UNION ALL
  SELECT 'COLLATE of column', n.nspname::text, c.relname::text || '.' || a.attname::text
  FROM pg_catalog.pg_attribute a
  JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_catalog.pg_type ty ON ty.oid = a.atttypid
  WHERE n.nspname = ANY($1::text[]) AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
    AND a.attcollation <> 0 AND a.attcollation <> ty.typcollation
  UNION ALL
  SELECT 'foreign table', n.nspname::text, c.relname::text
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = ANY($1::text[]) AND c.relkind = 'f'
  UNION ALL
  SELECT CASE WHEN c.relispartition THEN 'partition' ELSE 'partitioned table' END,
         n.nspname::text, c.relname::text
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = ANY($1::text[]) AND (c.relkind = 'p' OR (c.relkind = 'r' AND c.relispartition))
  UNION ALL
  SELECT 'exclusion constraint', n.nspname::text, c.relname::text || '.' || k.conname::text
  FROM pg_catalog.pg_constraint k
  JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = ANY($1::text[]) AND k.contype = 'x'
  UNION ALL
  SELECT 'comment on constraint', n.nspname::text, c.relname::text || '.' || k.conname::text
  FROM pg_catalog.pg_description d
  JOIN pg_catalog.pg_constraint k ON d.classoid = 'pg_catalog.pg_constraint'::regclass AND d.objoid = k.oid
  JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = ANY($1::text[])
  UNION ALL
  SELECT 'comment on index', n.nspname::text, c.relname::text
  FROM pg_catalog.pg_description d
  JOIN pg_catalog.pg_class c ON d.classoid = 'pg_catalog.pg_class'::regclass AND d.objoid = c.oid AND c.relkind IN ('i', 'I')
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = ANY($1::text[])
  UNION ALL
  SELECT 'function', n.nspname::text, p.proname::text
  FROM pg_catalog.pg_proc p
  JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
  WHERE n.nspname = ANY($1::text[])
    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
  UNION ALL
  SELECT 'trigger', n.nspname::text, c.relname::text || '.' || tg.tgname::text
  FROM pg_catalog.pg_trigger tg
  JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = ANY($1::text[]) AND NOT tg.tgisinternal


  UNION ALL
  SELECT CASE t.typtype WHEN 'd' THEN 'domain' ELSE 'composite type' END, n.nspname::text, t.typname::text
  FROM pg_catalog.pg_type t
  JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
  WHERE n.nspname = ANY($1::text[])
    AND (t.typtype = 'd'
         OR (t.typtype = 'c' AND EXISTS (
               SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = t.typrelid AND c.relkind = 'c')))
    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
) x
ORDER BY kind, schema, name
