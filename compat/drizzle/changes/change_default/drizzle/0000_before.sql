CREATE TABLE "tasks" (
	"id" integer PRIMARY KEY NOT NULL,
	"status" text DEFAULT 'new'
);
