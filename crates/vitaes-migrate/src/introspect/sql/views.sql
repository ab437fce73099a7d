-- Views and materialized views of the managed schemas (not an extension's),
-- with the query as the server prints it, their options, and, for
-- materialized views, the access method and a tablespace other than the
-- database's default. $1: schema names.
SELECT c.oid::int8 AS oid, n.nspname::text AS schema, c.relname::text AS name,
       c.relkind = 'm' AS materialized,
       pg_catalog.pg_get_viewdef(c.oid) AS definition,
       coalesce(c.reloptions, '{}') AS options,
       am.amname::text AS access_method,
       ts.spcname::text AS tablespace
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_am am ON am.oid = c.relam
LEFT JOIN pg_catalog.pg_tablespace ts ON ts.oid = c.reltablespace
WHERE c.relkind IN ('v', 'm')
  AND n.nspname = ANY($1::text[])
  AND NOT EXISTS (
    SELECT 1 FROM pg_catalog.pg_depend d
    WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY n.nspname, c.relname
