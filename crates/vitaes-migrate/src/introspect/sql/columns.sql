-- Columns of the managed tables, with type, default, and the sequence an
-- identity or serial column owns. $1: table oids.
SELECT a.attrelid::int8 AS table_oid,
       a.attnum::int4 AS num,
       a.attname::text AS name,
       pg_catalog.format_type(a.atttypid, a.atttypmod) AS formatted_type,
       (et.typtype = 'e') AS is_enum,
       et.typname::text AS enum_name,
       etn.nspname::text AS enum_schema,
       (t.typcategory = 'A') AS is_array,
       a.attnotnull AS not_null,
       a.attidentity::text AS identity,
       a.attgenerated::text AS generated,
       pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) AS default_expr,
       sq.seq_name, sq.seq_schema, sq.seq_increment, sq.seq_start, sq.seq_min, sq.seq_max,
       sq.seq_cache, sq.seq_cycle
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
JOIN pg_catalog.pg_type et ON et.oid = CASE WHEN t.typcategory = 'A' THEN t.typelem ELSE t.oid END
JOIN pg_catalog.pg_namespace etn ON etn.oid = et.typnamespace
LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN LATERAL (
  SELECT seq.relname::text AS seq_name, seqn.nspname::text AS seq_schema,
         s.seqincrement::text AS seq_increment, s.seqstart::text AS seq_start,
         s.seqmin::text AS seq_min, s.seqmax::text AS seq_max,
         s.seqcache::text AS seq_cache, s.seqcycle AS seq_cycle
  FROM pg_catalog.pg_depend dep
  JOIN pg_catalog.pg_class seq ON seq.oid = dep.objid AND seq.relkind = 'S'
  JOIN pg_catalog.pg_namespace seqn ON seqn.oid = seq.relnamespace
  JOIN pg_catalog.pg_sequence s ON s.seqrelid = seq.oid
  -- Only identity and nextval() columns own a sequence: skip the lookup for the rest.
  WHERE (a.attidentity <> '' OR ad.adbin IS NOT NULL)
    AND dep.classid = 'pg_catalog.pg_class'::regclass
    AND dep.refclassid = 'pg_catalog.pg_class'::regclass
    AND dep.refobjid = a.attrelid AND dep.refobjsubid = a.attnum
    AND dep.deptype IN ('a', 'i')
  LIMIT 1
) sq ON true
WHERE a.attrelid = ANY($1::int8[]::oid[])
  AND a.attnum > 0
  AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum
