-- Primary key, unique, foreign key and check constraints of the managed
-- tables (an allow-list of contype: PostgreSQL 18 also stores NOT NULL here).
-- $1: table oids.
SELECT k.conrelid::int8 AS table_oid,
       k.conname::text AS name,
       k.contype::text AS kind,
       ARRAY(SELECT a.attname::text
             FROM unnest(k.conkey) WITH ORDINALITY AS u(attnum, ord)
             JOIN pg_catalog.pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum
             ORDER BY u.ord) AS columns,
       rn.nspname::text AS ref_schema,
       rc.relname::text AS ref_table,
       ARRAY(SELECT a.attname::text
             FROM unnest(k.confkey) WITH ORDINALITY AS u(attnum, ord)
             JOIN pg_catalog.pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.attnum
             ORDER BY u.ord) AS ref_columns,
       k.confdeltype::text AS on_delete,
       k.confupdtype::text AS on_update,
       CASE WHEN k.contype = 'c' THEN pg_catalog.pg_get_constraintdef(k.oid, true) END AS definition,
       coalesce(i.indnullsnotdistinct, false) AS nulls_not_distinct
FROM pg_catalog.pg_constraint k
LEFT JOIN pg_catalog.pg_class rc ON rc.oid = k.confrelid
LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = k.conindid AND k.contype IN ('p', 'u')
WHERE k.conrelid = ANY($1::int8[]::oid[])
  AND k.contype IN ('p', 'u', 'f', 'c')
ORDER BY k.conrelid, k.conname
