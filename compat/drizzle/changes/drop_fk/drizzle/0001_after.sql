ALTER TABLE "posts" DROP CONSTRAINT "posts_author_id_users_id_fk";
