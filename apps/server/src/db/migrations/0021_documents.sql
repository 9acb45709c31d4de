CREATE TABLE "patient_documents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"patient_id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"category" text NOT NULL,
	"title" text NOT NULL,
	"filename" text NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" bigint NOT NULL,
	"sha256" text NOT NULL,
	"uploaded_by" uuid NOT NULL,
	"uploaded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"source" text NOT NULL,
	"shared_with_patient" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'current' NOT NULL,
	"status_reason" text,
	"status_changed_by" uuid,
	"status_changed_at" timestamp with time zone,
	"storage_key" text NOT NULL,
	"wrapped_key" text NOT NULL,
	"iv" "bytea" NOT NULL,
	"auth_tag" "bytea" NOT NULL,
	"pending_ciphertext" "bytea",
	CONSTRAINT "patient_documents_storage_key_unique" UNIQUE("storage_key"),
	CONSTRAINT "patient_documents_category_check" CHECK (category IN ('referral_letter', 'lab_report', 'imaging', 'consent', 'identity', 'patient_provided', 'other')),
	CONSTRAINT "patient_documents_content_type_check" CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
	CONSTRAINT "patient_documents_source_check" CHECK (source IN ('staff', 'portal')),
	CONSTRAINT "patient_documents_status_check" CHECK (status IN ('current', 'entered_in_error')),
	CONSTRAINT "patient_documents_size_check" CHECK (size_bytes > 0)
);
--> statement-breakpoint
ALTER TABLE "patient_documents" ADD CONSTRAINT "patient_documents_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patient_documents" ADD CONSTRAINT "patient_documents_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patient_documents" ADD CONSTRAINT "patient_documents_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patient_documents" ADD CONSTRAINT "patient_documents_status_changed_by_users_id_fk" FOREIGN KEY ("status_changed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "patient_documents_patient_idx" ON "patient_documents" USING btree ("patient_id","uploaded_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "patient_documents_pending_idx" ON "patient_documents" USING btree ("id") WHERE pending_ciphertext IS NOT NULL;