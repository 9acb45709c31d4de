ALTER TABLE "lab_orders" ADD COLUMN "verification_code" text;--> statement-breakpoint
ALTER TABLE "lab_orders" ADD CONSTRAINT "lab_orders_verification_code_unique" UNIQUE("verification_code");