-- Comments on the tables, views, materialized views, their columns, and the
-- enum types of the managed schemas. $1: schema names.
SELECT c.relkind::text AS kind, n.nspname::text AS schema, c.relname::text AS name,
       a.attname::text AS column_name, d.description AS text
FROM pg_catalog.pg_description d
JOIN pg_catalog.pg_class c ON d.classoid = 'pg_catalog.pg_class'::regclass AND d.objoid = c.oid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.objsubid AND d.objsubid > 0
WHERE n.nspname = ANY($1::text[]) AND c.relkind IN ('r', 'p', 'v', 'm')
  AND (d.objsubid = 0 OR a.attname IS NOT NULL)
UNION ALL
SELECT 'e', n.nspname::text, t.typname::text, NULL, d.description
FROM pg_catalog.pg_description d
JOIN pg_catalog.pg_type t ON d.classoid = 'pg_catalog.pg_type'::regclass AND d.objoid = t.oid
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE n.nspname = ANY($1::text[]) AND t.typtype = 'e'
ORDER BY 2, 3, 4 NULLS FIRST
