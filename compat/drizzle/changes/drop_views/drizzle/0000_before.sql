CREATE TABLE "items" (
	"id" integer PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"price" integer
);
--> statement-breakpoint
CREATE VIEW "public"."raw_view" WITH (check_option = local, security_barrier = true, security_invoker = true) AS (select id, name from items where price > 10);--> statement-breakpoint
CREATE MATERIALIZED VIEW "public"."mat_view" USING "heap" WITH (fillfactor = 70) AS (select id, name from items) WITH NO DATA;