CREATE TABLE "users" (
	"id" integer PRIMARY KEY NOT NULL,
	"email" text,
	"code" text,
	CONSTRAINT "users_email_unique" UNIQUE("email"),
	CONSTRAINT "users_code_key" UNIQUE NULLS NOT DISTINCT("code")
);
