CREATE TABLE "items" (
	"id" integer PRIMARY KEY NOT NULL,
	"qty" text
);
