CREATE TYPE "public"."status" AS ENUM('open', 'closed');--> statement-breakpoint
CREATE TABLE "tickets" (
	"id" integer PRIMARY KEY NOT NULL,
	"status" "status"
);
