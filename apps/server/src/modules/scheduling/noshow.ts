import { DateTime } from 'luxon';

/**
 * No-show risk of a booking: a logistic score over four factors with fixed coefficients.
 *
 * The coefficients are not fitted on this installation's data (a new clinic has none); they
 * encode what outpatient no-show studies consistently report: a patient's own history dominates,
 * appointments booked far ahead are missed more often, and first and last hours of the day and the
 * start of the week do slightly worse. Being fixed, the score is explainable: each factor's
 * contribution to the log-odds is returned with it.
 *
 *   logit = INTERCEPT + HISTORY × (smoothed past rate − PRIOR_RATE) + LEAD × ln(1 + lead days)
 *           + weekday weight + hour weight
 */
export const NOSHOW_MODEL = {
  intercept: -2.2,
  /** population no-show rate the patient's history is shrunk towards */
  priorRate: 0.12,
  /** pseudo-visits of the prior: with 2, one missed visit of one is 0.37, not 1.0 */
  priorWeight: 2,
  history: 5,
  lead: 0.3,
  /** ISO weekday (clinic local time) → weight; others 0 */
  weekday: { 1: 0.15, 5: 0.1, 6: 0.2 } as Record<number, number>,
  /** local hour → weight: early morning and late afternoon */
  hour: (h: number) => (h < 9 ? 0.2 : h >= 16 ? 0.25 : 0),
} as const;

export type NoShowFactorCode = 'past_no_shows' | 'lead_time' | 'weekday' | 'hour_of_day';

export interface NoShowFactor {
  code: NoShowFactorCode;
  /** contribution to the log-odds: positive raises the risk */
  weight: number;
  /** past_no_shows: missed visits; lead_time: days ahead; weekday: ISO weekday; hour_of_day: local hour */
  value: number;
  /** past_no_shows only: past visits that counted (attended or missed) */
  total?: number;
}

export interface NoShowInput {
  /** past appointments the patient missed (no_show) */
  missed: number;
  /** past appointments that counted: completed, checked in, in progress or no_show */
  total: number;
  startsAt: Date;
  bookedAt: Date;
  timezone: string;
}

const round = (n: number, d = 3) => Math.round(n * 10 ** d) / 10 ** d;

/** The score (0–1) and the factors that made it, largest contribution first. */
export function noShowRisk(i: NoShowInput): { risk: number; factors: NoShowFactor[] } {
  const m = NOSHOW_MODEL;
  const missed = Math.max(0, i.missed);
  const total = Math.max(missed, i.total);
  const rate = (missed + m.priorRate * m.priorWeight) / (total + m.priorWeight);
  const leadDays = Math.max(0, (i.startsAt.getTime() - i.bookedAt.getTime()) / 86_400_000);
  const local = DateTime.fromJSDate(i.startsAt, { zone: i.timezone });
  const factors: NoShowFactor[] = [
    { code: 'past_no_shows', weight: round(m.history * (rate - m.priorRate)), value: missed, total },
    { code: 'lead_time', weight: round(m.lead * Math.log1p(leadDays)), value: Math.floor(leadDays) },
    { code: 'weekday', weight: m.weekday[local.weekday] ?? 0, value: local.weekday },
    { code: 'hour_of_day', weight: m.hour(local.hour), value: local.hour },
  ];
  const logit = m.intercept + factors.reduce((s, f) => s + f.weight, 0);
  const risk = round(1 / (1 + Math.exp(-logit)));
  return { risk, factors: factors.sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight)) };
}
