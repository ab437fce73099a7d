ALTER VIEW "public"."v" SET (security_invoker = true);--> statement-breakpoint
ALTER VIEW "public"."v" RESET (security_barrier);--> statement-breakpoint
ALTER VIEW "public"."v" SET (check_option = cascaded);