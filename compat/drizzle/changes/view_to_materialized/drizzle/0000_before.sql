CREATE TABLE "items" (
	"id" integer PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"price" integer
);
--> statement-breakpoint
CREATE VIEW "public"."v" AS (select id, name from items);