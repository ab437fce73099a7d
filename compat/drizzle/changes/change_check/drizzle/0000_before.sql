CREATE TABLE "products" (
	"id" integer PRIMARY KEY NOT NULL,
	"price" integer NOT NULL,
	CONSTRAINT "price_positive" CHECK ("products"."price" > 0)
);
