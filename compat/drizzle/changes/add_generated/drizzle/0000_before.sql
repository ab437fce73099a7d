CREATE TABLE "users" (
	"first" text,
	"last" text,
	"full" text
);
