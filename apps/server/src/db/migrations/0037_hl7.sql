CREATE TABLE "hl7_code_mappings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"sending_application" text NOT NULL,
	"system" text NOT NULL,
	"code" text NOT NULL,
	"test_id" uuid NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hl7_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"direction" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sending_application" text DEFAULT '' NOT NULL,
	"sending_facility" text DEFAULT '' NOT NULL,
	"control_id" text DEFAULT '' NOT NULL,
	"message_type" text DEFAULT '' NOT NULL,
	"content_hash" text NOT NULL,
	"raw" text NOT NULL,
	"status" text NOT NULL,
	"ack_code" text,
	"ack" text,
	"error" text,
	"unmapped" jsonb,
	"patient_identifier" text,
	"patient_name" text,
	"placer_order_number" text,
	"filler_order_number" text,
	"patient_id" uuid,
	"order_id" uuid,
	"clinic_id" uuid,
	"attempts" integer DEFAULT 1 NOT NULL,
	"deliveries" integer DEFAULT 1 NOT NULL,
	"processed_at" timestamp with time zone,
	"resolved_by" uuid,
	"resolved_at" timestamp with time zone,
	"resolution" jsonb
);
--> statement-breakpoint
CREATE TABLE "hl7_patient_links" (
	"authority" text NOT NULL,
	"identifier" text NOT NULL,
	"patient_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "hl7_code_mappings" ADD CONSTRAINT "hl7_code_mappings_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hl7_messages" ADD CONSTRAINT "hl7_messages_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hl7_messages" ADD CONSTRAINT "hl7_messages_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hl7_messages" ADD CONSTRAINT "hl7_messages_resolved_by_users_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hl7_patient_links" ADD CONSTRAINT "hl7_patient_links_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "hl7_code_mappings_code" ON "hl7_code_mappings" USING btree ("sending_application","system","code");--> statement-breakpoint
CREATE UNIQUE INDEX "hl7_messages_delivery" ON "hl7_messages" USING btree ("sending_facility","sending_application","control_id","content_hash") WHERE "hl7_messages"."direction" = 'in' AND "hl7_messages"."control_id" <> '';--> statement-breakpoint
CREATE INDEX "hl7_messages_received" ON "hl7_messages" USING btree ("received_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "hl7_messages_status" ON "hl7_messages" USING btree ("status","received_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "hl7_messages_control" ON "hl7_messages" USING btree ("control_id");--> statement-breakpoint
CREATE INDEX "hl7_messages_patient" ON "hl7_messages" USING btree ("patient_id");--> statement-breakpoint
CREATE INDEX "hl7_messages_order" ON "hl7_messages" USING btree ("order_id");--> statement-breakpoint
CREATE UNIQUE INDEX "hl7_patient_links_pk" ON "hl7_patient_links" USING btree ("authority","identifier");--> statement-breakpoint
CREATE INDEX "hl7_patient_links_patient" ON "hl7_patient_links" USING btree ("patient_id");