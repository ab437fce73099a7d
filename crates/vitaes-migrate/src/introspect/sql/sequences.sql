-- Standalone sequences of the managed schemas: not owned by a column (a
-- serial's or an identity's, read with their column) nor by an extension.
-- $1: schema names.
SELECT n.nspname::text AS schema, c.relname::text AS name,
       pg_catalog.format_type(s.seqtypid, NULL) AS data_type,
       s.seqincrement::text AS increment, s.seqstart::text AS start_with,
       s.seqmin::text AS min_value, s.seqmax::text AS max_value,
       s.seqcache::text AS cache, s.seqcycle AS cycle
FROM pg_catalog.pg_sequence s
JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY($1::text[])
  AND NOT EXISTS (
    SELECT 1 FROM pg_catalog.pg_depend d
    WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i', 'e'))
ORDER BY n.nspname, c.relname
