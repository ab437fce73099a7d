ALTER TABLE "memberships" DROP CONSTRAINT "memberships_pk";
--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_pk" PRIMARY KEY("user_id","role_id");