ALTER TABLE "users" drop column "full";--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "full" text GENERATED ALWAYS AS ("last" || ', ' || "first") STORED;