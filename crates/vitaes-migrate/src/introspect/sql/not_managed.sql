-- What lives in the managed schemas that the model does not manage:
-- partitioned tables and partitions, exclusion constraints, comments on
-- indexes and constraints, foreign tables, functions,
-- triggers, domains, composite types. (Extensions are the model's: read by
-- extensions.sql.) $1: schema names.
SELECT kind, schema, name FROM (
  SELECT 'foreign table' AS kind, n.nspname::text AS schema, c.relname::text AS name
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
