CREATE TABLE "items" (
	"id" integer,
	"name" text
);
