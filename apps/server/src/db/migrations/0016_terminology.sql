CREATE TABLE "cvx_codes" (
	"code" text PRIMARY KEY NOT NULL,
	"short_description" text NOT NULL,
	"full_name" text NOT NULL,
	"notes" text,
	"status" text NOT NULL,
	"nonvaccine" boolean NOT NULL,
	"updated_on" text
);
--> statement-breakpoint
CREATE TABLE "icd10_codes" (
	"code" text PRIMARY KEY NOT NULL,
	"code_key" text NOT NULL,
	"order_no" integer NOT NULL,
	"billable" boolean NOT NULL,
	"short_description" text NOT NULL,
	"description" text NOT NULL,
	"search" "tsvector" NOT NULL,
	"active" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE "terminology_releases" (
	"name" text PRIMARY KEY NOT NULL,
	"version" text NOT NULL,
	"rows" integer NOT NULL,
	"loaded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "icd10_codes_key" ON "icd10_codes" USING btree ("code_key" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "icd10_codes_search" ON "icd10_codes" USING gin ("search");--> statement-breakpoint
CREATE INDEX "icd10_codes_description_trgm" ON "icd10_codes" USING gin ("description" gin_trgm_ops);