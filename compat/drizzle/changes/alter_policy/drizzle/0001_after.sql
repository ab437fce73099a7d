DROP POLICY "notes_write" ON "notes" CASCADE;--> statement-breakpoint
CREATE POLICY "notes_write" ON "notes" AS RESTRICTIVE FOR UPDATE TO "authenticated" USING (true) WITH CHECK ("notes"."id" > 0);--> statement-breakpoint
ALTER POLICY "notes_read" ON "notes" TO authenticated USING ("notes"."owner" = session_user);