CREATE TABLE "users" (
	"first" text,
	"last" text,
	"full" text GENERATED ALWAYS AS ("first" || ' ' || "last") STORED
);
