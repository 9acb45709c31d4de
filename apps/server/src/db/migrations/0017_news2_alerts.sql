CREATE TABLE "news2_alerts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"vitals_id" uuid NOT NULL,
	"total" smallint NOT NULL,
	"risk" text NOT NULL,
	"trigger" text NOT NULL,
	"raised_at" timestamp with time zone DEFAULT now() NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"acknowledged_by" uuid,
	"acknowledged_at" timestamp with time zone,
	"note" text,
	"escalation_level" smallint DEFAULT 0 NOT NULL,
	"escalated_at" timestamp with time zone,
	CONSTRAINT "news2_alerts_vitals_id_unique" UNIQUE("vitals_id"),
	CONSTRAINT "news2_alerts_acknowledged" CHECK (("news2_alerts"."status" = 'open') = ("news2_alerts"."acknowledged_by" IS NULL AND "news2_alerts"."acknowledged_at" IS NULL))
);
--> statement-breakpoint
CREATE TABLE "news2_settings" (
	"clinic_id" uuid PRIMARY KEY NOT NULL,
	"escalation_minutes" integer DEFAULT 15 NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "news2_settings_minutes" CHECK ("news2_settings"."escalation_minutes" BETWEEN 1 AND 1440)
);
--> statement-breakpoint
ALTER TABLE "news2_alerts" ADD CONSTRAINT "news2_alerts_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "news2_alerts" ADD CONSTRAINT "news2_alerts_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "news2_alerts" ADD CONSTRAINT "news2_alerts_vitals_id_vitals_id_fk" FOREIGN KEY ("vitals_id") REFERENCES "public"."vitals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "news2_alerts" ADD CONSTRAINT "news2_alerts_acknowledged_by_users_id_fk" FOREIGN KEY ("acknowledged_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "news2_settings" ADD CONSTRAINT "news2_settings_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "news2_settings" ADD CONSTRAINT "news2_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "news2_alerts_clinic_open" ON "news2_alerts" USING btree ("clinic_id","raised_at" DESC NULLS LAST) WHERE "news2_alerts"."status" = 'open';--> statement-breakpoint
CREATE INDEX "news2_alerts_patient" ON "news2_alerts" USING btree ("patient_id","raised_at" DESC NULLS LAST);
