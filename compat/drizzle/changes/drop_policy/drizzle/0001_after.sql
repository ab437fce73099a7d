ALTER TABLE "notes" DISABLE ROW LEVEL SECURITY;--> statement-breakpoint
DROP POLICY "notes_read" ON "notes" CASCADE;--> statement-breakpoint
DROP POLICY "notes_write" ON "notes" CASCADE;--> statement-breakpoint
DROP POLICY "notes_all" ON "notes" CASCADE;