CREATE SCHEMA "app";
--> statement-breakpoint
CREATE TABLE "app"."items" (
	"id" integer PRIMARY KEY NOT NULL,
	"name" text NOT NULL
);
