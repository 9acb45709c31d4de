CREATE TABLE "medication_reconciliations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"encounter_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"reconciled_by" uuid NOT NULL,
	"reconciled_at" timestamp with time zone DEFAULT now() NOT NULL,
	"note" text,
	CONSTRAINT "medication_reconciliations_encounter_id_unique" UNIQUE("encounter_id")
);
--> statement-breakpoint
ALTER TABLE "medication_reconciliations" ADD CONSTRAINT "medication_reconciliations_encounter_id_encounters_id_fk" FOREIGN KEY ("encounter_id") REFERENCES "public"."encounters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "medication_reconciliations" ADD CONSTRAINT "medication_reconciliations_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "medication_reconciliations" ADD CONSTRAINT "medication_reconciliations_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "medication_reconciliations" ADD CONSTRAINT "medication_reconciliations_reconciled_by_users_id_fk" FOREIGN KEY ("reconciled_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "medication_reconciliations_patient" ON "medication_reconciliations" USING btree ("patient_id","reconciled_at" DESC NULLS FIRST);