ALTER MATERIALIZED VIEW "public"."mv" SET (autovacuum_enabled = false);--> statement-breakpoint
ALTER MATERIALIZED VIEW "public"."mv" SET (fillfactor = 80);