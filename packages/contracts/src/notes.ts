// Consultation notes: one note per encounter, written from a template (SOAP), autosaved as a draft,
// signed (then locked by the database itself), completed by addenda; the encounter's ICD-10-CM
// diagnoses (exactly one primary to sign); the organisation's text shortcuts (`.ros` → a paragraph).
import { Type, type Static } from '@sinclair/typebox';
import { Decimal, INT32_MAX, Integer, NullableText, RequiredText, Uuid } from './common.ts';

export const permissions = ['notes:read', 'notes:write', 'notes:shortcuts'] as const;

export const errorCodes = ['NOTE_SIGNED', 'NOTE_NOT_SIGNED', 'SHORTCUT_TAKEN'] as const;

// ------------------------------------------------------------------ templates

/** The templates a note is written from (code-defined): SOAP, and SOAP with an exam per eye. */
export const TEMPLATES = ['general', 'ophthalmology'] as const;
export type TemplateId = (typeof TEMPLATES)[number];
export const TemplateIdSchema = Type.Union(TEMPLATES.map((t) => Type.Literal(t)));

/** The free-text sections of every template, in the order they are written. */
export const SOAP = ['subjective', 'objective', 'assessment', 'plan'] as const;
export type SoapSection = (typeof SOAP)[number];

/** The longest section a note may hold (a long history is a few thousand characters). */
export const SECTION_MAX = 20_000;

/** Visual acuity as charted: Snellen in metres (6/9) or feet (20/30), or count fingers, hand motion, light perception, none. */
export const VISUAL_ACUITY_PATTERN = '^((6|20)/[0-9]{1,3}(\\.[0-9])?|CF|HM|PL|NPL)$';

/** The exam of one eye: each measure optional, within what an eye can show (else a typing error, refused with the field). */
export const EyeExam = Type.Object(
  {
    visualAcuity: Type.Optional(
      Type.String({ pattern: VISUAL_ACUITY_PATTERN, maxLength: 10, description: 'Snellen 6/9 or 20/30, or CF, HM, PL, NPL' }),
    ),
    sphere: Type.Optional(Decimal({ minimum: -30, maximum: 30, multipleOf: 0.25, description: 'refraction sphere, dioptres' })),
    cylinder: Type.Optional(
      Decimal({ minimum: -10, maximum: 10, multipleOf: 0.25, description: 'refraction cylinder, dioptres' }),
    ),
    axis: Type.Optional(Integer({ minimum: 0, maximum: 180, description: 'cylinder axis, degrees' })),
    iop: Type.Optional(Integer({ minimum: 0, maximum: 80, description: 'intraocular pressure, mmHg' })),
  },
  { additionalProperties: false },
);
export type EyeExam = Static<typeof EyeExam>;

export const EYES = ['right', 'left'] as const;
export type Eye = (typeof EYES)[number];
export const EYE_MEASURES = ['visualAcuity', 'sphere', 'cylinder', 'axis', 'iop'] as const;

const Section = Type.String({ maxLength: SECTION_MAX });

/**
 * What a note holds: the four SOAP sections, as typed (a draft keeps its spaces), and the
 * template's structured fields (`eyes` for ophthalmology).
 */
export const NoteSections = Type.Object(
  {
    subjective: Section,
    objective: Section,
    assessment: Section,
    plan: Section,
    eyes: Type.Optional(Type.Object({ right: EyeExam, left: EyeExam }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
export type NoteSections = Static<typeof NoteSections>;

export const emptySections = (): NoteSections => ({ subjective: '', objective: '', assessment: '', plan: '' });

// ------------------------------------------------------------------ diagnoses

/** An ICD-10-CM code as written, with its dot: E11.9, J18.9, A09, S52.501A. */
export const ICD10_PATTERN = '^[A-TV-Z][0-9][0-9AB](\\.[0-9A-TV-Z]{1,4})?$';

export const DIAGNOSIS_RANKS = ['primary', 'secondary'] as const;
export type DiagnosisRank = (typeof DIAGNOSIS_RANKS)[number];

export const DiagnosisInput = Type.Object(
  {
    code: Type.String({ pattern: ICD10_PATTERN, maxLength: 8, description: 'ICD-10-CM, with the dot: E11.9' }),
    /** kept when the terminology does not know the code */
    description: Type.Optional(Type.String({ maxLength: 250 })),
    rank: Type.Union(DIAGNOSIS_RANKS.map((r) => Type.Literal(r))),
  },
  { additionalProperties: false },
);
export type DiagnosisInput = Static<typeof DiagnosisInput>;

const Person = Type.Object({ id: Uuid, name: Type.String() });
export type Person = Static<typeof Person>;

export const Diagnosis = Type.Object({
  code: Type.String(),
  description: Type.String(),
  rank: Type.Union(DIAGNOSIS_RANKS.map((r) => Type.Literal(r))),
  addedBy: Person,
});
export type Diagnosis = Static<typeof Diagnosis>;

/** The most diagnoses one encounter may carry. */
export const MAX_DIAGNOSES = 12;

// ------------------------------------------------------------------ the note

export const NoteVersion = Integer({
  minimum: 0,
  maximum: INT32_MAX,
  description: 'the version the client last read; 0 when there is no note yet',
});

/** The autosave: the whole draft, with the version it was read at (a stale one answers 409 STALE_VERSION with the current note). */
export const NoteInput = Type.Object(
  {
    version: NoteVersion,
    template: TemplateIdSchema,
    sections: NoteSections,
    /** the part the patient sees in the portal once the note is signed */
    patientSummary: NullableText(4000),
    diagnoses: Type.Array(DiagnosisInput, { maxItems: MAX_DIAGNOSES }),
  },
  { additionalProperties: false },
);
export type NoteInput = Static<typeof NoteInput>;

export const SignInput = Type.Object({ version: NoteVersion }, { additionalProperties: false });
export type SignInput = Static<typeof SignInput>;

export const AddendumInput = Type.Object({ text: RequiredText(8000) }, { additionalProperties: false });
export type AddendumInput = Static<typeof AddendumInput>;

export const Addendum = Type.Object({
  id: Uuid,
  text: Type.String(),
  author: Person,
  createdAt: Type.String({ format: 'date-time' }),
});
export type Addendum = Static<typeof Addendum>;

export const NOTE_STATUSES = ['draft', 'signed'] as const;
export type NoteStatus = (typeof NOTE_STATUSES)[number];

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const Note = Type.Object({
  id: Uuid,
  encounterId: Uuid,
  patientId: Uuid,
  clinicId: Uuid,
  template: TemplateIdSchema,
  sections: NoteSections,
  patientSummary: Nullable(Type.String()),
  diagnoses: Type.Array(Diagnosis),
  author: Person,
  status: Type.Union(NOTE_STATUSES.map((s) => Type.Literal(s))),
  version: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  signedAt: Nullable(Type.String({ format: 'date-time' })),
  signedBy: Nullable(Person),
  addenda: Type.Array(Addendum),
});
export type Note = Static<typeof Note>;

/** The encounter a note belongs to, as the consultation page needs it. */
export const EncounterBrief = Type.Object({
  id: Uuid,
  patientId: Uuid,
  clinicId: Uuid,
  type: Type.String(),
  status: Type.String(),
  reason: Nullable(Type.String()),
  startedAt: Type.String({ format: 'date-time' }),
  endedAt: Nullable(Type.String({ format: 'date-time' })),
  practitionerName: Nullable(Type.String()),
});
export type EncounterBrief = Static<typeof EncounterBrief>;

export const EncounterNote = Type.Object({
  encounter: EncounterBrief,
  /** null until the first save */
  note: Nullable(Note),
  /** the template a new note starts from: the practitioner's specialty's, else general */
  defaultTemplate: TemplateIdSchema,
});
export type EncounterNote = Static<typeof EncounterNote>;

// ------------------------------------------------------------------ history

export const REVISION_KINDS = ['draft', 'signed', 'addendum'] as const;
export type RevisionKind = (typeof REVISION_KINDS)[number];

/** One entry of a note's history: a draft as it stood (kept every few minutes), the signed text, an addendum. */
export const Revision = Type.Object({
  id: Uuid,
  kind: Type.Union(REVISION_KINDS.map((k) => Type.Literal(k))),
  at: Type.String({ format: 'date-time' }),
  by: Person,
  template: Nullable(TemplateIdSchema),
  sections: Nullable(NoteSections),
  patientSummary: Nullable(Type.String()),
  diagnoses: Nullable(Type.Array(Type.Object({ code: Type.String(), description: Type.String(), rank: Type.String() }))),
  /** the addendum's text */
  text: Nullable(Type.String()),
});
export type Revision = Static<typeof Revision>;

export const NoteHistory = Type.Object({ data: Type.Array(Revision) });
export type NoteHistory = Static<typeof NoteHistory>;

// ------------------------------------------------------------------ a patient's notes

export const NoteSummary = Type.Object({
  id: Uuid,
  encounterId: Uuid,
  template: TemplateIdSchema,
  status: Type.Union(NOTE_STATUSES.map((s) => Type.Literal(s))),
  author: Person,
  createdAt: Type.String({ format: 'date-time' }),
  signedAt: Nullable(Type.String({ format: 'date-time' })),
  encounterStartedAt: Type.String({ format: 'date-time' }),
  diagnoses: Type.Array(Type.Object({ code: Type.String(), description: Type.String(), rank: Type.String() })),
  /** the start of the assessment, to recognise the note in a list */
  excerpt: Type.String(),
  addenda: Type.Integer(),
});
export type NoteSummary = Static<typeof NoteSummary>;

export const NoteList = Type.Object({ data: Type.Array(NoteSummary), nextCursor: Nullable(Type.String()) });
export type NoteList = Static<typeof NoteList>;

export const NoteListQuery = Type.Object(
  {
    limit: Type.Optional(Integer({ minimum: 1, maximum: 100, default: 20 })),
    cursor: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);
export type NoteListQuery = Static<typeof NoteListQuery>;

export const EncounterIdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
export const PatientIdParams = Type.Object({ patientId: Uuid }, { additionalProperties: false });

// ------------------------------------------------------------------ text shortcuts

/** Shortcuts the editor expands itself from the chart (a custom shortcut cannot take these names). */
export const BUILT_IN_SHORTCUTS = ['.vitals', '.allergies'] as const;

/** `.ros`: a dot, then lower-case letters, digits, - or _ (what is typed before space or Tab). */
export const SHORTCUT_NAME_PATTERN = '^\\.[a-z0-9][a-z0-9_-]{0,30}$';

export const ShortcutInput = Type.Object(
  {
    name: Type.String({ pattern: SHORTCUT_NAME_PATTERN, maxLength: 32, description: 'a dot and a word: .ros' }),
    text: RequiredText(4000),
  },
  { additionalProperties: false },
);
export type ShortcutInput = Static<typeof ShortcutInput>;

export const Shortcut = Type.Object({
  id: Uuid,
  name: Type.String(),
  text: Type.String(),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type Shortcut = Static<typeof Shortcut>;

export const ShortcutList = Type.Object({ data: Type.Array(Shortcut) });
