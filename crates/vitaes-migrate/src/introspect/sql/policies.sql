-- Row-level security of the given tables: one row per policy, and one with
-- NULL policy columns for a table that has RLS on (or forced) but no policy. Roles
-- sorted as drizzle-kit sorts them; 0 in polroles is PUBLIC. $1: table oids.
SELECT c.oid::int8 AS table_oid,
       c.relrowsecurity AS rls,
       c.relforcerowsecurity AS force_rls,
       p.polname::text AS name,
       p.polpermissive AS permissive,
       p.polcmd::text AS command,
       ARRAY(SELECT CASE r WHEN 0 THEN 'public' ELSE pg_catalog.pg_get_userbyid(r)::text END
               FROM unnest(p.polroles) AS r ORDER BY 1) AS roles,
       pg_catalog.pg_get_expr(p.polqual, p.polrelid) AS using_expr,
       pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) AS check_expr
FROM pg_catalog.pg_class c
LEFT JOIN pg_catalog.pg_policy p ON p.polrelid = c.oid
WHERE c.oid = ANY($1::int8[]::oid[])
  AND (c.relrowsecurity OR c.relforcerowsecurity OR p.oid IS NOT NULL)
ORDER BY c.oid, p.oid
