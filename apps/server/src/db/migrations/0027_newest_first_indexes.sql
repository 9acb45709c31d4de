DROP INDEX "news2_alerts_clinic_open";--> statement-breakpoint
DROP INDEX "news2_alerts_patient";--> statement-breakpoint
DROP INDEX "vitals_patient_taken";--> statement-breakpoint
DROP INDEX "patient_documents_patient_idx";--> statement-breakpoint
DROP INDEX "encounters_patient_started";--> statement-breakpoint
DROP INDEX "immunizations_patient";--> statement-breakpoint
DROP INDEX "immunizations_patient_timeline";--> statement-breakpoint
DROP INDEX "letters_patient_issued";--> statement-breakpoint
CREATE INDEX "news2_alerts_clinic_open" ON "news2_alerts" USING btree ("clinic_id","raised_at" DESC NULLS FIRST) WHERE "news2_alerts"."status" = 'open';--> statement-breakpoint
CREATE INDEX "news2_alerts_patient" ON "news2_alerts" USING btree ("patient_id","raised_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "vitals_patient_taken" ON "vitals" USING btree ("patient_id","taken_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "patient_documents_patient_idx" ON "patient_documents" USING btree ("patient_id","uploaded_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "encounters_patient_started" ON "encounters" USING btree ("patient_id","started_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "immunizations_patient" ON "immunizations" USING btree ("patient_id","occurred_on" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "immunizations_patient_timeline" ON "immunizations" USING btree ("patient_id",("occurred_on"::timestamp AT TIME ZONE 'UTC') DESC,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "letters_patient_issued" ON "letters" USING btree ("patient_id","issued_at" DESC NULLS FIRST);