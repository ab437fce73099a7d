CREATE SEQUENCE "public"."invoice_no" INCREMENT BY 2 MINVALUE 1 MAXVALUE 1000000 START WITH 1000 CACHE 5 CYCLE;--> statement-breakpoint
CREATE TABLE "items" (
	"id" integer PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"price" integer
);
