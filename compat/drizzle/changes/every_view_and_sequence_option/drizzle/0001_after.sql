CREATE SCHEMA "app";
--> statement-breakpoint
CREATE SEQUENCE "app"."app_seq" INCREMENT BY 5 MINVALUE 10 MAXVALUE 100000 START WITH 10 CACHE 3;--> statement-breakpoint
CREATE VIEW "app"."app_view" WITH (security_barrier = true) AS (select id from items);--> statement-breakpoint
CREATE MATERIALIZED VIEW "public"."stock_view" USING "heap" WITH (fillfactor = 70, autovacuum_enabled = false) TABLESPACE pg_default AS (select id, price from items) WITH NO DATA;