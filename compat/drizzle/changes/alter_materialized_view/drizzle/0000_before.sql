CREATE TABLE "items" (
	"id" integer PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"price" integer
);
--> statement-breakpoint
CREATE MATERIALIZED VIEW "public"."mv" WITH (fillfactor = 70) AS (select id, name from items);