CREATE TABLE "letters" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"patient_id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"encounter_id" uuid,
	"kind" text NOT NULL,
	"language" text NOT NULL,
	"body" text,
	"reason" text,
	"recipient" text,
	"urgency" text,
	"rest_from" date,
	"rest_to" date,
	"snapshot" jsonb NOT NULL,
	"issued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"issued_by" uuid NOT NULL,
	"verification_code" text NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_by" uuid,
	"revoked_reason" text,
	CONSTRAINT "letters_verification_code_unique" UNIQUE("verification_code")
);
--> statement-breakpoint
ALTER TABLE "letters" ADD CONSTRAINT "letters_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letters" ADD CONSTRAINT "letters_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letters" ADD CONSTRAINT "letters_encounter_id_encounters_id_fk" FOREIGN KEY ("encounter_id") REFERENCES "public"."encounters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letters" ADD CONSTRAINT "letters_issued_by_users_id_fk" FOREIGN KEY ("issued_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letters" ADD CONSTRAINT "letters_revoked_by_users_id_fk" FOREIGN KEY ("revoked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "letters_patient_issued" ON "letters" USING btree ("patient_id","issued_at" DESC NULLS LAST);--> statement-breakpoint
-- An issued letter never changes: only its revocation may be recorded, once, and a merge of duplicate
-- patient records may move it to the surviving record.
CREATE FUNCTION letters_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'an issued letter cannot be deleted' USING ERRCODE = 'raise_exception';
  END IF;
  IF (OLD.revoked_at IS NOT NULL AND NEW.patient_id IS NOT DISTINCT FROM OLD.patient_id)
     OR (to_jsonb(NEW) - 'revoked_at' - 'revoked_by' - 'revoked_reason' - 'patient_id') IS DISTINCT FROM (to_jsonb(OLD) - 'revoked_at' - 'revoked_by' - 'revoked_reason' - 'patient_id') THEN
    RAISE EXCEPTION 'an issued letter cannot be changed, only revoked once' USING ERRCODE = 'raise_exception';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER letters_immutable BEFORE UPDATE OR DELETE ON letters FOR EACH ROW EXECUTE FUNCTION letters_immutable();
