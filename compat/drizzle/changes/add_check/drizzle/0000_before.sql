CREATE TABLE "products" (
	"id" integer PRIMARY KEY NOT NULL,
	"price" integer NOT NULL
);
