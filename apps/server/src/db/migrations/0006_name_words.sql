ALTER TABLE "patients" ADD COLUMN "name_words" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
CREATE INDEX "patients_name_words_idx" ON "patients" USING gin ("name_words");