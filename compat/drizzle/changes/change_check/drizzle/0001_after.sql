ALTER TABLE "products" DROP CONSTRAINT "price_positive";--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "price_positive" CHECK ("products"."price" >= 0);