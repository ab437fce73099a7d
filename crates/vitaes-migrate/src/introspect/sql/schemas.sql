-- Which of the managed schemas exist. $1: schema names.
SELECT nspname::text AS name FROM pg_catalog.pg_namespace WHERE nspname = ANY($1::text[]) ORDER BY nspname
