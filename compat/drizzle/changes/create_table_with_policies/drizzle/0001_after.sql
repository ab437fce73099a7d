CREATE TABLE "notes" (
	"id" integer PRIMARY KEY NOT NULL,
	"owner" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "notes" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "notes_read" ON "notes" AS PERMISSIVE FOR SELECT TO "anon", "authenticated" USING ("notes"."owner" = current_user);--> statement-breakpoint
CREATE POLICY "notes_write" ON "notes" AS RESTRICTIVE FOR INSERT TO "authenticated" WITH CHECK ("notes"."id" > 0);--> statement-breakpoint
CREATE POLICY "notes_all" ON "notes" AS PERMISSIVE FOR ALL TO public;