-- Indexes of the managed tables that no constraint owns, column by column:
-- a column name or an expression, sort order, nulls, a non-default opclass.
-- $1: table oids.
SELECT i.indrelid::int8 AS table_oid,
       ic.relname::text AS name,
       am.amname::text AS method,
       i.indisunique AS is_unique,
       pg_catalog.pg_get_expr(i.indpred, i.indrelid, true) AS predicate,
       ic.reloptions AS options,
       k.ord::int4 AS position,
       a.attname::text AS column_name,
       CASE WHEN k.attnum = 0 THEN pg_catalog.pg_get_indexdef(i.indexrelid, k.ord::int4, true) END AS expression,
       (i.indoption[k.ord - 1] & 1) = 1 AS descending,
       (i.indoption[k.ord - 1] & 2) = 2 AS nulls_first,
       CASE WHEN NOT oc.opcdefault THEN oc.opcname::text END AS opclass
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_am am ON am.oid = ic.relam
CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum AND k.attnum > 0
LEFT JOIN pg_catalog.pg_opclass oc ON oc.oid = i.indclass[k.ord - 1]
WHERE i.indrelid = ANY($1::int8[]::oid[])
  AND k.ord <= i.indnkeyatts
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))
ORDER BY i.indrelid, ic.relname, k.ord
