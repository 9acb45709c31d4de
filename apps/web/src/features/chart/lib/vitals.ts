// Pure helpers of the vitals panel: the form's values to the contract's body, and how values read.
import type { Consciousness, News2Risk, VitalsInput } from '@sanita/contracts/chart';

/** A number field as Mantine's NumberInput holds it: '' when empty. */
export type NumberField = number | '';

export interface VitalsFormValues {
  systolic: NumberField;
  diastolic: NumberField;
  heartRate: NumberField;
  respiratoryRate: NumberField;
  temperature: NumberField;
  spo2: NumberField;
  onOxygen: boolean;
  spo2Scale: '1' | '2';
  consciousness: Consciousness | '';
  weightKg: NumberField;
  heightCm: NumberField;
  pain: NumberField;
  glucose: NumberField;
  note: string;
}

export const EMPTY_VITALS: VitalsFormValues = {
  systolic: '',
  diastolic: '',
  heartRate: '',
  respiratoryRate: '',
  temperature: '',
  spo2: '',
  onOxygen: false,
  spo2Scale: '1',
  consciousness: '',
  weightKg: '',
  heightCm: '',
  pain: '',
  glucose: '',
  note: '',
};

const NUMBER_FIELDS = [
  'systolic',
  'diastolic',
  'heartRate',
  'respiratoryRate',
  'temperature',
  'spo2',
  'weightKg',
  'heightCm',
  'pain',
  'glucose',
] as const;

/**
 * The body to send: only what was entered. Oxygen and the SpO2 scale qualify a saturation, so they
 * are sent with one (or when oxygen is on: that alone is worth recording).
 */
export function vitalsBody(values: VitalsFormValues): VitalsInput {
  const body: VitalsInput = {};
  for (const field of NUMBER_FIELDS) {
    const value = values[field];
    if (typeof value === 'number' && Number.isFinite(value)) body[field] = value;
  }
  if (body.spo2 !== undefined || values.onOxygen) body.onOxygen = values.onOxygen;
  if (body.spo2 !== undefined && values.spo2Scale === '2') body.spo2Scale = 2;
  if (values.consciousness) body.consciousness = values.consciousness;
  const note = values.note.trim();
  if (note) body.note = note;
  return body;
}

/** Whether the body holds at least one measure (a note or oxygen alone is not a set of vitals). */
export function hasMeasure(body: VitalsInput): boolean {
  return NUMBER_FIELDS.some((f) => body[f] !== undefined) || body.consciousness !== undefined;
}

/** Body mass index, one decimal, when weight (kg) and height (cm) are both known and plausible. */
export function bmiOf(weightKg: number | null | undefined, heightCm: number | null | undefined): number | null {
  if (!weightKg || !heightCm || weightKg <= 0 || heightCm <= 0) return null;
  const metres = heightCm / 100;
  return Math.round((weightKg / (metres * metres)) * 10) / 10;
}

/** Blood pressure as charts write it: 120/80; a missing half shows as a dash. */
export function formatBp(systolic: number | null | undefined, diastolic: number | null | undefined): string {
  if (systolic == null && diastolic == null) return '—';
  return `${systolic ?? '—'}/${diastolic ?? '—'}`;
}

/** The colour of a NEWS2 risk band (text always says the band too: never colour alone). */
export const RISK_COLOR: Record<News2Risk, string> = {
  low: 'teal.9',
  low_medium: 'yellow',
  medium: 'orange',
  high: 'red',
};
