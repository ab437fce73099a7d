CREATE TYPE "public"."mood" AS ENUM('sad', 'ok', 'happy');--> statement-breakpoint
CREATE TABLE "t" (
	"id" bigint PRIMARY KEY NOT NULL,
	"m" "mood" DEFAULT 'ok'
);
--> statement-breakpoint

CREATE INDEX "t_m_idx" ON "t" USING btree ("m");--> statement-breakpoint
