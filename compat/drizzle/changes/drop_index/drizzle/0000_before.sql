CREATE TABLE "posts" (
	"id" integer PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"draft" boolean NOT NULL
);
--> statement-breakpoint
CREATE INDEX "posts_title_idx" ON "posts" USING btree ("title");