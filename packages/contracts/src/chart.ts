// The clinical chart. First slice: vitals with their NEWS2 score (Royal College of Physicians, 2017).
import { Type, type Static } from '@sinclair/typebox';
import { Decimal, Integer, IsoDateTime, OptionalText, Uuid } from './common.ts';

export const permissions = ['chart:read', 'chart:write'] as const;

export const errorCodes = [] as const;

/** Level of consciousness, ACVPU: alert, new confusion, responds to voice, to pain, unresponsive. */
export const CONSCIOUSNESS = ['A', 'C', 'V', 'P', 'U'] as const;
export type Consciousness = (typeof CONSCIOUSNESS)[number];

/**
 * One set of vitals as a nurse or doctor records it: every measure optional, each within what a
 * living patient can plausibly show (a value outside is a typing error, refused with the field).
 * NEWS2 is computed when the seven parameters it needs are all present.
 */
export const VitalsInput = Type.Object(
  {
    systolic: Type.Optional(Integer({ minimum: 40, maximum: 300, description: 'systolic blood pressure, mmHg' })),
    diastolic: Type.Optional(Integer({ minimum: 20, maximum: 200, description: 'diastolic blood pressure, mmHg' })),
    heartRate: Type.Optional(Integer({ minimum: 20, maximum: 300, description: 'pulse, beats per minute' })),
    respiratoryRate: Type.Optional(Integer({ minimum: 3, maximum: 80, description: 'breaths per minute' })),
    temperature: Type.Optional(Decimal({ minimum: 25, maximum: 45, description: '°C' })),
    spo2: Type.Optional(Integer({ minimum: 40, maximum: 100, description: 'oxygen saturation, %' })),
    onOxygen: Type.Optional(Type.Boolean({ description: 'breathing supplemental oxygen when SpO2 was measured' })),
    /** NEWS2 SpO2 scale 2 is for patients with a prescribed target of 88–92 % (hypercapnic respiratory failure) */
    spo2Scale: Type.Optional(Type.Union([Type.Literal(1), Type.Literal(2)], { default: 1 })),
    consciousness: Type.Optional(Type.Union(CONSCIOUSNESS.map((c) => Type.Literal(c)))),
    weightKg: Type.Optional(Decimal({ minimum: 0.3, maximum: 500, description: 'kg' })),
    heightCm: Type.Optional(Decimal({ minimum: 20, maximum: 260, description: 'cm' })),
    pain: Type.Optional(Integer({ minimum: 0, maximum: 10, description: 'pain score 0–10' })),
    glucose: Type.Optional(Decimal({ minimum: 0.5, maximum: 60, description: 'blood glucose, mmol/L' })),
    note: Type.Optional(OptionalText(500)),
    /** when the measures were taken (defaults to now; not in the future) */
    takenAt: Type.Optional(IsoDateTime),
  },
  { additionalProperties: false },
);
export type VitalsInput = Static<typeof VitalsInput>;

export const NEWS2_PARAMETERS = [
  'respiratoryRate',
  'spo2',
  'airOrOxygen',
  'systolic',
  'heartRate',
  'consciousness',
  'temperature',
] as const;
export type News2Parameter = (typeof NEWS2_PARAMETERS)[number];

/** NEWS2 clinical risk: low (0–4), low–medium (3 in one parameter), medium (5–6), high (7 or more). */
export const NEWS2_RISKS = ['low', 'low_medium', 'medium', 'high'] as const;
export type News2Risk = (typeof NEWS2_RISKS)[number];

export const News2 = Type.Object({
  total: Type.Integer(),
  scale: Type.Union([Type.Literal(1), Type.Literal(2)]),
  scores: Type.Object(
    Object.fromEntries(NEWS2_PARAMETERS.map((p) => [p, Type.Integer()])) as Record<
      News2Parameter,
      ReturnType<typeof Type.Integer>
    >,
  ),
  risk: Type.Union(NEWS2_RISKS.map((r) => Type.Literal(r))),
  /** a total of 5 or more, or 3 in any one parameter: the clinical team must respond */
  alert: Type.Boolean(),
});
export type News2 = Static<typeof News2>;

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const Vitals = Type.Object({
  id: Uuid,
  patientId: Uuid,
  clinicId: Uuid,
  takenAt: Type.String({ format: 'date-time' }),
  recordedAt: Type.String({ format: 'date-time' }),
  recordedBy: Type.Object({ id: Uuid, name: Type.String() }),
  systolic: Nullable(Type.Integer()),
  diastolic: Nullable(Type.Integer()),
  heartRate: Nullable(Type.Integer()),
  respiratoryRate: Nullable(Type.Integer()),
  temperature: Nullable(Type.Number()),
  spo2: Nullable(Type.Integer()),
  onOxygen: Nullable(Type.Boolean()),
  spo2Scale: Type.Union([Type.Literal(1), Type.Literal(2)]),
  consciousness: Nullable(Type.Union(CONSCIOUSNESS.map((c) => Type.Literal(c)))),
  weightKg: Nullable(Type.Number()),
  heightCm: Nullable(Type.Number()),
  /** weight / height², one decimal, when both are known */
  bmi: Nullable(Type.Number()),
  pain: Nullable(Type.Integer()),
  glucose: Nullable(Type.Number()),
  note: Nullable(Type.String()),
  /** null when the set lacks one of the seven NEWS2 parameters */
  news2: Nullable(News2),
});
export type Vitals = Static<typeof Vitals>;

export const VitalsList = Type.Object({ data: Type.Array(Vitals), nextCursor: Nullable(Type.String()) });

export const VitalsQuery = Type.Object(
  {
    limit: Type.Optional(Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);
export type VitalsQuery = Static<typeof VitalsQuery>;

export const PatientIdParams = Type.Object({ patientId: Uuid }, { additionalProperties: false });

/** Realtime events of the chart: identifiers and scores, never names. */
export interface Events {
  /** a set of vitals was recorded at a clinic (news2 null when incomplete) */
  'vitals.recorded': { vitalsId: string; patientId: string; clinicId: string; news2: number | null; alert: boolean };
}
export const events = ['vitals.recorded'] as const satisfies readonly (keyof Events)[];
