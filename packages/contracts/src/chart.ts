// The clinical chart. First slice: vitals with their NEWS2 score (Royal College of Physicians, 2017).
import { Type, type Static } from '@sinclair/typebox';
import { Decimal, Integer, IsoDateTime, OptionalText, Uuid } from './common.ts';

export const permissions = ['chart:read', 'chart:write'] as const;

export const errorCodes = ['ALERT_ALREADY_ACKNOWLEDGED'] as const;

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

// ------------------------------------------------------------------ NEWS2 alerts

/** What raised an alert: a total of 5 or more, or (below 5) a score of 3 in one parameter. */
export const NEWS2_ALERT_TRIGGERS = ['total', 'single_parameter'] as const;
export type News2AlertTrigger = (typeof NEWS2_ALERT_TRIGGERS)[number];
export const NEWS2_ALERT_STATUSES = ['open', 'acknowledged'] as const;
export type News2AlertStatus = (typeof NEWS2_ALERT_STATUSES)[number];
/** Escalation stops after this many levels (each e-mails the clinic's doctors again). */
export const NEWS2_MAX_ESCALATION = 3;
/** Minutes an alert may stay open before it escalates, when the clinic has not said otherwise. */
export const NEWS2_DEFAULT_ESCALATION_MINUTES = 15;

/**
 * A NEWS2 alert: raised with the set of vitals that scored it, open until a nurse or doctor
 * acknowledges it; while open it escalates every `escalationMinutes` of its clinic.
 */
export const News2Alert = Type.Object({
  id: Uuid,
  clinicId: Uuid,
  patientId: Uuid,
  vitalsId: Uuid,
  total: Type.Integer(),
  risk: Type.Union(NEWS2_RISKS.map((r) => Type.Literal(r))),
  trigger: Type.Union(NEWS2_ALERT_TRIGGERS.map((r) => Type.Literal(r))),
  raisedAt: Type.String({ format: 'date-time' }),
  status: Type.Union(NEWS2_ALERT_STATUSES.map((r) => Type.Literal(r))),
  acknowledgedBy: Nullable(Type.Object({ id: Uuid, name: Type.String() })),
  acknowledgedAt: Nullable(Type.String({ format: 'date-time' })),
  note: Nullable(Type.String()),
  /** 0 until the first escalation */
  escalationLevel: Type.Integer(),
  escalatedAt: Nullable(Type.String({ format: 'date-time' })),
  /** in the clinic's list: who the alert is about (the list is audited as a read of each patient) */
  patient: Type.Optional(Type.Object({ id: Uuid, name: Type.String(), mrn: Type.String() })),
});
export type News2Alert = Static<typeof News2Alert>;

export const News2AlertList = Type.Object({ data: Type.Array(News2Alert) });

export const News2AlertsQuery = Type.Object(
  {
    status: Type.Optional(
      Type.Union(
        NEWS2_ALERT_STATUSES.map((s) => Type.Literal(s)),
        { default: 'open' },
      ),
    ),
    limit: Type.Optional(Integer({ minimum: 1, maximum: 200, default: 100 })),
  },
  { additionalProperties: false },
);
export type News2AlertsQuery = Static<typeof News2AlertsQuery>;

export const PatientAlertsQuery = Type.Object(
  { status: Type.Optional(Type.Union(NEWS2_ALERT_STATUSES.map((s) => Type.Literal(s)))) },
  { additionalProperties: false },
);
export type PatientAlertsQuery = Static<typeof PatientAlertsQuery>;

export const AlertIdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

export const AcknowledgeAlertBody = Type.Object({ note: Type.Optional(OptionalText(500)) }, { additionalProperties: false });
export type AcknowledgeAlertBody = Static<typeof AcknowledgeAlertBody>;

/** A clinic's NEWS2 alert settings. */
export const News2Settings = Type.Object(
  {
    /** minutes an open alert waits before each escalation */
    escalationMinutes: Integer({ minimum: 1, maximum: 1440 }),
  },
  { additionalProperties: false },
);
export type News2Settings = Static<typeof News2Settings>;

/** Realtime events of the chart: identifiers and scores, never names. */
export interface Events {
  /** a set of vitals was recorded at a clinic (news2 null when incomplete) */
  'vitals.recorded': { vitalsId: string; patientId: string; clinicId: string; news2: number | null; alert: boolean };
  /** a recorded set raised a NEWS2 alert */
  'news2.alert.raised': {
    alertId: string;
    patientId: string;
    clinicId: string;
    vitalsId: string;
    total: number;
    risk: News2Risk;
  };
  /** an open alert was not acknowledged in time: its escalation level rose */
  'news2.alert.escalated': {
    alertId: string;
    patientId: string;
    clinicId: string;
    level: number;
    total: number;
    risk: News2Risk;
  };
  /** someone acknowledged an alert */
  'news2.alert.acknowledged': { alertId: string; patientId: string; clinicId: string };
}
export const events = [
  'vitals.recorded',
  'news2.alert.raised',
  'news2.alert.escalated',
  'news2.alert.acknowledged',
] as const satisfies readonly (keyof Events)[];
