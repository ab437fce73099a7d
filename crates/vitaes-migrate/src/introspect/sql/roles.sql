-- Every role of the cluster but PostgreSQL's predefined pg_* roles: which of
-- them are compared with the code is the roles scope's decision, and policy
-- roles are checked against all of them.
SELECT rolname::text AS name, rolcreatedb AS create_db, rolcreaterole AS create_role,
       rolinherit AS inherit
  FROM pg_catalog.pg_roles
 WHERE rolname !~ '^pg_'
 ORDER BY rolname
