import crypto from 'node:crypto';
import {
  SICK_NOTE_MAX_DAYS,
  type Letter,
  type LetterInput,
  type Verification,
  type VisitSummaryContent,
  type WrittenLetterKind,
} from '@sanita/contracts/letters';
import type { Principal } from '../../platform/access.ts';
import { writeAudit, type AuditActor } from '../../platform/audit/audit.ts';
import { denied, runAudited } from '../../platform/audit/audited.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { Conflict, Forbidden, Invalid, NotFound, type FieldIssue } from '../../platform/errors.ts';
import { decidePatientAccess, patientRefusal, planPatientAccess, type PatientAccessRule } from '../../platform/patient-access.ts';
import type { TimelineSource } from '../../platform/timeline.ts';
import { renderLetter } from './letters.pdf.ts';
import * as repo from './letters.repository.ts';

/** Reading letters: letters:read at the active clinic, for a patient registered there. */
const READ: PatientAccessRule = { permission: 'letters:read' };
/** Issuing and revoking: letters:write (practitioners) at the active clinic. */
const WRITE: PatientAccessRule = { permission: 'letters:write' };

/** Which optional fields each kind uses and which it requires (the others are refused, not dropped). */
const FIELDS: Record<WrittenLetterKind, { required: (keyof LetterInput)[]; allowed: (keyof LetterInput)[] }> = {
  medical_certificate: { required: ['body'], allowed: ['body', 'reason'] },
  sick_note: { required: ['restFrom', 'restTo'], allowed: ['restFrom', 'restTo', 'body'] },
  referral: { required: ['recipient', 'reason', 'body'], allowed: ['recipient', 'reason', 'body', 'urgency'] },
};
const KIND_FIELDS = ['body', 'reason', 'recipient', 'urgency', 'restFrom', 'restTo'] as const;

/** Crockford base32: no I, L, O, U, so that a code read aloud or retyped is not mistaken. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** 12 characters, 60 random bits: unguessable, short enough to type from paper. */
export function newVerificationCode(): string {
  const bytes = crypto.randomBytes(12);
  return Array.from(bytes, (b) => ALPHABET[b & 31]).join('');
}

/** A typed code as stored: dashes removed, upper case, the look-alike letters read as the digits they stand for. */
export const normaliseCode = (code: string) => code.replace(/-/g, '').toUpperCase().replace(/[IL]/g, '1').replace(/O/g, '0');

const DAY_MS = 86_400_000;

/** A visit summary to issue: what the encounter's signed note says, and who signed it. */
export interface VisitSummaryIssue {
  patientId: string;
  /** the encounter's clinic: its header is printed */
  clinicId: string;
  encounterId: string;
  language: 'en' | 'fr';
  /** the user who signed the note: the summary is theirs, whoever asks for it */
  signedBy: string;
  content: VisitSummaryContent;
}

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
   * The visit summary of an encounter in a language, in the caller's transaction (the notes module
   * checked access and that the note is signed): the one issued before, unless revoked, or a new one
   * copying the content, the patient, the encounter's clinic and the signing practitioner as they are
   * now. Issued by the note's signer whoever asks, so that it is the same letter for the clinic and the
   * patient. A new one is audited `letter.issue`; the caller audits the request itself.
   */
  async visitSummary(tx: Tx, actor: AuditActor, input: VisitSummaryIssue): Promise<{ letter: Letter; created: boolean }> {
    const existing = await repo.visitSummaryOf(tx, input.encounterId, input.language);
    if (existing) return { letter: toLetter(existing), created: false };
    const patient = await repo.patientForLetter(tx, input.patientId, null);
    if (!patient) throw new NotFound('Patient not found');
    const issuer = await repo.issuerOf(tx, input.signedBy, input.clinicId, input.language);
    const row = await repo.insertVisitSummary(tx, {
      patientId: input.patientId,
      clinicId: input.clinicId,
      encounterId: input.encounterId,
      kind: 'visit_summary',
      language: input.language,
      visit: input.content,
      snapshot: {
        ...issuer,
        patient: { name: patient.name, birthDate: patient.birthDate, sex: patient.sex, mrn: patient.mrn },
      },
      issuedBy: input.signedBy,
      verificationCode: newVerificationCode(),
    });
    // two requests at once: the one that lost the race answers the winner's letter
    if (!row) return { letter: toLetter((await repo.visitSummaryOf(tx, input.encounterId, input.language))!), created: false };
    await writeAudit(tx, actor, {
      action: 'letter.issue',
      patientId: input.patientId,
      resourceType: 'letter',
      resourceId: row.id,
      details: { kind: row.kind, encounterId: input.encounterId },
    });
    return { letter: toLetter(row), created: true };
  }

  /** A letter as a PDF, by id, for a caller that has checked access and audited the opening (the portal). */
  async renderIssued(id: string): Promise<{ pdf: Buffer; filename: string }> {
    const row = await repo.letterById(this.db, id);
    if (!row) throw new NotFound('Letter not found');
    return this.render(row);
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

  /** What anyone holding the code may learn: genuine or revoked, the kind, the date, the clinic. Never the patient. */
  async verify(code: string): Promise<Verification> {
    const row = await repo.verification(this.db, normaliseCode(code));
    if (!row) throw new NotFound('No letter has this code');
    return {
      status: row.revokedAt ? 'revoked' : 'genuine',
      kind: row.kind,
      issuedAt: row.issuedAt.toISOString(),
      clinic: row.clinic,
    };
  }

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
