CREATE TABLE "clinic_formulary" (
	"clinic_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"brand_names" text[] DEFAULT '{}'::text[] NOT NULL,
	"brand_search" text DEFAULT '' NOT NULL,
	"price" numeric(12, 2),
	"currency" text,
	"in_stock_list" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "clinic_formulary_clinic_id_item_id_pk" PRIMARY KEY("clinic_id","item_id"),
	CONSTRAINT "clinic_formulary_price" CHECK ("clinic_formulary"."price" IS NULL OR ("clinic_formulary"."price" >= 0 AND "clinic_formulary"."currency" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "formulary_item_revisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"item_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"action" text NOT NULL,
	"changes" jsonb NOT NULL,
	"reason" text,
	"changed_by" uuid,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "formulary_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"source" text NOT NULL,
	"name" text NOT NULL,
	"generic_name" text NOT NULL,
	"ingredients" text[] DEFAULT '{}'::text[] NOT NULL,
	"strength" text,
	"form" text,
	"route" text,
	"therapeutic_class" text,
	"therapeutic_group" text,
	"atc" text[] DEFAULT '{}'::text[] NOT NULL,
	"rxnorm" text,
	"active" boolean DEFAULT true NOT NULL,
	"search_text" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "formulary_items_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "prescription_favourites" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"label" text NOT NULL,
	"item" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "prescription_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"prescription_id" uuid NOT NULL,
	"position" smallint NOT NULL,
	"formulary_item_id" uuid,
	"name" text NOT NULL,
	"ingredients" text[] DEFAULT '{}'::text[] NOT NULL,
	"route" text,
	"dose_amount" numeric(12, 3) NOT NULL,
	"dose_unit" text NOT NULL,
	"frequency" jsonb NOT NULL,
	"duration_days" smallint NOT NULL,
	"quantity" numeric(12, 3) NOT NULL,
	"quantity_unit" text NOT NULL,
	"refills" smallint DEFAULT 0 NOT NULL,
	"instructions" text,
	"substitution_allowed" boolean DEFAULT true NOT NULL,
	"overrides" jsonb DEFAULT '[]'::jsonb NOT NULL,
	CONSTRAINT "prescription_items_duration" CHECK ("prescription_items"."duration_days" BETWEEN 1 AND 365),
	CONSTRAINT "prescription_items_refills" CHECK ("prescription_items"."refills" BETWEEN 0 AND 12),
	CONSTRAINT "prescription_items_amounts" CHECK ("prescription_items"."dose_amount" > 0 AND "prescription_items"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "prescriptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"patient_id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"encounter_id" uuid,
	"prescriber_id" uuid NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"language" text NOT NULL,
	"note" text,
	"renews_id" uuid,
	"snapshot" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"signed_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"cancelled_by" uuid,
	"cancel_reason" text,
	"verification_code" text,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "prescriptions_verification_code_unique" UNIQUE("verification_code"),
	CONSTRAINT "prescriptions_signed" CHECK ("prescriptions"."status" = 'draft' OR "prescriptions"."status" = 'cancelled' OR ("prescriptions"."signed_at" IS NOT NULL AND "prescriptions"."verification_code" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "refill_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"prescription_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"status" text DEFAULT 'requested' NOT NULL,
	"note" text,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"requested_by" uuid NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by" uuid,
	"decision_note" text,
	"new_prescription_id" uuid
);
--> statement-breakpoint
CREATE TABLE "reported_medications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"patient_id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"formulary_item_id" uuid,
	"name" text NOT NULL,
	"ingredients" text[] DEFAULT '{}'::text[] NOT NULL,
	"dose_text" text,
	"route" text,
	"since" date,
	"stopped_on" date,
	"stop_reason" text,
	"stopped_by" uuid,
	"note" text,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"recorded_by" uuid NOT NULL
);
--> statement-breakpoint
ALTER TABLE "clinic_formulary" ADD CONSTRAINT "clinic_formulary_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clinic_formulary" ADD CONSTRAINT "clinic_formulary_item_id_formulary_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."formulary_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clinic_formulary" ADD CONSTRAINT "clinic_formulary_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "formulary_item_revisions" ADD CONSTRAINT "formulary_item_revisions_item_id_formulary_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."formulary_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "formulary_item_revisions" ADD CONSTRAINT "formulary_item_revisions_changed_by_users_id_fk" FOREIGN KEY ("changed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "formulary_items" ADD CONSTRAINT "formulary_items_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "formulary_items" ADD CONSTRAINT "formulary_items_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prescription_favourites" ADD CONSTRAINT "prescription_favourites_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prescription_items" ADD CONSTRAINT "prescription_items_prescription_id_prescriptions_id_fk" FOREIGN KEY ("prescription_id") REFERENCES "public"."prescriptions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prescription_items" ADD CONSTRAINT "prescription_items_formulary_item_id_formulary_items_id_fk" FOREIGN KEY ("formulary_item_id") REFERENCES "public"."formulary_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prescriptions" ADD CONSTRAINT "prescriptions_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prescriptions" ADD CONSTRAINT "prescriptions_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prescriptions" ADD CONSTRAINT "prescriptions_encounter_id_encounters_id_fk" FOREIGN KEY ("encounter_id") REFERENCES "public"."encounters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prescriptions" ADD CONSTRAINT "prescriptions_prescriber_id_users_id_fk" FOREIGN KEY ("prescriber_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prescriptions" ADD CONSTRAINT "prescriptions_renews_id_prescriptions_id_fk" FOREIGN KEY ("renews_id") REFERENCES "public"."prescriptions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prescriptions" ADD CONSTRAINT "prescriptions_cancelled_by_users_id_fk" FOREIGN KEY ("cancelled_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refill_requests" ADD CONSTRAINT "refill_requests_prescription_id_prescriptions_id_fk" FOREIGN KEY ("prescription_id") REFERENCES "public"."prescriptions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refill_requests" ADD CONSTRAINT "refill_requests_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refill_requests" ADD CONSTRAINT "refill_requests_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refill_requests" ADD CONSTRAINT "refill_requests_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refill_requests" ADD CONSTRAINT "refill_requests_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refill_requests" ADD CONSTRAINT "refill_requests_new_prescription_id_prescriptions_id_fk" FOREIGN KEY ("new_prescription_id") REFERENCES "public"."prescriptions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reported_medications" ADD CONSTRAINT "reported_medications_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reported_medications" ADD CONSTRAINT "reported_medications_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reported_medications" ADD CONSTRAINT "reported_medications_formulary_item_id_formulary_items_id_fk" FOREIGN KEY ("formulary_item_id") REFERENCES "public"."formulary_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reported_medications" ADD CONSTRAINT "reported_medications_stopped_by_users_id_fk" FOREIGN KEY ("stopped_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reported_medications" ADD CONSTRAINT "reported_medications_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "clinic_formulary_brand_search" ON "clinic_formulary" USING gin ("brand_search" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "formulary_item_revisions_item" ON "formulary_item_revisions" USING btree ("item_id","version");--> statement-breakpoint
CREATE INDEX "formulary_items_search" ON "formulary_items" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "formulary_items_name" ON "formulary_items" USING btree ("name");--> statement-breakpoint
CREATE INDEX "prescription_favourites_user" ON "prescription_favourites" USING btree ("user_id","label");--> statement-breakpoint
CREATE UNIQUE INDEX "prescription_items_position" ON "prescription_items" USING btree ("prescription_id","position");--> statement-breakpoint
CREATE INDEX "prescriptions_patient" ON "prescriptions" USING btree ("patient_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "prescriptions_encounter" ON "prescriptions" USING btree ("encounter_id");--> statement-breakpoint
CREATE INDEX "prescriptions_active_clinic" ON "prescriptions" USING btree ("clinic_id","signed_at") WHERE "prescriptions"."status" = 'active';--> statement-breakpoint
CREATE INDEX "prescriptions_active_expiry" ON "prescriptions" USING btree ("expires_at") WHERE "prescriptions"."status" = 'active';--> statement-breakpoint
CREATE INDEX "refill_requests_clinic" ON "refill_requests" USING btree ("clinic_id","status","requested_at");--> statement-breakpoint
CREATE INDEX "refill_requests_patient" ON "refill_requests" USING btree ("patient_id","requested_at");--> statement-breakpoint
CREATE UNIQUE INDEX "refill_requests_pending" ON "refill_requests" USING btree ("prescription_id") WHERE "refill_requests"."status" = 'requested';--> statement-breakpoint
CREATE INDEX "reported_medications_patient" ON "reported_medications" USING btree ("patient_id","recorded_at");--> statement-breakpoint
-- A signed prescription's items are locked by the database itself: only a draft's items change.
CREATE FUNCTION prescription_items_refuse_signed_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (SELECT status FROM prescriptions WHERE id = OLD.prescription_id) <> 'draft' THEN
    RAISE EXCEPTION 'prescription % is signed: its items cannot be changed or deleted', OLD.prescription_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'prescription_items_signed_locked';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER prescription_items_signed_locked BEFORE UPDATE OR DELETE ON prescription_items
  FOR EACH ROW EXECUTE FUNCTION prescription_items_refuse_signed_change();
