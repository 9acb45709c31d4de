-- search_phonetic follows search_name: one Double Metaphone code per word.
CREATE OR REPLACE FUNCTION patients_set_phonetic() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_phonetic := coalesce(ARRAY(
    SELECT DISTINCT dmetaphone(w) FROM unnest(string_to_array(NEW.search_name, ' ')) AS w
     WHERE w <> '' AND dmetaphone(w) <> ''), '{}');
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER patients_phonetic BEFORE INSERT OR UPDATE OF search_name ON patients
  FOR EACH ROW EXECUTE FUNCTION patients_set_phonetic();
--> statement-breakpoint
UPDATE patients SET search_name = search_name;
