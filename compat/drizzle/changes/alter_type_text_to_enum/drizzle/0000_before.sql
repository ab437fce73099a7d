CREATE TYPE "public"."mood" AS ENUM('happy', 'sad');--> statement-breakpoint
CREATE TABLE "users" (
	"id" integer PRIMARY KEY NOT NULL,
	"mood" text
);
