-- vitaes:no-transaction
CREATE INDEX CONCURRENTLY "i" ON "t" ("a");
--> statement-breakpoint
ALTER TYPE "mood" ADD VALUE 'meh';
