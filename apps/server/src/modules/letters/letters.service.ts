import {
  SICK_NOTE_MAX_DAYS,
  type Letter,
  type LetterInput,
  type Verification,
  type WrittenLetterKind,
} from '@sanita/contracts/letters';
import type { Principal } from '../../platform/access.ts';
import { writeAudit, type AuditActor } from '../../platform/audit/audit.ts';
import { denied, runAudited } from '../../platform/audit/audited.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { Conflict, Forbidden, Invalid, NotFound, type FieldIssue } from '../../platform/errors.ts';
import { decidePatientAccess, patientRefusal, planPatientAccess, type PatientAccessRule } from '../../platform/patient-access.ts';
import type { TimelineSource } from '../../platform/timeline.ts';
import { newVerificationCode, normaliseCode, type VerificationSource } from '../../platform/verification.ts';
import type { VisitForSummary, VisitSummarySource } from '../notes/visit-summary.service.ts';
import { renderLetter } from './letters.pdf.ts';
import * as repo from './letters.repository.ts';

/** Reading letters: letters:read at the active clinic, for a patient registered there. */
const READ: PatientAccessRule = { permission: 'letters:read' };
/** Issuing and revoking: letters:write (practitioners) at the active clinic. */
const WRITE: PatientAccessRule = { permission: 'letters:write' };
/** The portal: a patient user (portal:self) and their own record. */
const PORTAL: PatientAccessRule = { permission: 'portal:self', self: true };

/** Which optional fields each kind uses and which it requires (the others are refused, not dropped). */
const FIELDS: Record<WrittenLetterKind, { required: (keyof LetterInput)[]; allowed: (keyof LetterInput)[] }> = {
  medical_certificate: { required: ['body'], allowed: ['body', 'reason'] },
  sick_note: { required: ['restFrom', 'restTo'], allowed: ['restFrom', 'restTo', 'body'] },
  referral: { required: ['recipient', 'reason', 'body'], allowed: ['recipient', 'reason', 'body', 'urgency'] },
};
const KIND_FIELDS = ['body', 'reason', 'recipient', 'urgency', 'restFrom', 'restTo'] as const;

const DAY_MS = 86_400_000;

/** The rules the schema cannot state: the fields of the kind, and a sick note's dates. */
export function checkLetter(input: LetterInput): void {
  const { required, allowed } = FIELDS[input.kind];
  const issues: FieldIssue[] = [];
  for (const f of required)
    if (input[f] === undefined || input[f] === null || input[f] === '')
      issues.push({ field: f, code: 'required', message: `is required for a ${input.kind.replace('_', ' ')}` });
  for (const f of KIND_FIELDS)
    if (!allowed.includes(f) && input[f] !== undefined && input[f] !== null)
      issues.push({ field: f, code: 'invalid', message: `is not part of a ${input.kind.replace('_', ' ')}` });
  if (input.kind === 'sick_note' && input.restFrom && input.restTo) {
    const days = (Date.parse(input.restTo) - Date.parse(input.restFrom)) / DAY_MS + 1;
    if (days < 1) issues.push({ field: 'restTo', code: 'invalid', message: 'must be on or after restFrom' });
    else if (days > SICK_NOTE_MAX_DAYS)
      issues.push({ field: 'restTo', code: 'invalid', message: `a sick note covers at most ${SICK_NOTE_MAX_DAYS} days` });
  }
  if (issues.length) throw new Invalid(issues);
}

export class LettersService {
  constructor(
    private readonly db: Db,
    private readonly publicUrl: string,
    /** the notes module's reading of a signed note for its visit summary */
    private readonly visits: VisitSummarySource,
    /** every module's documents with a verification code (letters' own among them) */
    private readonly verificationSources: () => readonly VerificationSource[] = () => [this.verification],
  ) {}

  /** The patient by the one patient-access path; refusals audited as `action` denied. */
  private async patient(tx: Tx, p: Principal, patientId: string, rule: PatientAccessRule, action: string) {
    const plan = planPatientAccess(p, patientId, rule);
    const found = await repo.patientForLetter(tx, patientId, p.clinicId);
    let verdict = decidePatientAccess(plan, found);
    if (verdict === 'ok' && found!.status === 'merged') verdict = 'hidden';
    if (verdict !== 'ok') throw patientRefusal(verdict, patientId, !!found, action);
    return found!;
  }

  /** A letter of the active clinic, its patient reached by the patient-access path; refusals audited as `action`. */
  private async letter(tx: Tx, p: Principal, id: string, rule: PatientAccessRule, action: string) {
    const row = await repo.letterById(tx, id);
    // without the permission: 403 whether or not the letter exists; another clinic's letter looks like none
    if (planPatientAccess(p, row?.patientId ?? id, rule).verdict === 'forbidden')
      throw denied(new Forbidden(), action, { type: 'letter', id }, row?.patientId ?? null);
    if (!row || row.clinicId !== p.clinicId)
      throw denied(new NotFound('Letter not found'), action, { type: 'letter', id }, row?.patientId ?? null);
    await this.patient(tx, p, row.patientId, rule, action);
    return row;
  }

  /** Issues a letter: the patient, clinic and practitioner are copied as they are now; audited. */
  async issue(p: Principal, actor: AuditActor, patientId: string, input: LetterInput): Promise<Letter> {
    return runAudited(this.db, actor, async (tx) => {
      const patient = await this.patient(tx, p, patientId, WRITE, 'letter.issue');
      checkLetter(input);
      if (input.encounterId && !(await repo.encounterOf(tx, input.encounterId, patientId, p.clinicId!)))
        throw new Invalid([
          { field: 'encounterId', code: 'invalid', message: 'is not a consultation of this patient at this clinic' },
        ]);
      const language = input.language ?? (p.locale === 'fr' ? 'fr' : 'en');
      const issuer = await repo.issuerOf(tx, p.userId, p.clinicId!, language);
      const row = await repo.insertLetter(
        tx,
        {
          patientId,
          clinicId: p.clinicId!,
          encounterId: input.encounterId ?? null,
          kind: input.kind,
          language,
          body: input.body ?? null,
          reason: input.reason ?? null,
          recipient: input.recipient ?? null,
          urgency: input.urgency ?? null,
          restFrom: input.restFrom ?? null,
          restTo: input.restTo ?? null,
          snapshot: {
            ...issuer,
            patient: { name: patient.name, birthDate: patient.birthDate, sex: patient.sex, mrn: patient.mrn },
          },
          issuedBy: p.userId,
          verificationCode: newVerificationCode(),
        },
        p.displayName,
      );
      await writeAudit(tx, actor, {
        action: 'letter.issue',
        patientId,
        resourceType: 'letter',
        resourceId: row.id,
        details: { kind: row.kind },
      });
      return toLetter(row);
    });
  }

  /** A patient's letters issued at the active clinic, newest first; the read is audited. */
  async list(p: Principal, actor: AuditActor, patientId: string): Promise<{ data: Letter[] }> {
    return runAudited(this.db, actor, async (tx) => {
      await this.patient(tx, p, patientId, READ, 'letter.list');
      const rows = await repo.listLetters(tx, patientId, p.clinicId!);
      await writeAudit(tx, actor, {
        action: 'letter.list',
        patientId,
        resourceType: 'patient',
        resourceId: patientId,
        details: { ids: rows.map((r) => r.id) },
      });
      return { data: rows.map(toLetter) };
    });
  }

  /** The letter as a PDF; every opening is audited. */
  async pdf(p: Principal, actor: AuditActor, id: string): Promise<{ pdf: Buffer; filename: string }> {
    const row = await runAudited(this.db, actor, async (tx) => {
      const found = await this.letter(tx, p, id, READ, 'letter.read');
      await writeAudit(tx, actor, {
        action: 'letter.read',
        patientId: found.patientId,
        resourceType: 'letter',
        resourceId: found.id,
        details: { kind: found.kind },
      });
      return found;
    });
    return this.render(row);
  }

  private async render(row: repo.LetterRow): Promise<{ pdf: Buffer; filename: string }> {
    const pdf = await renderLetter(row, this.publicUrl);
    return {
      pdf,
      filename: `${row.kind.replace('_', '-')}-${row.snapshot.patient.mrn}-${row.issuedAt.toISOString().slice(0, 10)}.pdf`,
    };
  }

  /**
   * Staff: the visit summary of an encounter of the active clinic whose note is signed, in a language
   * (default: the user's): issued now (201) or the one issued before (200) — one per encounter and
   * language, so that a reprint is the same letter with the same code. Needs letters:read and
   * notes:read (it prints the note's diagnoses and summary), else 403; out of reach 404; a draft (or no
   * note) 409 NOTE_NOT_SIGNED saying so. Audited `visit_summary.issue` (and `letter.issue` when new).
   */
  async issueVisitSummary(
    p: Principal,
    actor: AuditActor,
    encounterId: string,
    language?: 'en' | 'fr',
  ): Promise<{ letter: Letter; created: boolean }> {
    const action = 'visit_summary.issue';
    return runAudited(this.db, actor, async (tx) => {
      const visit = await this.visits.visit(tx, encounterId);
      const patientId = visit?.encounter.patientId ?? null;
      // without both permissions: 403 whether or not the encounter exists
      if (planPatientAccess(p, patientId ?? encounterId, READ).verdict === 'forbidden' || !p.permissions.has('notes:read'))
        throw denied(new Forbidden(), action, { type: 'encounter', id: encounterId }, patientId);
      // a letter is the clinic's that issues it: the encounter's, which must be the active one
      if (!visit || visit.encounter.clinicId !== p.clinicId)
        throw denied(new NotFound('Encounter not found'), action, { type: 'encounter', id: encounterId }, patientId);
      const patient = await this.patient(tx, p, visit.encounter.patientId, READ, action);
      if (!visit.signed) throw new Conflict(visit.why, 'NOTE_NOT_SIGNED');
      const { row, created } = await this.visitSummaryOf(
        tx,
        actor,
        visit,
        patient,
        language ?? (p.locale === 'fr' ? 'fr' : 'en'),
      );
      await writeAudit(tx, actor, {
        action,
        patientId: visit.encounter.patientId,
        resourceType: 'encounter',
        resourceId: encounterId,
        details: { letterId: row.id, created, language: row.language },
      });
      return { letter: toLetter(row), created };
    });
  }

  /**
   * The portal: the visit summary of one of my consultations whose note is signed, as a PDF in my
   * language (issued at the first download; the same letter afterwards). Another patient's, a draft's
   * or an unknown encounter: 404. Audited `visit_summary.read`, refusals as denied.
   */
  async portalVisitSummary(p: Principal, actor: AuditActor, encounterId: string): Promise<{ pdf: Buffer; filename: string }> {
    const action = 'visit_summary.read';
    const row = await runAudited(this.db, actor, async (tx) => {
      const patientId = p.patientId;
      if (!patientId || planPatientAccess(p, patientId, PORTAL).verdict !== 'granted')
        throw denied(new Forbidden(), action, { type: 'encounter', id: encounterId });
      const visit = await this.visits.visit(tx, encounterId);
      const own = visit?.encounter.patientId === patientId;
      const patient = own ? await repo.patientForLetter(tx, patientId, null) : undefined;
      // someone else's consultation looks like none, and its refusal names no patient
      if (!visit || !own || !visit.signed || !patient || patient.status === 'merged')
        throw denied(new NotFound('Visit not found'), action, { type: 'encounter', id: encounterId }, own ? patientId : null);
      const { row: letter, created } = await this.visitSummaryOf(tx, actor, visit, patient, p.locale === 'fr' ? 'fr' : 'en');
      await writeAudit(tx, actor, {
        action,
        patientId,
        resourceType: 'letter',
        resourceId: letter.id,
        details: { encounterId, created, portal: true },
      });
      return letter;
    });
    return this.render(row);
  }

  /**
   * The encounter's visit summary in `language`: the one issued before, unless revoked, or a new one
   * copying the content, the patient, the encounter's clinic and the signing practitioner as they are
   * now. It is the signer's whoever asks (the clinic or the patient), so it is issued by them; a new one
   * is audited `letter.issue`.
   */
  private async visitSummaryOf(
    tx: Tx,
    actor: AuditActor,
    visit: Extract<VisitForSummary, { signed: true }>,
    patient: NonNullable<Awaited<ReturnType<typeof repo.patientForLetter>>>,
    language: 'en' | 'fr',
  ): Promise<{ row: repo.LetterRow; created: boolean }> {
    const { encounter } = visit;
    const existing = await repo.visitSummaryOf(tx, encounter.id, language);
    if (existing) return { row: existing, created: false };
    const issuer = await repo.issuerOf(tx, visit.signedBy, encounter.clinicId, language);
    const row = await repo.insertVisitSummary(tx, {
      patientId: encounter.patientId,
      clinicId: encounter.clinicId,
      encounterId: encounter.id,
      kind: 'visit_summary',
      language,
      visit: visit.content,
      snapshot: {
        ...issuer,
        patient: { name: patient.name, birthDate: patient.birthDate, sex: patient.sex, mrn: patient.mrn },
      },
      issuedBy: visit.signedBy,
      verificationCode: newVerificationCode(),
    });
    // two requests at once: the one that lost the race answers the winner's letter
    if (!row) return { row: (await repo.visitSummaryOf(tx, encounter.id, language))!, created: false };
    await writeAudit(tx, actor, {
      action: 'letter.issue',
      patientId: encounter.patientId,
      resourceType: 'letter',
      resourceId: row.id,
      details: { kind: row.kind, encounterId: encounter.id },
    });
    return { row, created: true };
  }

  /** Revokes a letter issued in error (once, with a reason): the verification page then says so. */
  async revoke(p: Principal, actor: AuditActor, id: string, reason: string): Promise<Letter> {
    return runAudited(this.db, actor, async (tx) => {
      const found = await this.letter(tx, p, id, WRITE, 'letter.revoke');
      if (found.revokedAt) throw new Conflict('This letter is already revoked', 'LETTER_REVOKED');
      await repo.revokeLetter(tx, id, p.userId, reason);
      await writeAudit(tx, actor, {
        action: 'letter.revoke',
        patientId: found.patientId,
        resourceType: 'letter',
        resourceId: id,
        details: { kind: found.kind },
      });
      return toLetter((await repo.letterById(tx, id))!);
    });
  }

  /**
   * The public verification route: what anyone holding the code may learn of the document that has it
   * (a letter, a prescription…: each module's verification source is asked in turn) — genuine, revoked
   * or cancelled, the kind, the date, the clinic. Never the patient.
   */
  async verify(code: string): Promise<Verification> {
    const normalised = normaliseCode(code);
    for (const source of this.verificationSources()) {
      const found = await source.verify(normalised);
      if (found) return found as Verification;
    }
    throw new NotFound('No document has this code');
  }

  /** Letters as a verification source: genuine or revoked, the kind, the date, the clinic. */
  readonly verification: VerificationSource = {
    verify: async (code) => {
      const row = await repo.verification(this.db, code);
      if (!row) return null;
      return {
        status: row.revokedAt ? 'revoked' : 'genuine',
        kind: row.kind,
        issuedAt: row.issuedAt.toISOString(),
        clinic: row.clinic,
      };
    },
  };

  /** The patients module runs this when it merges a duplicate into a survivor. */
  mergePatients = (tx: Tx, fromId: string, toId: string): Promise<void> => repo.moveLetters(tx, fromId, toId);

  /** Letters on the patient's timeline: kind, recipient or rest dates, revoked or not. */
  readonly timeline: TimelineSource = { kind: 'letter', permission: 'letters:read', list: repo.timelineOf };
}

function toLetter(r: repo.LetterRow): Letter {
  return {
    id: r.id,
    patientId: r.patientId,
    clinicId: r.clinicId,
    encounterId: r.encounterId,
    kind: r.kind,
    language: r.language,
    body: r.body,
    reason: r.reason,
    recipient: r.recipient,
    urgency: r.urgency,
    restFrom: r.restFrom,
    restTo: r.restTo,
    issuedAt: r.issuedAt.toISOString(),
    issuedBy: { id: r.issuedBy, name: r.issuedByName },
    verificationCode: r.verificationCode,
    revokedAt: r.revokedAt?.toISOString() ?? null,
    revokedReason: r.revokedReason,
    visit: r.visit ? { startedAt: r.visit.startedAt, type: r.visit.type } : null,
  };
}
