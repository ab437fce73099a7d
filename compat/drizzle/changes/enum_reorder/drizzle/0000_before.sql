CREATE TYPE "public"."status" AS ENUM('open', 'pending', 'closed');--> statement-breakpoint
CREATE TABLE "tickets" (
	"id" integer PRIMARY KEY NOT NULL,
	"status" "status"
);
