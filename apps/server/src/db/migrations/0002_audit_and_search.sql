-- The audit trail is append-only: the database itself refuses to change or remove a row.
CREATE OR REPLACE FUNCTION sanita_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'table % is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION sanita_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION sanita_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_seals_append_only BEFORE UPDATE OR DELETE ON audit_seals
  FOR EACH ROW EXECUTE FUNCTION sanita_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_seals_no_truncate BEFORE TRUNCATE ON audit_seals
  FOR EACH STATEMENT EXECUTE FUNCTION sanita_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_heads_append_only BEFORE UPDATE OR DELETE ON audit_heads
  FOR EACH ROW EXECUTE FUNCTION sanita_refuse_change();
--> statement-breakpoint
-- Where the sealer stands: the last seal's sequence number and hash, and the highest row id sealed.
CREATE TABLE audit_seal_state (id integer PRIMARY KEY DEFAULT 1 CHECK (id = 1), last_seq bigint NOT NULL DEFAULT 0, last_hash text NOT NULL, last_audit_id bigint NOT NULL DEFAULT 0);
--> statement-breakpoint
INSERT INTO audit_seal_state (last_hash) VALUES (repeat('0', 64));
--> statement-breakpoint
ALTER TABLE users ADD CONSTRAINT users_patient_fk FOREIGN KEY (patient_id) REFERENCES patients(id);
--> statement-breakpoint
ALTER TABLE patients ADD CONSTRAINT patients_merged_into_fk FOREIGN KEY (merged_into_id) REFERENCES patients(id);
--> statement-breakpoint
CREATE INDEX patients_search_name_prefix ON patients (search_name text_pattern_ops);
--> statement-breakpoint
CREATE INDEX patients_family_name_trgm ON patients USING gin (lower(family_name) gin_trgm_ops);
