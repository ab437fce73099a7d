DROP SCHEMA "archive";
