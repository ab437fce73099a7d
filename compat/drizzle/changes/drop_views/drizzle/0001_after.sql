DROP VIEW "public"."raw_view";--> statement-breakpoint
DROP MATERIALIZED VIEW "public"."mat_view";