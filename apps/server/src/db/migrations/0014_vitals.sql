CREATE TABLE "vitals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"patient_id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"recorded_by" uuid NOT NULL,
	"taken_at" timestamp with time zone NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"systolic" integer,
	"diastolic" integer,
	"heart_rate" integer,
	"respiratory_rate" integer,
	"temperature" numeric(4, 1),
	"spo2" integer,
	"on_oxygen" boolean,
	"spo2_scale" smallint DEFAULT 1 NOT NULL,
	"consciousness" text,
	"weight_kg" numeric(5, 2),
	"height_cm" numeric(5, 1),
	"bmi" numeric(4, 1),
	"pain" smallint,
	"glucose" numeric(4, 1),
	"note" text,
	"news2_total" smallint,
	"news2_risk" text,
	"news2" jsonb,
	CONSTRAINT "vitals_spo2_scale" CHECK ("vitals"."spo2_scale" IN (1, 2))
);
--> statement-breakpoint
ALTER TABLE "vitals" ADD CONSTRAINT "vitals_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vitals" ADD CONSTRAINT "vitals_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vitals" ADD CONSTRAINT "vitals_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "vitals_patient_taken" ON "vitals" USING btree ("patient_id","taken_at" DESC NULLS LAST,"id" DESC NULLS LAST);