CREATE TABLE "notes" (
	"id" integer PRIMARY KEY NOT NULL,
	"owner" text NOT NULL
);
