CREATE SCHEMA "archive";
--> statement-breakpoint
CREATE TABLE "archive"."old_users" (
	"id" integer PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" integer PRIMARY KEY NOT NULL
);
