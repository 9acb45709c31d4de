// Pure helpers of the claims screens: which invoice lines a plan covers (the server's rule, shown
// before the draft is built), which coverages are valid on a date, amounts as decimal text in the
// currency's minor units, and the plan rules' form values.
import { minorUnits } from '@sanita/contracts/billing';
import type { Coverage, PlanRules } from '@sanita/contracts/claims';

/** The decimals a NumberInput of this currency allows (CDF none, USD two). */
export const amountScale = (currency: string): number => minorUnits(currency);

/**
 * A NumberInput's value as the API's decimal text in the currency's minor units: 1500 CDF → "1500",
 * 12.5 USD → "12.50"; empty or not a number → null.
 */
export function amountText(value: number | string, currency: string): string | null {
  if (value === '' || value === null || value === undefined) return null;
  const n = typeof value === 'number' ? value : Number(String(value).replace(',', '.'));
  if (!Number.isFinite(n) || n < 0) return null;
  return n.toFixed(amountScale(currency));
}

export type LineCover = 'covered' | 'kind_not_covered' | 'code_excluded' | 'not_billable';

/** Whether a plan covers an invoice line (as the server decides: its kind is covered, its code not excluded, priced and above zero). */
export function lineCover(
  rules: Pick<PlanRules, 'coveredKinds' | 'excludedCodes'>,
  line: { kind: string; code: string; unitPrice: string | null; total: string },
): LineCover {
  if (line.unitPrice === null || !(Number(line.total) > 0)) return 'not_billable';
  if (!(rules.coveredKinds as readonly string[]).includes(line.kind)) return 'kind_not_covered';
  if (rules.excludedCodes.includes(line.code)) return 'code_excluded';
  return 'covered';
}

/** The coverages usable on a service date (active, started, not ended), the first priority first. */
export function coveragesOn(coverages: readonly Coverage[], serviceDate: string): Coverage[] {
  return coverages
    .filter((c) => c.active && c.validFrom <= serviceDate && (!c.validTo || c.validTo >= serviceDate))
    .sort((a, b) => a.priority - b.priority);
}

/** The earliest service date of the lines (the claim's service date), or null without lines. */
export function earliestServiceDate(lines: readonly { serviceDate: string }[]): string | null {
  return lines.map((l) => l.serviceDate).sort()[0] ?? null;
}

/**
 * A line's denial reason to show beside the line: none when it only repeats the decision note (the
 * server copies the note onto each line refused without a reason of its own; the note is shown once, with the notes).
 */
export function ownLineReason(reason: string | null, decisionNotes: readonly string[]): string | null {
  if (!reason) return null;
  return decisionNotes.includes(reason) ? null : reason;
}

// ------------------------------------------------------------------ plan rules as form values

export interface RulesForm {
  coveredKinds: PlanRules['coveredKinds'];
  /** one code a line, or separated by commas */
  excludedCodes: string;
  copay: number | string;
  coinsurancePercent: number | string;
  annualLimit: number | string;
  perClaimLimit: number | string;
  approvalThreshold: number | string;
}

export function rulesToForm(r: PlanRules): RulesForm {
  const n = (v: string | null) => (v === null ? '' : Number(v));
  return {
    coveredKinds: [...r.coveredKinds],
    excludedCodes: r.excludedCodes.join('\n'),
    copay: Number(r.copay),
    coinsurancePercent: Number(r.coinsurancePercent),
    annualLimit: n(r.annualLimit),
    perClaimLimit: n(r.perClaimLimit),
    approvalThreshold: n(r.approvalThreshold),
  };
}

/** The form's values as the API's rules; an empty limit is "no limit" (null). */
export function formToRules(f: RulesForm, currency: string): PlanRules {
  const codes = f.excludedCodes
    .split(/[\n,;]+/)
    .map((c) => c.trim())
    .filter(Boolean);
  const pct = f.coinsurancePercent === '' ? 0 : Number(f.coinsurancePercent);
  return {
    coveredKinds: f.coveredKinds,
    excludedCodes: [...new Set(codes)],
    copay: amountText(f.copay, currency) ?? '0',
    coinsurancePercent: Number.isFinite(pct) ? String(Math.round(pct * 1000) / 1000) : String(f.coinsurancePercent),
    annualLimit: amountText(f.annualLimit, currency),
    perClaimLimit: amountText(f.perClaimLimit, currency),
    approvalThreshold: amountText(f.approvalThreshold, currency),
  };
}

/** Money as the reader writes it, in the currency's minor units: "1,250.50 USD", "20 000 CDF". */
export function formatAmount(text: string | null, currency: string, language: string): string {
  if (text === null) return '—';
  const n = Number(text);
  if (!Number.isFinite(n)) return `${text} ${currency}`;
  const scale = amountScale(currency);
  const number = new Intl.NumberFormat(language, { minimumFractionDigits: scale, maximumFractionDigits: scale }).format(n);
  return `${number} ${currency}`;
}

/** The invoice statuses a claim is built from (the server refuses a draft or void one). */
export const CLAIMABLE_INVOICE_STATUSES: readonly string[] = ['issued', 'partially_paid', 'paid'];
