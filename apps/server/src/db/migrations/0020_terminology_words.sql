CREATE TABLE "icd10_words" (
	"word" text PRIMARY KEY NOT NULL
);
--> statement-breakpoint
DROP INDEX "icd10_codes_description_trgm";--> statement-breakpoint
CREATE INDEX "icd10_words_trgm" ON "icd10_words" USING gin ("word" gin_trgm_ops);