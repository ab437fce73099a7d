CREATE TABLE "items" (
	"id" integer PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"price" integer
);
--> statement-breakpoint
CREATE VIEW "public"."price_view" AS (select id, price from items);--> statement-breakpoint
CREATE MATERIALIZED VIEW "public"."price_totals" AS (select sum(price) as total from price_view);