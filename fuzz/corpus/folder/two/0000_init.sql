CREATE TABLE "user" (
	"id" bigint PRIMARY KEY NOT NULL
);
