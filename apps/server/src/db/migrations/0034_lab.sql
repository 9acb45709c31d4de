CREATE TABLE "lab_critical_alerts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"result_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"ordered_by" uuid NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"level" smallint DEFAULT 0 NOT NULL,
	"raised_at" timestamp with time zone DEFAULT now() NOT NULL,
	"escalated_at" timestamp with time zone,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by" uuid,
	"note" text,
	CONSTRAINT "lab_critical_alerts_result_id_unique" UNIQUE("result_id")
);
--> statement-breakpoint
CREATE TABLE "lab_order_documents" (
	"order_id" uuid NOT NULL,
	"document_id" uuid NOT NULL,
	"linked_at" timestamp with time zone DEFAULT now() NOT NULL,
	"linked_by" uuid NOT NULL,
	CONSTRAINT "lab_order_documents_order_id_document_id_pk" PRIMARY KEY("order_id","document_id")
);
--> statement-breakpoint
CREATE TABLE "lab_order_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"order_id" uuid NOT NULL,
	"test_id" uuid NOT NULL,
	"specimen_id" uuid,
	"position" smallint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lab_orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" text NOT NULL,
	"clinic_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"encounter_id" uuid,
	"ordered_by" uuid NOT NULL,
	"ordered_at" timestamp with time zone DEFAULT now() NOT NULL,
	"priority" text NOT NULL,
	"clinical_notes" text,
	"status" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"cancelled_reason" text,
	"cancelled_at" timestamp with time zone,
	"cancelled_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "lab_orders_number_unique" UNIQUE("number")
);
--> statement-breakpoint
CREATE TABLE "lab_panel_members" (
	"panel_id" uuid NOT NULL,
	"test_id" uuid NOT NULL,
	"position" smallint NOT NULL,
	CONSTRAINT "lab_panel_members_panel_id_test_id_pk" PRIMARY KEY("panel_id","test_id")
);
--> statement-breakpoint
CREATE TABLE "lab_results" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"order_id" uuid NOT NULL,
	"order_item_id" uuid NOT NULL,
	"test_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"value_numeric" numeric(18, 6),
	"value_code" text,
	"value_text" text,
	"unit" text,
	"range" jsonb,
	"flag" text,
	"critical" boolean DEFAULT false NOT NULL,
	"status" text NOT NULL,
	"comment" text,
	"source" text DEFAULT 'manual' NOT NULL,
	"source_message_id" uuid,
	"observed_at" timestamp with time zone,
	"entered_at" timestamp with time zone DEFAULT now() NOT NULL,
	"entered_by" uuid,
	"verified_at" timestamp with time zone,
	"verified_by" uuid,
	"released_at" timestamp with time zone,
	"released_by" uuid,
	"portal_hold" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "lab_results_value" CHECK (num_nonnulls("lab_results"."value_numeric", "lab_results"."value_code", "lab_results"."value_text") >= 1)
);
--> statement-breakpoint
CREATE TABLE "lab_settings" (
	"clinic_id" uuid PRIMARY KEY NOT NULL,
	"critical_escalation_minutes" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid
);
--> statement-breakpoint
CREATE TABLE "lab_specimens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"order_id" uuid NOT NULL,
	"accession_number" text NOT NULL,
	"specimen_type" text NOT NULL,
	"collected_at" timestamp with time zone,
	"collected_by" uuid,
	"received_at" timestamp with time zone,
	"received_by" uuid,
	CONSTRAINT "lab_specimens_accession_number_unique" UNIQUE("accession_number")
);
--> statement-breakpoint
CREATE TABLE "lab_test_prices" (
	"clinic_id" uuid NOT NULL,
	"test_id" uuid NOT NULL,
	"price" numeric(12, 2) NOT NULL,
	"currency" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "lab_test_prices_clinic_id_test_id_pk" PRIMARY KEY("clinic_id","test_id"),
	CONSTRAINT "lab_test_prices_price" CHECK ("lab_test_prices"."price" >= 0)
);
--> statement-breakpoint
CREATE TABLE "lab_test_revisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"test_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"action" text NOT NULL,
	"changes" jsonb NOT NULL,
	"changed_by" uuid,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lab_tests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"loinc" text,
	"name" text NOT NULL,
	"name_fr" text,
	"kind" text NOT NULL,
	"specimen_type" text NOT NULL,
	"result_type" text NOT NULL,
	"unit" text,
	"decimals" smallint DEFAULT 1 NOT NULL,
	"answers" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"turnaround_hours" integer NOT NULL,
	"requires_verification" boolean DEFAULT false NOT NULL,
	"ranges" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"shipped" boolean DEFAULT false NOT NULL,
	"search_text" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "lab_tests_code_unique" UNIQUE("code"),
	CONSTRAINT "lab_tests_numeric_unit" CHECK ("lab_tests"."result_type" <> 'numeric' OR "lab_tests"."kind" = 'panel' OR "lab_tests"."unit" IS NOT NULL)
);
--> statement-breakpoint
ALTER TABLE "lab_critical_alerts" ADD CONSTRAINT "lab_critical_alerts_result_id_lab_results_id_fk" FOREIGN KEY ("result_id") REFERENCES "public"."lab_results"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_critical_alerts" ADD CONSTRAINT "lab_critical_alerts_order_id_lab_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."lab_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_critical_alerts" ADD CONSTRAINT "lab_critical_alerts_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_critical_alerts" ADD CONSTRAINT "lab_critical_alerts_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_critical_alerts" ADD CONSTRAINT "lab_critical_alerts_ordered_by_users_id_fk" FOREIGN KEY ("ordered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_critical_alerts" ADD CONSTRAINT "lab_critical_alerts_acknowledged_by_users_id_fk" FOREIGN KEY ("acknowledged_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_order_documents" ADD CONSTRAINT "lab_order_documents_order_id_lab_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."lab_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_order_documents" ADD CONSTRAINT "lab_order_documents_document_id_patient_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."patient_documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_order_documents" ADD CONSTRAINT "lab_order_documents_linked_by_users_id_fk" FOREIGN KEY ("linked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_order_items" ADD CONSTRAINT "lab_order_items_order_id_lab_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."lab_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_order_items" ADD CONSTRAINT "lab_order_items_test_id_lab_tests_id_fk" FOREIGN KEY ("test_id") REFERENCES "public"."lab_tests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_order_items" ADD CONSTRAINT "lab_order_items_specimen_id_lab_specimens_id_fk" FOREIGN KEY ("specimen_id") REFERENCES "public"."lab_specimens"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_orders" ADD CONSTRAINT "lab_orders_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_orders" ADD CONSTRAINT "lab_orders_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_orders" ADD CONSTRAINT "lab_orders_encounter_id_encounters_id_fk" FOREIGN KEY ("encounter_id") REFERENCES "public"."encounters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_orders" ADD CONSTRAINT "lab_orders_ordered_by_users_id_fk" FOREIGN KEY ("ordered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_orders" ADD CONSTRAINT "lab_orders_cancelled_by_users_id_fk" FOREIGN KEY ("cancelled_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_panel_members" ADD CONSTRAINT "lab_panel_members_panel_id_lab_tests_id_fk" FOREIGN KEY ("panel_id") REFERENCES "public"."lab_tests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_panel_members" ADD CONSTRAINT "lab_panel_members_test_id_lab_tests_id_fk" FOREIGN KEY ("test_id") REFERENCES "public"."lab_tests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_results" ADD CONSTRAINT "lab_results_order_id_lab_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."lab_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_results" ADD CONSTRAINT "lab_results_order_item_id_lab_order_items_id_fk" FOREIGN KEY ("order_item_id") REFERENCES "public"."lab_order_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_results" ADD CONSTRAINT "lab_results_test_id_lab_tests_id_fk" FOREIGN KEY ("test_id") REFERENCES "public"."lab_tests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_results" ADD CONSTRAINT "lab_results_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_results" ADD CONSTRAINT "lab_results_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_results" ADD CONSTRAINT "lab_results_entered_by_users_id_fk" FOREIGN KEY ("entered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_results" ADD CONSTRAINT "lab_results_verified_by_users_id_fk" FOREIGN KEY ("verified_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_results" ADD CONSTRAINT "lab_results_released_by_users_id_fk" FOREIGN KEY ("released_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_settings" ADD CONSTRAINT "lab_settings_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_settings" ADD CONSTRAINT "lab_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_specimens" ADD CONSTRAINT "lab_specimens_order_id_lab_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."lab_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_specimens" ADD CONSTRAINT "lab_specimens_collected_by_users_id_fk" FOREIGN KEY ("collected_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_specimens" ADD CONSTRAINT "lab_specimens_received_by_users_id_fk" FOREIGN KEY ("received_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_test_prices" ADD CONSTRAINT "lab_test_prices_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_test_prices" ADD CONSTRAINT "lab_test_prices_test_id_lab_tests_id_fk" FOREIGN KEY ("test_id") REFERENCES "public"."lab_tests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_test_prices" ADD CONSTRAINT "lab_test_prices_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_test_revisions" ADD CONSTRAINT "lab_test_revisions_test_id_lab_tests_id_fk" FOREIGN KEY ("test_id") REFERENCES "public"."lab_tests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_test_revisions" ADD CONSTRAINT "lab_test_revisions_changed_by_users_id_fk" FOREIGN KEY ("changed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_tests" ADD CONSTRAINT "lab_tests_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_tests" ADD CONSTRAINT "lab_tests_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "lab_critical_alerts_open" ON "lab_critical_alerts" USING btree ("clinic_id","raised_at") WHERE "lab_critical_alerts"."status" = 'open';--> statement-breakpoint
CREATE INDEX "lab_critical_alerts_ordered_by" ON "lab_critical_alerts" USING btree ("ordered_by","status");--> statement-breakpoint
CREATE INDEX "lab_critical_alerts_patient" ON "lab_critical_alerts" USING btree ("patient_id");--> statement-breakpoint
CREATE INDEX "lab_order_items_order" ON "lab_order_items" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "lab_orders_patient" ON "lab_orders" USING btree ("patient_id","ordered_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "lab_orders_clinic_open" ON "lab_orders" USING btree ("clinic_id","ordered_at") WHERE "lab_orders"."status" NOT IN ('completed', 'cancelled');--> statement-breakpoint
CREATE INDEX "lab_orders_encounter" ON "lab_orders" USING btree ("encounter_id");--> statement-breakpoint
CREATE INDEX "lab_panel_members_test" ON "lab_panel_members" USING btree ("test_id");--> statement-breakpoint
CREATE UNIQUE INDEX "lab_results_item_test" ON "lab_results" USING btree ("order_item_id","test_id");--> statement-breakpoint
CREATE INDEX "lab_results_patient_observed" ON "lab_results" USING btree ("patient_id","observed_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "lab_results_patient_test" ON "lab_results" USING btree ("patient_id","test_id","observed_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "lab_results_order" ON "lab_results" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "lab_specimens_order" ON "lab_specimens" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "lab_test_revisions_test" ON "lab_test_revisions" USING btree ("test_id","version");--> statement-breakpoint
CREATE INDEX "lab_tests_search" ON "lab_tests" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "lab_tests_loinc" ON "lab_tests" USING btree ("loinc");