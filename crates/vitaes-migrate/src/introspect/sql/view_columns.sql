-- The columns of the views and materialized views of the managed schemas,
-- as their queries yield them. $1: schema names.
SELECT a.attrelid::int8 AS view_oid,
       a.attname::text AS name,
       pg_catalog.format_type(a.atttypid, a.atttypmod) AS formatted_type,
       (et.typtype = 'e') AS is_enum,
       et.typname::text AS enum_name,
       etn.nspname::text AS enum_schema,
       (t.typcategory = 'A') AS is_array
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
JOIN pg_catalog.pg_type et ON et.oid = CASE WHEN t.typcategory = 'A' THEN t.typelem ELSE t.oid END
JOIN pg_catalog.pg_namespace etn ON etn.oid = et.typnamespace
WHERE c.relkind IN ('v', 'm') AND n.nspname = ANY($1::text[])
  AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum
