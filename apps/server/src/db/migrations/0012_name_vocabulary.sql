CREATE TABLE "patient_name_words" (
	"word" text PRIMARY KEY NOT NULL,
	"phonetic" text NOT NULL
);
--> statement-breakpoint
-- The vocabulary of patients' names: fuzzy name search looks each typed word up here (trigram word
-- similarity, same Double Metaphone code, or prefix) and then finds the patients by those exact
-- words (GIN on patients.name_words), instead of comparing the typed words with every name.
-- Statement-level triggers with transition tables: a COPY of 100,000 patients adds its distinct
-- words in one INSERT at the end, not one per row. Words are inserted in order, so two
-- transactions adding the same new words cannot deadlock. Words are never deleted: one left behind
-- by a rename or a merge only costs a lookup that finds nobody.
CREATE OR REPLACE FUNCTION patient_name_words_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO patient_name_words (word, phonetic)
  SELECT w, dmetaphone(w) FROM (SELECT DISTINCT unnest(name_words) AS w FROM new_patients) AS s
   ORDER BY w
  ON CONFLICT (word) DO NOTHING;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- a trigger with transition tables serves one event only, and cannot list columns
CREATE TRIGGER patients_name_vocabulary_insert AFTER INSERT ON patients
  REFERENCING NEW TABLE AS new_patients
  FOR EACH STATEMENT EXECUTE FUNCTION patient_name_words_add();
--> statement-breakpoint
CREATE TRIGGER patients_name_vocabulary_update AFTER UPDATE ON patients
  REFERENCING NEW TABLE AS new_patients
  FOR EACH STATEMENT EXECUTE FUNCTION patient_name_words_add();
--> statement-breakpoint
INSERT INTO patient_name_words (word, phonetic)
SELECT w, dmetaphone(w) FROM (SELECT DISTINCT unnest(name_words) AS w FROM patients) AS s
 ORDER BY w
ON CONFLICT (word) DO NOTHING;
--> statement-breakpoint
-- indexed after the backfill: built in one pass rather than through the GIN pending list
CREATE INDEX "patient_name_words_trgm" ON "patient_name_words" USING gin ("word" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "patient_name_words_phonetic_idx" ON "patient_name_words" USING btree ("phonetic");--> statement-breakpoint
ANALYZE patient_name_words;
