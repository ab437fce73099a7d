CREATE TYPE "public"."mood" AS ENUM('happy', 'sad');--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "mood" "mood" DEFAULT 'happy';