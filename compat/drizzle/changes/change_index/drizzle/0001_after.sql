DROP INDEX "posts_title_idx";--> statement-breakpoint
CREATE UNIQUE INDEX "posts_title_idx" ON "posts" USING btree ("title") WHERE "posts"."draft" = false;