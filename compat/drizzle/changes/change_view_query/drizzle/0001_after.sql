DROP VIEW "public"."v";--> statement-breakpoint
CREATE VIEW "public"."v" WITH (check_option = local) AS (select id, name from items where price > 0);