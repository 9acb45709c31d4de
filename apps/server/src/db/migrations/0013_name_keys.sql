CREATE TABLE "patient_name_keys" (
	"key" text NOT NULL,
	"family_name" text NOT NULL,
	"given_name" text NOT NULL,
	"patient_id" uuid NOT NULL,
	CONSTRAINT "patient_name_keys_key_family_name_given_name_patient_id_pk" PRIMARY KEY("key","family_name","given_name","patient_id")
);
--> statement-breakpoint
ALTER TABLE "patient_name_keys" ADD CONSTRAINT "patient_name_keys_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "patient_name_keys_patient_idx" ON "patient_name_keys" USING btree ("patient_id");--> statement-breakpoint
-- The keys of a name: each of its words, and each pair of its words in code-point order (COLLATE
-- "C": the service orders a typed pair the same way, whatever the database's collation).
CREATE OR REPLACE FUNCTION patient_name_keys_for(words text[]) RETURNS SETOF text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT w FROM unnest(words) AS w
  UNION
  SELECT a || ' ' || b FROM unnest(words) AS a, unnest(words) AS b WHERE a COLLATE "C" < b COLLATE "C"
$$;
--> statement-breakpoint
-- Statement-level triggers with transition tables, like the vocabulary's (0012): a COPY of many
-- patients adds their keys in one INSERT. An update replaces the keys of the rows whose name changed.
CREATE OR REPLACE FUNCTION patient_name_keys_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO patient_name_keys (key, family_name, given_name, patient_id)
  SELECT k, n.family_name, n.given_name, n.id FROM new_patients n, patient_name_keys_for(n.name_words) AS k
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION patient_name_keys_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM patient_name_keys k
   USING old_patients o JOIN new_patients n ON n.id = o.id
   WHERE k.patient_id = o.id
     AND (o.name_words, o.family_name, o.given_name) IS DISTINCT FROM (n.name_words, n.family_name, n.given_name);
  INSERT INTO patient_name_keys (key, family_name, given_name, patient_id)
  SELECT k, n.family_name, n.given_name, n.id
    FROM old_patients o JOIN new_patients n ON n.id = o.id, patient_name_keys_for(n.name_words) AS k
   WHERE (o.name_words, o.family_name, o.given_name) IS DISTINCT FROM (n.name_words, n.family_name, n.given_name)
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER patients_name_keys_insert AFTER INSERT ON patients
  REFERENCING NEW TABLE AS new_patients
  FOR EACH STATEMENT EXECUTE FUNCTION patient_name_keys_add();
--> statement-breakpoint
CREATE TRIGGER patients_name_keys_update AFTER UPDATE ON patients
  REFERENCING OLD TABLE AS old_patients NEW TABLE AS new_patients
  FOR EACH STATEMENT EXECUTE FUNCTION patient_name_keys_change();
--> statement-breakpoint
INSERT INTO patient_name_keys (key, family_name, given_name, patient_id)
SELECT k, p.family_name, p.given_name, p.id FROM patients p, patient_name_keys_for(p.name_words) AS k;
--> statement-breakpoint
ANALYZE patient_name_keys;
