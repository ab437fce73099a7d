CREATE TABLE "posts" (
	"id" integer PRIMARY KEY NOT NULL,
	"author_id" integer
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" integer PRIMARY KEY NOT NULL
);
