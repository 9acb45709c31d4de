import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { NoteSections, TemplateId } from '@sanita/contracts/notes';
import { encounters } from '../../db/schema/encounters.ts';
import { diagnoses, noteAddenda, noteRevisions, notes, noteShortcuts } from '../../db/schema/notes.ts';
import { users } from '../../db/schema/identity.ts';
import type { Executor } from '../../platform/db/database.ts';
import { linkedToClinic } from '../../platform/patient-access.ts';
import { timelineWindow, type TimelineEntry, type TimelineQuery } from '../../platform/timeline.ts';

export type NoteRow = typeof notes.$inferSelect;
export type DiagnosisRow = typeof diagnoses.$inferSelect & { addedByName: string };
export type AddendumRow = typeof noteAddenda.$inferSelect & { authorName: string };
export type RevisionRow = typeof noteRevisions.$inferSelect & { authorName: string };
export type ShortcutRow = typeof noteShortcuts.$inferSelect;

/** The encounter a note is about, whether its patient is registered at `clinicId`, and its practitioner's specialty. */
export interface EncounterForNote {
  id: string;
  patientId: string;
  clinicId: string;
  type: string;
  status: string;
  reason: string | null;
  startedAt: Date;
  endedAt: Date | null;
  practitionerName: string | null;
  ophthalmology: boolean;
  /** the patient is registered at the active clinic (the one linkage fragment of the access path) */
  linked: boolean;
}

/** The encounter, read for the note's access check in one statement; undefined when there is none. */
export async function encounterForNote(db: Executor, encounterId: string, clinicId: string | null) {
  const { rows } = await db.execute<{
    id: string;
    patient_id: string;
    clinic_id: string;
    type: string;
    status: string;
    reason: string | null;
    started_at: string | Date;
    ended_at: string | Date | null;
    practitioner_name: string | null;
    ophthalmology: boolean;
    linked: boolean;
  }>(sql`
    SELECT e.id, e.patient_id, e.clinic_id, e.type, e.status, e.reason, e.started_at, e.ended_at,
           pr.display_name AS practitioner_name,
           EXISTS (SELECT 1 FROM practitioner_specialties ps JOIN specialties s ON s.id = ps.specialty_id
                    WHERE ps.practitioner_id = e.practitioner_id AND s.code = 'ophthalmology') AS ophthalmology,
           ${linkedToClinic(sql`e.patient_id`, clinicId)} AS linked
      FROM encounters e
      LEFT JOIN practitioners pr ON pr.id = e.practitioner_id
     WHERE e.id = ${encounterId}`);
  const r = rows[0];
  if (!r) return undefined;
  return {
    id: r.id,
    patientId: r.patient_id,
    clinicId: r.clinic_id,
    type: r.type,
    status: r.status,
    reason: r.reason,
    startedAt: new Date(r.started_at),
    endedAt: r.ended_at === null ? null : new Date(r.ended_at),
    practitionerName: r.practitioner_name,
    ophthalmology: r.ophthalmology,
    linked: r.linked,
  } satisfies EncounterForNote;
}

/** Whether a patient exists and is registered at the clinic. */
export async function patientLink(db: Executor, patientId: string, clinicId: string | null) {
  const { rows } = await db.execute<{ linked: boolean }>(
    sql`SELECT ${linkedToClinic(sql`p.id`, clinicId)} AS linked FROM patients p WHERE p.id = ${patientId}`,
  );
  return rows[0];
}

/** The note of an encounter; `lock` takes the row lock (autosave, sign, addendum serialise on it). */
export async function noteOf(db: Executor, encounterId: string, lock = false): Promise<NoteRow | undefined> {
  const q = db.select().from(notes).where(eq(notes.encounterId, encounterId)).limit(1);
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

export async function insertNote(
  db: Executor,
  row: { encounterId: string; template: TemplateId; sections: NoteSections; patientSummary: string | null; authorId: string },
): Promise<NoteRow | undefined> {
  // two first saves at once (two tabs): the second finds the unique encounter taken and answers as stale
  const [stored] = await db.insert(notes).values(row).onConflictDoNothing({ target: notes.encounterId }).returning();
  return stored;
}

/** Saves a draft at `version` (the one the row has): the next version, or undefined when it moved on. */
export async function updateDraft(
  db: Executor,
  id: string,
  version: number,
  set: { template: TemplateId; sections: NoteSections; patientSummary: string | null },
): Promise<NoteRow | undefined> {
  const [row] = await db
    .update(notes)
    .set({ ...set, version: sql`${notes.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(notes.id, id), eq(notes.version, version), sql`${notes.signedAt} IS NULL`))
    .returning();
  return row;
}

export async function signNote(db: Executor, id: string, version: number, userId: string): Promise<NoteRow | undefined> {
  const [row] = await db
    .update(notes)
    .set({ signedAt: sql`now()`, signedBy: userId, version: sql`${notes.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(notes.id, id), eq(notes.version, version), sql`${notes.signedAt} IS NULL`))
    .returning();
  return row;
}

export async function diagnosesOf(db: Executor, noteIds: string[]): Promise<DiagnosisRow[]> {
  if (!noteIds.length) return [];
  return db
    .select({ ...diagnosesColumns, addedByName: users.displayName })
    .from(diagnoses)
    .innerJoin(users, eq(users.id, diagnoses.addedBy))
    .where(sql`${diagnoses.noteId} = ANY(${sql.param(noteIds)}::uuid[])`)
    .orderBy(asc(diagnoses.position));
}
const diagnosesColumns = {
  id: diagnoses.id,
  encounterId: diagnoses.encounterId,
  noteId: diagnoses.noteId,
  code: diagnoses.code,
  description: diagnoses.description,
  rank: diagnoses.rank,
  position: diagnoses.position,
  addedBy: diagnoses.addedBy,
  createdAt: diagnoses.createdAt,
};

/**
 * Replaces the note's diagnoses by `list`, keeping who added a code that stays (and when); the
 * primary is inserted last so that the one-primary index never sees two.
 */
export async function replaceDiagnoses(
  db: Executor,
  note: { id: string; encounterId: string },
  list: { code: string; description: string; rank: 'primary' | 'secondary' }[],
  userId: string,
): Promise<void> {
  const kept = await db
    .select({ code: diagnoses.code, addedBy: diagnoses.addedBy, createdAt: diagnoses.createdAt })
    .from(diagnoses)
    .where(eq(diagnoses.noteId, note.id));
  const before = new Map(kept.map((k) => [k.code, k]));
  await db.delete(diagnoses).where(eq(diagnoses.noteId, note.id));
  if (!list.length) return;
  await db.insert(diagnoses).values(
    list.map((d, position) => ({
      encounterId: note.encounterId,
      noteId: note.id,
      code: d.code,
      description: d.description,
      rank: d.rank,
      position,
      addedBy: before.get(d.code)?.addedBy ?? userId,
      createdAt: before.get(d.code)?.createdAt ?? new Date(),
    })),
  );
}

export async function addendaOf(db: Executor, noteId: string): Promise<AddendumRow[]> {
  return db
    .select({
      id: noteAddenda.id,
      noteId: noteAddenda.noteId,
      text: noteAddenda.text,
      authorId: noteAddenda.authorId,
      createdAt: noteAddenda.createdAt,
      authorName: users.displayName,
    })
    .from(noteAddenda)
    .innerJoin(users, eq(users.id, noteAddenda.authorId))
    .where(eq(noteAddenda.noteId, noteId))
    .orderBy(asc(noteAddenda.createdAt), asc(noteAddenda.id));
}

export async function insertAddendum(db: Executor, row: { noteId: string; text: string; authorId: string }) {
  const [stored] = await db.insert(noteAddenda).values(row).returning();
  return stored!;
}

export async function insertRevision(
  db: Executor,
  row: { noteId: string; kind: 'draft' | 'signed' | 'addendum'; content: unknown; authorId: string },
): Promise<void> {
  await db.insert(noteRevisions).values(row);
}

/** When the note's last revision was kept (to keep a draft every few minutes of autosaving). */
export async function lastRevisionAt(db: Executor, noteId: string): Promise<Date | null> {
  const [row] = await db
    .select({ at: sql<string | null>`max(${noteRevisions.createdAt})` })
    .from(noteRevisions)
    .where(eq(noteRevisions.noteId, noteId));
  return row?.at ? new Date(row.at) : null;
}

export async function revisionsOf(db: Executor, noteId: string): Promise<RevisionRow[]> {
  return db
    .select({
      id: noteRevisions.id,
      noteId: noteRevisions.noteId,
      kind: noteRevisions.kind,
      content: noteRevisions.content,
      authorId: noteRevisions.authorId,
      createdAt: noteRevisions.createdAt,
      authorName: users.displayName,
    })
    .from(noteRevisions)
    .innerJoin(users, eq(users.id, noteRevisions.authorId))
    .where(eq(noteRevisions.noteId, noteId))
    .orderBy(asc(noteRevisions.createdAt), asc(noteRevisions.id));
}

export async function userNames(db: Executor, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db
    .select({ id: users.id, name: users.displayName })
    .from(users)
    .where(sql`${users.id} = ANY(${sql.param([...new Set(ids)])}::uuid[])`);
  return new Map(rows.map((r) => [r.id, r.name]));
}

export type NoteListRow = {
  id: string;
  encounter_id: string;
  template: TemplateId;
  signed_at: string | Date | null;
  created_at: string | Date;
  author_id: string;
  author_name: string;
  started_at: string | Date;
  assessment: string | null;
  addenda: number;
};

/** A patient's notes, newest encounter first, `limit` of them after the note `afterId` (the cursor). */
export async function listNotes(db: Executor, patientId: string, limit: number, afterId: string | null) {
  const after = afterId
    ? sql`AND (e.started_at, n.id) < (SELECT ce.started_at, cn.id FROM notes cn JOIN encounters ce ON ce.id = cn.encounter_id
                                       WHERE cn.id = ${afterId} AND ce.patient_id = ${patientId})`
    : sql``;
  const { rows } = await db.execute<NoteListRow>(sql`
    SELECT n.id, n.encounter_id, n.template, n.signed_at, n.created_at, n.author_id, u.display_name AS author_name,
           e.started_at, n.sections->>'assessment' AS assessment,
           (SELECT count(*)::int FROM note_addenda a WHERE a.note_id = n.id) AS addenda
      FROM notes n
      JOIN encounters e ON e.id = n.encounter_id
      JOIN users u ON u.id = n.author_id
     WHERE e.patient_id = ${patientId} ${after}
     ORDER BY e.started_at DESC, n.id DESC
     LIMIT ${limit}`);
  return rows;
}

// ------------------------------------------------------------------ the portal

export type SignedVisitRow = {
  note_id: string;
  encounter_id: string;
  started_at: string | Date;
  type: string;
  clinic_id: string;
  clinic_name: string;
  signed_at: string | Date;
  signed_by: string;
  patient_summary: string | null;
};

/**
 * The patient's visits whose note is signed (what the portal shows them), newest first: `limit` of
 * them after the encounter `afterEncounterId`, or only `encounterId` when given. Never a draft.
 */
export async function signedVisits(
  db: Executor,
  patientId: string,
  opts: { limit: number; afterEncounterId?: string | null; encounterId?: string },
): Promise<SignedVisitRow[]> {
  const after = opts.afterEncounterId
    ? sql`AND (e.started_at, e.id) < (SELECT ce.started_at, ce.id FROM encounters ce
                                       WHERE ce.id = ${opts.afterEncounterId} AND ce.patient_id = ${patientId})`
    : sql``;
  const one = opts.encounterId ? sql`AND e.id = ${opts.encounterId}` : sql``;
  const { rows } = await db.execute<SignedVisitRow>(sql`
    SELECT n.id AS note_id, e.id AS encounter_id, e.started_at, e.type, c.id AS clinic_id, c.name AS clinic_name,
           n.signed_at, su.display_name AS signed_by, n.patient_summary
      FROM encounters e
      JOIN notes n ON n.encounter_id = e.id AND n.signed_at IS NOT NULL
      JOIN clinics c ON c.id = e.clinic_id
      JOIN users su ON su.id = n.signed_by
     WHERE e.patient_id = ${patientId} ${after} ${one}
     ORDER BY e.started_at DESC, e.id DESC
     LIMIT ${opts.limit}`);
  return rows;
}

// ------------------------------------------------------------------ shortcuts

export function listShortcuts(db: Executor): Promise<ShortcutRow[]> {
  return db.select().from(noteShortcuts).orderBy(asc(noteShortcuts.name));
}

export async function insertShortcut(db: Executor, row: { name: string; text: string; updatedBy: string }) {
  const [stored] = await db.insert(noteShortcuts).values(row).onConflictDoNothing().returning();
  return stored;
}

export async function updateShortcut(db: Executor, id: string, set: { name: string; text: string; updatedBy: string }) {
  const [stored] = await db
    .update(noteShortcuts)
    .set({ ...set, updatedAt: sql`now()` })
    .where(eq(noteShortcuts.id, id))
    .returning();
  return stored;
}

export async function deleteShortcut(db: Executor, id: string): Promise<boolean> {
  const rows = await db.delete(noteShortcuts).where(eq(noteShortcuts.id, id)).returning({ id: noteShortcuts.id });
  return rows.length > 0;
}

// ------------------------------------------------------------------ the timeline

/**
 * The patient's notes as timeline entries: at their encounter's start, as the notes tab orders them, so the
 * encounters index (encounters_patient_started) serves the page; signed or draft, the template, the
 * primary diagnosis. No text of the note.
 */
export async function timelineOf(db: Executor, q: TimelineQuery): Promise<TimelineEntry[]> {
  const rows = await db
    .select({
      id: notes.id,
      at: encounters.startedAt,
      clinicId: encounters.clinicId,
      by: users.displayName,
      encounterId: notes.encounterId,
      template: notes.template,
      signedAt: notes.signedAt,
      diagnosisCode: diagnoses.code,
      diagnosis: diagnoses.description,
    })
    .from(notes)
    .innerJoin(encounters, eq(encounters.id, notes.encounterId))
    .innerJoin(users, eq(users.id, notes.authorId))
    .leftJoin(diagnoses, and(eq(diagnoses.encounterId, notes.encounterId), eq(diagnoses.rank, 'primary')))
    .where(and(eq(encounters.patientId, q.patientId), ...timelineWindow(encounters.startedAt, notes.id, q)))
    .orderBy(desc(encounters.startedAt), desc(notes.id))
    .limit(q.limit);
  return rows.map(({ id, at, clinicId, by, signedAt, ...data }) => ({
    kind: 'note',
    id,
    at,
    clinicId,
    by,
    data: { ...data, signed: signedAt !== null, signedAt: signedAt?.toISOString() ?? null },
  }));
}
