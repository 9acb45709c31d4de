// Encounters: a patient's consultation with a practitioner at a clinic, from the queue or an appointment
// (or a walk-in), from its start to its end. Notes, diagnoses and orders hang on it.
import { Type, type Static } from '@sinclair/typebox';

export const ENCOUNTER_TYPES = ['outpatient', 'emergency', 'inpatient', 'telehealth'] as const;
export type EncounterType = (typeof ENCOUNTER_TYPES)[number];
export const EncounterTypeSchema = Type.Union(ENCOUNTER_TYPES.map((t) => Type.Literal(t)));

/** in_progress from start to finish; finished once the practitioner ends it; cancelled when started in error. */
export const ENCOUNTER_STATUSES = ['in_progress', 'finished', 'cancelled'] as const;
export type EncounterStatus = (typeof ENCOUNTER_STATUSES)[number];
