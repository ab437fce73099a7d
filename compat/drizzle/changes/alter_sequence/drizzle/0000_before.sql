CREATE SEQUENCE "public"."invoice_no" INCREMENT BY 2 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1000 CACHE 5;--> statement-breakpoint
CREATE TABLE "items" (
	"id" integer PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"price" integer
);
