// Letters a practitioner issues about a patient — medical certificate, sick note, referral letter — and the
// visit summary of a signed consultation note (what the patient takes home), as PDFs with the clinic's header, the signing practitioner and a verification code that a public page
// checks (genuine or revoked, the type and the date: never the patient).
import { Type, type Static } from '@sinclair/typebox';
import { IsoDate, OptionalText, RequiredText, Uuid } from './common.ts';

export const permissions = ['letters:read', 'letters:write'] as const;

export const errorCodes = ['LETTER_REVOKED'] as const;

export const LETTER_KINDS = ['medical_certificate', 'sick_note', 'referral', 'visit_summary'] as const;
export type LetterKind = (typeof LETTER_KINDS)[number];
/**
 * The kinds a practitioner writes (POST /api/patients/:patientId/letters). A visit summary is not written:
 * it is issued from the encounter's signed note (POST /api/encounters/:id/visit-summary).
 */
export const WRITTEN_LETTER_KINDS = ['medical_certificate', 'sick_note', 'referral'] as const;
export type WrittenLetterKind = (typeof WRITTEN_LETTER_KINDS)[number];

export const REFERRAL_URGENCIES = ['routine', 'urgent'] as const;

/** A sick note covers at most this many days; longer leave is a new note after review. */
export const SICK_NOTE_MAX_DAYS = 90;

const Language = Type.Union([Type.Literal('en'), Type.Literal('fr')]);

/**
 * What the practitioner writes. Which fields a kind needs:
 * - medical_certificate: `body` (what is certified, e.g. fit for sport), `reason` optional (what for);
 * - sick_note: `restFrom` and `restTo` (inclusive, at most 90 days), `body` optional (restrictions);
 * - referral: `recipient` (to whom), `reason` (why), `body` (clinical summary), `urgency`.
 * Fields a kind does not use are refused, so nothing typed is silently dropped.
 */
export const LetterInput = Type.Object(
  {
    kind: Type.Union(WRITTEN_LETTER_KINDS.map((k) => Type.Literal(k))),
    /** the consultation it comes from, when there is one */
    encounterId: Type.Optional(Uuid),
    /** the letter's language (defaults to the practitioner's) */
    language: Type.Optional(Language),
    body: Type.Optional(OptionalText(4000)),
    reason: Type.Optional(OptionalText(500)),
    recipient: Type.Optional(OptionalText(200)),
    urgency: Type.Optional(Type.Union(REFERRAL_URGENCIES.map((u) => Type.Literal(u)))),
    restFrom: Type.Optional(IsoDate),
    restTo: Type.Optional(IsoDate),
  },
  { additionalProperties: false },
);
export type LetterInput = Static<typeof LetterInput>;

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const Letter = Type.Object({
  id: Uuid,
  patientId: Uuid,
  clinicId: Uuid,
  encounterId: Nullable(Uuid),
  kind: Type.Union(LETTER_KINDS.map((k) => Type.Literal(k))),
  language: Language,
  body: Nullable(Type.String()),
  reason: Nullable(Type.String()),
  recipient: Nullable(Type.String()),
  urgency: Nullable(Type.Union(REFERRAL_URGENCIES.map((u) => Type.Literal(u)))),
  restFrom: Nullable(Type.String({ format: 'date' })),
  restTo: Nullable(Type.String({ format: 'date' })),
  issuedAt: Type.String({ format: 'date-time' }),
  issuedBy: Type.Object({ id: Uuid, name: Type.String() }),
  /** printed on the letter; the public page /verify/<code> checks it */
  verificationCode: Type.String(),
  revokedAt: Nullable(Type.String({ format: 'date-time' })),
  revokedReason: Nullable(Type.String()),
  /** a visit summary's consultation: when it started and its type (null for the other kinds) */
  visit: Nullable(Type.Object({ startedAt: Type.String({ format: 'date-time' }), type: Type.String() })),
});
export type Letter = Static<typeof Letter>;

/**
 * Issue (or fetch) the visit summary of an encounter whose note is signed, in a language (default: the
 * user's). One per encounter and language: asking again answers the same letter and verification code.
 */
export const VisitSummaryInput = Type.Object({ language: Type.Optional(Language) }, { additionalProperties: false });
export type VisitSummaryInput = Static<typeof VisitSummaryInput>;

/**
 * What a visit summary prints, copied from the signed note when it is issued (it never changes after):
 * the visit, who signed and when, the diagnoses (primary first), the vitals taken during the visit and
 * the note's summary for the patient. Never the SOAP sections.
 */
export interface VisitSummaryContent {
  startedAt: string;
  type: string;
  reason: string | null;
  signedAt: string;
  diagnoses: { code: string; description: string; rank: string }[];
  vitals: {
    takenAt: string;
    systolic: number | null;
    diastolic: number | null;
    heartRate: number | null;
    respiratoryRate: number | null;
    temperature: number | null;
    spo2: number | null;
    weightKg: number | null;
    heightCm: number | null;
    bmi: number | null;
    glucose: number | null;
  }[];
  patientSummary: string | null;
}

export const LetterList = Type.Object({ data: Type.Array(Letter) });

export const LetterRevoke = Type.Object({ reason: RequiredText(300) }, { additionalProperties: false });
export type LetterRevoke = Static<typeof LetterRevoke>;

/** 12 characters of Crockford base32, printed in groups of four: `7KQ4-M2XD-9PHT`. */
export const VERIFICATION_CODE_PATTERN =
  '^[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{4}-?[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{4}-?[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{4}$';
export const VerifyParams = Type.Object(
  { code: Type.String({ pattern: VERIFICATION_CODE_PATTERN, description: 'the code printed on the letter or prescription' }) },
  { additionalProperties: false },
);

/**
 * What the public verification page may tell anyone holding the code: no patient data. The route asks
 * every module that prints codes (letters, prescriptions): `kind` is a letter's kind or `prescription`;
 * `revoked` is a letter issued in error, `cancelled` a prescription cancelled after signing.
 */
export const VERIFIED_KINDS = [...LETTER_KINDS, 'prescription', 'lab_report'] as const;
export const Verification = Type.Object({
  status: Type.Union([Type.Literal('genuine'), Type.Literal('revoked'), Type.Literal('cancelled')]),
  kind: Type.Union(VERIFIED_KINDS.map((k) => Type.Literal(k))),
  issuedAt: Type.String({ format: 'date-time' }),
  clinic: Type.String(),
});
export type Verification = Static<typeof Verification>;

/** The portal's visit summary: one of my consultations. */
export const VisitSummaryParams = Type.Object({ encounterId: Uuid }, { additionalProperties: false });
