CREATE TABLE "items" (
	"id" integer PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"price" integer
);
--> statement-breakpoint
CREATE VIEW "public"."v" WITH (check_option = local, security_barrier = true) AS (select id, name from items where price > 10);