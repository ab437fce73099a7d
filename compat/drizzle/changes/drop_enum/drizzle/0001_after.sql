ALTER TABLE "users" DROP COLUMN "mood";--> statement-breakpoint
DROP TYPE "public"."mood";