-- No double booking, ever: the database refuses overlapping time for one practitioner (including
-- the buffer after each visit) and for one patient, whatever the application does.
CREATE EXTENSION IF NOT EXISTS btree_gist;
--> statement-breakpoint
ALTER TABLE appointments ADD CONSTRAINT appointments_time_order CHECK (starts_at < ends_at AND ends_at <= block_ends_at);
--> statement-breakpoint
ALTER TABLE appointments ADD CONSTRAINT appointments_no_practitioner_overlap
  EXCLUDE USING gist (practitioner_id WITH =, tstzrange(starts_at, block_ends_at, '[)') WITH &&)
  WHERE (status IN ('held', 'requested', 'booked', 'checked_in', 'in_progress', 'completed'));
--> statement-breakpoint
ALTER TABLE appointments ADD CONSTRAINT appointments_no_patient_overlap
  EXCLUDE USING gist (patient_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
  WHERE (status IN ('held', 'requested', 'booked', 'checked_in', 'in_progress', 'completed'));
--> statement-breakpoint
ALTER TABLE appointments ADD CONSTRAINT appointments_rescheduled_from_fk
  FOREIGN KEY (rescheduled_from_id) REFERENCES appointments (id);
--> statement-breakpoint
ALTER TABLE availability_templates ADD CONSTRAINT availability_templates_valid CHECK (
  weekday BETWEEN 1 AND 7 AND start_time < end_time AND slot_minutes BETWEEN 5 AND 480
  AND buffer_minutes BETWEEN 0 AND 240 AND (valid_to IS NULL OR valid_from IS NULL OR valid_from <= valid_to));
--> statement-breakpoint
ALTER TABLE availability_exceptions ADD CONSTRAINT availability_exceptions_valid CHECK (
  starts_at < ends_at AND (practitioner_id IS NOT NULL OR clinic_id IS NOT NULL));
--> statement-breakpoint
ALTER TABLE queue_tickets ADD CONSTRAINT queue_tickets_transferred_from_fk
  FOREIGN KEY (transferred_from_id) REFERENCES queue_tickets (id);
--> statement-breakpoint
ALTER TABLE queue_tickets ADD CONSTRAINT queue_tickets_transferred_to_fk
  FOREIGN KEY (transferred_to_id) REFERENCES queue_tickets (id);
--> statement-breakpoint
-- the waiting list of a service point, in call order
CREATE INDEX queue_tickets_waiting ON queue_tickets (service_point_id, priority_rank, arrived_at)
  WHERE status = 'waiting';
