-- The trigger that keeps search_phonetic now keeps name_words too.
CREATE OR REPLACE FUNCTION patients_set_phonetic() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.name_words := coalesce(array_remove(string_to_array(NEW.search_name, ' '), ''), '{}');
  NEW.search_phonetic := coalesce(ARRAY(
    SELECT DISTINCT dmetaphone(w) FROM unnest(NEW.name_words) AS w WHERE dmetaphone(w) <> ''), '{}');
  RETURN NEW;
END;
$$;
--> statement-breakpoint
UPDATE patients SET search_name = search_name;
