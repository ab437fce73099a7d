-- Every extension of the database but plpgsql (always there): which of them
-- are compared with the code is push's decision (those the code declares).
SELECT e.extname::text AS name, n.nspname::text AS schema, e.extversion AS version
  FROM pg_catalog.pg_extension e
  JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
 WHERE e.extname <> 'plpgsql'
 ORDER BY e.extname
