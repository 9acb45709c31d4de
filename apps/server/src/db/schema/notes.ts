import { sql } from 'drizzle-orm';
import { DIAGNOSIS_RANKS, REVISION_KINDS, TEMPLATES, type NoteSections } from '@sanita/contracts/notes';
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { encounters } from './encounters.ts';
import { users } from './identity.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/**
 * The consultation note of an encounter (one per encounter): a draft autosaved by its author
 * (`version` guards concurrent tabs), then signed — from then on the database refuses any UPDATE or
 * DELETE of the row (trigger `notes_signed_locked`, migration); what follows is an addendum.
 */
export const notes = pgTable(
  'notes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    encounterId: uuid('encounter_id')
      .notNull()
      .references(() => encounters.id),
    template: text('template', { enum: TEMPLATES }).notNull(),
    /** the SOAP sections and the template's structured fields */
    sections: jsonb('sections').$type<NoteSections>().notNull(),
    /** the part the portal shows the patient once signed */
    patientSummary: text('patient_summary'),
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    signedAt: ts('signed_at'),
    signedBy: uuid('signed_by').references(() => users.id),
  },
  (t) => [uniqueIndex('notes_encounter').on(t.encounterId)],
);

/** What was added to a signed note, append-only (the database refuses UPDATE and DELETE). */
export const noteAddenda = pgTable(
  'note_addenda',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    noteId: uuid('note_id')
      .notNull()
      .references(() => notes.id),
    text: text('text').notNull(),
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('note_addenda_note').on(t.noteId, t.createdAt)],
);

/**
 * A note's history, append-only: the draft as it stood every few minutes of autosaving, the text as
 * signed, each addendum — a snapshot each, so that what changed between two can be shown.
 */
export const noteRevisions = pgTable(
  'note_revisions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    noteId: uuid('note_id')
      .notNull()
      .references(() => notes.id),
    kind: text('kind', { enum: REVISION_KINDS }).notNull(),
    /** draft and signed: {template, sections, patientSummary, diagnoses}; addendum: {text} */
    content: jsonb('content').notNull(),
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('note_revisions_note').on(t.noteId, t.createdAt)],
);

/**
 * The diagnoses of an encounter, ICD-10-CM, written with its note: at most one primary (index),
 * exactly one to sign (the service); locked with the note once signed (trigger).
 */
export const diagnoses = pgTable(
  'diagnoses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    encounterId: uuid('encounter_id')
      .notNull()
      .references(() => encounters.id),
    noteId: uuid('note_id')
      .notNull()
      .references(() => notes.id),
    code: text('code').notNull(),
    description: text('description').notNull(),
    rank: text('rank', { enum: DIAGNOSIS_RANKS }).notNull(),
    position: integer('position').notNull().default(0),
    addedBy: uuid('added_by')
      .notNull()
      .references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('diagnoses_encounter_code').on(t.encounterId, t.code),
    uniqueIndex('diagnoses_encounter_primary')
      .on(t.encounterId)
      .where(sql`${t.rank} = 'primary'`),
    index('diagnoses_code').on(t.code),
    // a note's diagnoses in order (read with every note, replaced by every autosave)
    index('diagnoses_note').on(t.noteId, t.position),
  ],
);

/** The organisation's text shortcuts: `.ros` typed in a note expands to its text. */
export const noteShortcuts = pgTable('note_shortcuts', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  text: text('text').notNull(),
  updatedBy: uuid('updated_by').references(() => users.id),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});
