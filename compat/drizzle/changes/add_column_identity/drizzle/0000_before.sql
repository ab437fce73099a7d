CREATE TABLE "items" (
	"name" text
);
