ALTER TABLE "prescriptions" ADD COLUMN "pregnant" boolean;--> statement-breakpoint
ALTER TABLE "prescriptions" ADD COLUMN "breastfeeding" boolean;