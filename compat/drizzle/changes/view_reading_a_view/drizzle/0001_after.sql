CREATE VIEW "public"."a_view" AS (select id from z_view);--> statement-breakpoint
CREATE VIEW "public"."z_view" AS (select id, name from items);