DROP TABLE "archive"."old_users" CASCADE;--> statement-breakpoint
DROP SCHEMA "archive";
