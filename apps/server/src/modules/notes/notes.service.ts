import {
  BUILT_IN_SHORTCUTS,
  SOAP,
  type Addendum,
  type AddendumInput,
  type DiagnosisInput,
  type EncounterNote,
  type Note,
  type NoteHistory,
  type NoteInput,
  type NoteList,
  type NoteListQuery,
  type NoteSections,
  type Shortcut,
  type ShortcutInput,
  type SignInput,
  type TemplateId,
} from '@sanita/contracts/notes';
import type { PortalVisit, PortalVisitList, PortalVisitQuery } from '@sanita/contracts/portal';
import type { Principal } from '../../platform/access.ts';
import { writeAudit, type AuditActor } from '../../platform/audit/audit.ts';
import { denied, runAudited } from '../../platform/audit/audited.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { onUniqueViolation } from '../../platform/db/queries.ts';
import { Conflict, Forbidden, Invalid, NotFound } from '../../platform/errors.ts';
import { decidePatientAccess, patientRefusal, planPatientAccess, type PatientAccessRule } from '../../platform/patient-access.ts';
import type { TimelineSource } from '../../platform/timeline.ts';
import * as repo from './notes.repository.ts';

const READ: PatientAccessRule = { permission: 'notes:read' };
const WRITE: PatientAccessRule = { permission: 'notes:write' };
/** The portal: a patient user (`portal:self`) reads the signed visits of their own record. */
const PORTAL: PatientAccessRule = { permission: 'portal:self', self: true };

/** While a draft is autosaved, its state is kept in the history at most this often. */
export const DRAFT_REVISION_EVERY_MS = 5 * 60_000;
export const DEFAULT_PAGE = 20;
/** Visits per page of the portal's list. */
export const PORTAL_PAGE = 10;

/** An ICD-10-CM code as the terminology knows it. */
export interface Icd10Entry {
  code: string;
  description: string;
  billable: boolean;
}
/** The terminology's lookup (module `terminology`), when it is there, in the caller's transaction. */
export type Icd10Lookup = (codes: string[], tx: Tx) => Promise<Map<string, Icd10Entry>>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const iso = (d: Date | string) => new Date(d).toISOString();

export class NotesService {
  constructor(
    private readonly db: Db,
    private readonly icd10: Icd10Lookup | null = null,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * The encounter, by the one patient-access path: 403 without the permission, 404 for an encounter
   * that does not exist or whose patient is not registered at the active clinic; a write needs the
   * encounter to be at the active clinic too. Refusals are audited as `action` denied.
   */
  private async encounter(tx: Tx, p: Principal, encounterId: string, rule: PatientAccessRule, action: string) {
    const enc = await repo.encounterForNote(tx, encounterId, p.clinicId);
    const plan = planPatientAccess(p, enc?.patientId ?? encounterId, rule);
    if (!enc) {
      const error = plan.verdict === 'forbidden' ? new Forbidden() : new NotFound('Encounter not found');
      throw denied(error, action, { type: 'encounter', id: encounterId });
    }
    let verdict = decidePatientAccess(plan, enc);
    if (verdict === 'ok' && rule === WRITE && enc.clinicId !== p.clinicId) verdict = 'hidden';
    if (verdict !== 'ok') throw patientRefusal(verdict, enc.patientId, true, action);
    return enc;
  }

  /** The encounter's note (null before the first save) and the template a new one starts from; audited. */
  async get(p: Principal, actor: AuditActor, encounterId: string): Promise<EncounterNote> {
    return runAudited(this.db, actor, async (tx) => {
      const enc = await this.encounter(tx, p, encounterId, READ, 'note.read');
      const row = await repo.noteOf(tx, encounterId);
      const note = row ? await this.toNote(tx, row, enc) : null;
      await writeAudit(tx, actor, {
        action: 'note.read',
        patientId: enc.patientId,
        resourceType: 'encounter',
        resourceId: encounterId,
        details: { noteId: row?.id ?? null },
      });
      return {
        encounter: {
          id: enc.id,
          patientId: enc.patientId,
          clinicId: enc.clinicId,
          type: enc.type,
          status: enc.status,
          reason: enc.reason,
          startedAt: iso(enc.startedAt),
          endedAt: enc.endedAt ? iso(enc.endedAt) : null,
          practitionerName: enc.practitionerName,
        },
        note,
        defaultTemplate: enc.ophthalmology ? 'ophthalmology' : 'general',
      };
    });
  }

  /**
   * The autosave: the whole draft at the version the client read (0: none yet). A stale version →
   * 409 STALE_VERSION with the current note in `details.current`; a signed note → 409 NOTE_SIGNED.
   */
  async save(p: Principal, actor: AuditActor, encounterId: string, input: NoteInput): Promise<Note> {
    const sections = sectionsOf(input.template, input.sections);
    const summary = input.patientSummary ?? null;
    return runAudited(this.db, actor, async (tx) => {
      const enc = await this.encounter(tx, p, encounterId, WRITE, 'note.save');
      const list = await this.diagnosesOf(tx, input.diagnoses);
      let row = await repo.noteOf(tx, encounterId, true);
      let saved: repo.NoteRow | undefined;
      if (!row) {
        if (input.version !== 0) throw new NotFound('Note not found');
        saved = await repo.insertNote(tx, {
          encounterId,
          template: input.template,
          sections,
          patientSummary: summary,
          authorId: p.userId,
        });
        if (!saved) row = await repo.noteOf(tx, encounterId, true);
      }
      if (!saved) {
        await this.refuseChange(tx, row!, enc, input.version);
        saved = await repo.updateDraft(tx, row!.id, input.version, {
          template: input.template,
          sections,
          patientSummary: summary,
        });
        if (!saved) throw new Conflict('The note was saved elsewhere', 'STALE_VERSION');
      }
      await repo.replaceDiagnoses(tx, saved, list, p.userId);
      const last = await repo.lastRevisionAt(tx, saved.id);
      if (!last || this.now().getTime() - last.getTime() >= DRAFT_REVISION_EVERY_MS)
        await repo.insertRevision(tx, {
          noteId: saved.id,
          kind: 'draft',
          content: { template: saved.template, sections, patientSummary: summary, diagnoses: list },
          authorId: p.userId,
        });
      await writeAudit(tx, actor, {
        action: 'note.save',
        patientId: enc.patientId,
        resourceType: 'note',
        resourceId: saved.id,
        details: { encounterId, version: saved.version },
      });
      return this.toNote(tx, saved, enc);
    });
  }

  /** Refuses to change a signed note (409 NOTE_SIGNED) or one saved since `version` (409 STALE_VERSION), with the current note. */
  private async refuseChange(tx: Tx, row: repo.NoteRow, enc: repo.EncounterForNote, version: number): Promise<void> {
    if (row.signedAt)
      throw new Conflict('The note is signed: add an addendum', 'NOTE_SIGNED', { current: await this.toNote(tx, row, enc) });
    if (row.version !== version)
      throw new Conflict(`The note was saved elsewhere (version ${row.version}, not ${version})`, 'STALE_VERSION', {
        current: await this.toNote(tx, row, enc),
      });
  }

  /** Signs the note at `version`: a primary diagnosis is required; from then on the database refuses any change. */
  async sign(p: Principal, actor: AuditActor, encounterId: string, input: SignInput): Promise<Note> {
    return runAudited(this.db, actor, async (tx) => {
      const enc = await this.encounter(tx, p, encounterId, WRITE, 'note.sign');
      const row = await repo.noteOf(tx, encounterId, true);
      if (!row) throw new Invalid([{ field: 'sections', code: 'required', message: 'write the note before signing it' }]);
      await this.refuseChange(tx, row, enc, input.version);
      const list = await repo.diagnosesOf(tx, [row.id]);
      const issues = [];
      if (!SOAP.some((s) => row.sections[s].trim()))
        issues.push({ field: 'sections', code: 'required' as const, message: 'write the note before signing it' });
      if (!list.some((d) => d.rank === 'primary'))
        issues.push({ field: 'diagnoses', code: 'required' as const, message: 'a primary diagnosis is required to sign' });
      if (issues.length) throw new Invalid(issues);
      const signed = await repo.signNote(tx, row.id, input.version, p.userId);
      if (!signed) throw new Conflict('The note was saved elsewhere', 'STALE_VERSION');
      await repo.insertRevision(tx, {
        noteId: row.id,
        kind: 'signed',
        content: {
          template: row.template,
          sections: row.sections,
          patientSummary: row.patientSummary,
          diagnoses: list.map((d) => ({ code: d.code, description: d.description, rank: d.rank })),
        },
        authorId: p.userId,
      });
      await writeAudit(tx, actor, {
        action: 'note.sign',
        patientId: enc.patientId,
        resourceType: 'note',
        resourceId: row.id,
        details: { encounterId },
      });
      return this.toNote(tx, signed, enc);
    });
  }

  /** Adds an addendum to a signed note (a draft is edited instead: 409 NOTE_NOT_SIGNED). */
  async addendum(p: Principal, actor: AuditActor, encounterId: string, input: AddendumInput): Promise<Addendum> {
    return runAudited(this.db, actor, async (tx) => {
      const enc = await this.encounter(tx, p, encounterId, WRITE, 'note.addendum');
      const row = await repo.noteOf(tx, encounterId);
      if (!row?.signedAt) throw new Conflict('Only a signed note takes addenda: edit the draft', 'NOTE_NOT_SIGNED');
      const stored = await repo.insertAddendum(tx, { noteId: row.id, text: input.text, authorId: p.userId });
      await repo.insertRevision(tx, { noteId: row.id, kind: 'addendum', content: { text: input.text }, authorId: p.userId });
      await writeAudit(tx, actor, {
        action: 'note.addendum',
        patientId: enc.patientId,
        resourceType: 'note',
        resourceId: row.id,
        details: { encounterId, addendumId: stored.id },
      });
      return {
        id: stored.id,
        text: stored.text,
        author: { id: p.userId, name: p.displayName },
        createdAt: iso(stored.createdAt),
      };
    });
  }

  /** The note's history, oldest first: drafts as they stood, the signed text, each addendum; audited. */
  async history(p: Principal, actor: AuditActor, encounterId: string): Promise<NoteHistory> {
    return runAudited(this.db, actor, async (tx) => {
      const enc = await this.encounter(tx, p, encounterId, READ, 'note.history');
      const row = await repo.noteOf(tx, encounterId);
      const revisions = row ? await repo.revisionsOf(tx, row.id) : [];
      await writeAudit(tx, actor, {
        action: 'note.history',
        patientId: enc.patientId,
        resourceType: 'encounter',
        resourceId: encounterId,
        details: { noteId: row?.id ?? null },
      });
      return {
        data: revisions.map((r) => {
          const c = r.content as {
            template?: TemplateId;
            sections?: NoteSections;
            patientSummary?: string | null;
            diagnoses?: { code: string; description: string; rank: string }[];
            text?: string;
          };
          return {
            id: r.id,
            kind: r.kind,
            at: iso(r.createdAt),
            by: { id: r.authorId, name: r.authorName },
            template: c.template ?? null,
            sections: c.sections ?? null,
            patientSummary: c.patientSummary ?? null,
            diagnoses: c.diagnoses?.map((d) => ({ code: d.code, description: d.description, rank: d.rank })) ?? null,
            text: c.text ?? null,
          };
        }),
      };
    });
  }

  /** A patient's notes, newest encounter first, paged; the read is audited with the ids shown. */
  async listForPatient(p: Principal, actor: AuditActor, patientId: string, q: NoteListQuery): Promise<NoteList> {
    const limit = q.limit ?? DEFAULT_PAGE;
    if (q.cursor !== undefined && !UUID.test(q.cursor))
      throw new Invalid([{ field: 'querystring.cursor', code: 'invalid', message: 'is not a cursor of this list' }]);
    return runAudited(this.db, actor, async (tx) => {
      const plan = planPatientAccess(p, patientId, READ);
      const found = await repo.patientLink(tx, patientId, p.clinicId);
      const verdict = decidePatientAccess(plan, found);
      if (verdict !== 'ok') throw patientRefusal(verdict, patientId, !!found, 'notes.read');
      const rows = await repo.listNotes(tx, patientId, limit + 1, q.cursor ?? null);
      const page = rows.slice(0, limit);
      const dx = await repo.diagnosesOf(
        tx,
        page.map((r) => r.id),
      );
      await writeAudit(tx, actor, {
        action: 'notes.read',
        patientId,
        resourceType: 'patient',
        resourceId: patientId,
        details: { ids: page.map((r) => r.id) },
      });
      return {
        data: page.map((r) => ({
          id: r.id,
          encounterId: r.encounter_id,
          template: r.template,
          status: r.signed_at ? ('signed' as const) : ('draft' as const),
          author: { id: r.author_id, name: r.author_name },
          createdAt: iso(r.created_at),
          signedAt: r.signed_at ? iso(r.signed_at) : null,
          encounterStartedAt: iso(r.started_at),
          diagnoses: dx.filter((d) => d.noteId === r.id).map((d) => ({ code: d.code, description: d.description, rank: d.rank })),
          excerpt: (r.assessment ?? '').trim().slice(0, 160),
          addenda: r.addenda,
        })),
        nextCursor: rows.length > limit ? page[page.length - 1]!.id : null,
      };
    });
  }

  // ------------------------------------------------------------------ the portal

  /** The portal user's own patient id: 403 to anyone else, 404 when the record is gone; audited as `action` denied. */
  private async own(tx: Tx, p: Principal, action: string): Promise<string> {
    const patientId = p.patientId;
    const plan = planPatientAccess(p, patientId ?? p.userId, PORTAL);
    if (!patientId || plan.verdict !== 'granted') throw denied(new Forbidden(), action, { type: 'patient', id: p.userId });
    const found = await repo.patientLink(tx, patientId, p.clinicId);
    const verdict = decidePatientAccess(plan, found);
    if (verdict !== 'ok') throw patientRefusal(verdict, patientId, !!found, action);
    return patientId;
  }

  /**
   * My visits whose note is signed, newest first, paged: date, clinic, who signed, the diagnoses and
   * the summary written for me — never the SOAP sections, a draft or an addendum. Audited with the ids.
   */
  async portalVisits(p: Principal, actor: AuditActor, q: PortalVisitQuery): Promise<PortalVisitList> {
    const limit = q.limit ?? PORTAL_PAGE;
    if (q.cursor !== undefined && !UUID.test(q.cursor))
      throw new Invalid([{ field: 'querystring.cursor', code: 'invalid', message: 'is not a cursor of this list' }]);
    return runAudited(this.db, actor, async (tx) => {
      const patientId = await this.own(tx, p, 'notes.read');
      const rows = await repo.signedVisits(tx, patientId, { limit: limit + 1, afterEncounterId: q.cursor ?? null });
      const page = rows.slice(0, limit);
      const visits = await this.portalVisitsOf(tx, page);
      await writeAudit(tx, actor, {
        action: 'notes.read',
        patientId,
        resourceType: 'patient',
        resourceId: patientId,
        details: { ids: page.map((r) => r.note_id), portal: true },
      });
      return { data: visits, nextCursor: rows.length > limit ? page[page.length - 1]!.encounter_id : null };
    });
  }

  /** One of my signed visits (404 for a draft, another patient's or an unknown encounter); audited. */
  async portalVisit(p: Principal, actor: AuditActor, encounterId: string): Promise<PortalVisit> {
    return runAudited(this.db, actor, async (tx) => {
      const patientId = await this.own(tx, p, 'note.read');
      const [row] = await repo.signedVisits(tx, patientId, { limit: 1, encounterId });
      if (!row) throw denied(new NotFound('Visit not found'), 'note.read', { type: 'encounter', id: encounterId }, patientId);
      const [visit] = await this.portalVisitsOf(tx, [row]);
      await writeAudit(tx, actor, {
        action: 'note.read',
        patientId,
        resourceType: 'encounter',
        resourceId: encounterId,
        details: { noteId: row.note_id, portal: true },
      });
      return visit!;
    });
  }

  private async portalVisitsOf(tx: Tx, rows: repo.SignedVisitRow[]): Promise<PortalVisit[]> {
    const dx = await repo.diagnosesOf(
      tx,
      rows.map((r) => r.note_id),
    );
    return rows.map((r) => ({
      encounterId: r.encounter_id,
      startedAt: iso(r.started_at),
      type: r.type as PortalVisit['type'],
      clinic: { id: r.clinic_id, name: r.clinic_name },
      signedBy: r.signed_by,
      signedAt: iso(r.signed_at),
      diagnoses: dx
        .filter((d) => d.noteId === r.note_id)
        .map((d) => ({ code: d.code, description: d.description, rank: d.rank })),
      patientSummary: r.patient_summary,
    }));
  }

  // ------------------------------------------------------------------ shortcuts

  async shortcuts(): Promise<{ data: Shortcut[] }> {
    return { data: (await repo.listShortcuts(this.db)).map(toShortcut) };
  }

  async createShortcut(p: Principal, actor: AuditActor, input: ShortcutInput): Promise<Shortcut> {
    refuseBuiltIn(input.name);
    return runAudited(this.db, actor, async (tx) => {
      const row = await repo.insertShortcut(tx, { name: input.name, text: input.text, updatedBy: p.userId });
      if (!row) throw taken(input.name);
      await writeAudit(tx, actor, { action: 'note_shortcut.create', resourceType: 'note_shortcut', resourceId: row.id });
      return toShortcut(row);
    });
  }

  async updateShortcut(p: Principal, actor: AuditActor, id: string, input: ShortcutInput): Promise<Shortcut> {
    refuseBuiltIn(input.name);
    return onUniqueViolation(
      () =>
        runAudited(this.db, actor, async (tx) => {
          const row = await repo.updateShortcut(tx, id, { name: input.name, text: input.text, updatedBy: p.userId });
          if (!row) throw new NotFound('Shortcut not found');
          await writeAudit(tx, actor, { action: 'note_shortcut.update', resourceType: 'note_shortcut', resourceId: id });
          return toShortcut(row);
        }),
      () => taken(input.name),
    );
  }

  async deleteShortcut(actor: AuditActor, id: string): Promise<void> {
    await runAudited(this.db, actor, async (tx) => {
      if (!(await repo.deleteShortcut(tx, id))) throw new NotFound('Shortcut not found');
      await writeAudit(tx, actor, { action: 'note_shortcut.delete', resourceType: 'note_shortcut', resourceId: id });
    });
  }

  // ------------------------------------------------------------------ helpers

  /**
   * The diagnoses as they will be stored: at most one primary, no code twice (400 naming the item);
   * each described by the terminology when it knows the code (else as the client wrote it).
   */
  private async diagnosesOf(tx: Tx, list: DiagnosisInput[]) {
    const issues = [];
    const primaries = list.map((d, i) => [d, i] as const).filter(([d]) => d.rank === 'primary');
    if (primaries.length > 1)
      issues.push({
        field: `diagnoses.${primaries[1]![1]}.rank`,
        code: 'invalid' as const,
        message: 'only one diagnosis may be primary',
      });
    const seen = new Set<string>();
    list.forEach((d, i) => {
      if (seen.has(d.code))
        issues.push({ field: `diagnoses.${i}.code`, code: 'invalid' as const, message: `${d.code} is listed twice` });
      seen.add(d.code);
    });
    // in the transaction: a second pool connection while this one is held deadlocks the pool under load
    const known =
      this.icd10 && list.length
        ? await this.icd10(
            list.map((d) => d.code),
            tx,
          )
        : null;
    const out = list.map((d, i) => {
      const entry = known?.get(d.code);
      if (known && !entry)
        issues.push({ field: `diagnoses.${i}.code`, code: 'invalid' as const, message: `${d.code} is not an ICD-10-CM code` });
      const description = entry?.description ?? d.description?.trim() ?? '';
      return { code: d.code, description: description || d.code, rank: d.rank };
    });
    if (issues.length) throw new Invalid(issues);
    return out;
  }

  private async toNote(tx: Tx, row: repo.NoteRow, enc: repo.EncounterForNote): Promise<Note> {
    const [dx, addenda, names] = await Promise.all([
      repo.diagnosesOf(tx, [row.id]),
      repo.addendaOf(tx, row.id),
      repo.userNames(tx, [row.authorId, ...(row.signedBy ? [row.signedBy] : [])]),
    ]);
    return {
      id: row.id,
      encounterId: row.encounterId,
      patientId: enc.patientId,
      clinicId: enc.clinicId,
      template: row.template,
      sections: row.sections,
      patientSummary: row.patientSummary,
      diagnoses: dx.map((d) => ({
        code: d.code,
        description: d.description,
        rank: d.rank,
        addedBy: { id: d.addedBy, name: d.addedByName },
      })),
      author: { id: row.authorId, name: names.get(row.authorId) ?? '' },
      status: row.signedAt ? 'signed' : 'draft',
      version: row.version,
      createdAt: iso(row.createdAt),
      updatedAt: iso(row.updatedAt),
      signedAt: row.signedAt ? iso(row.signedAt) : null,
      signedBy: row.signedBy ? { id: row.signedBy, name: names.get(row.signedBy) ?? '' } : null,
      addenda: addenda.map((a) => ({
        id: a.id,
        text: a.text,
        author: { id: a.authorId, name: a.authorName },
        createdAt: iso(a.createdAt),
      })),
    };
  }

  /** Notes on the patient's timeline, for those who read notes: signed or draft, template, primary diagnosis. */
  readonly timeline: TimelineSource = { kind: 'note', permission: 'notes:read', list: repo.timelineOf };
}

/** The sections as stored: the exam per eye only in the ophthalmology template. */
export function sectionsOf(template: TemplateId, s: NoteSections): NoteSections {
  const base = { subjective: s.subjective, objective: s.objective, assessment: s.assessment, plan: s.plan };
  return template === 'ophthalmology' ? { ...base, eyes: s.eyes ?? { right: {}, left: {} } } : base;
}

function refuseBuiltIn(name: string) {
  if ((BUILT_IN_SHORTCUTS as readonly string[]).includes(name))
    throw new Invalid([{ field: 'name', code: 'invalid', message: `${name} is built in` }]);
}

const taken = (name: string) => new Conflict(`A shortcut is already named ${name}`, 'SHORTCUT_TAKEN');

function toShortcut(r: repo.ShortcutRow): Shortcut {
  return { id: r.id, name: r.name, text: r.text, updatedAt: iso(r.updatedAt) };
}
