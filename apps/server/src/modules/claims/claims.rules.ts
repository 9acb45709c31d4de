import type { PlanRules } from '@sanita/contracts/claims';
import { allocate, money, moneyText, roundTo, sum, type Money } from '../../platform/money.ts';

/**
 * What a payer owes on a claim under a plan's rules, exactly in decimal: the covered lines' total,
 * less the co-pay (once per claim), less the patient's co-insurance share of the rest, capped by the
 * per-claim limit and by what is left of the member's annual limit; then spread over the lines in
 * proportion to their totals, rounded to the currency so that the lines add up to the claim.
 */
export function payerShare(
  lines: readonly { total: string }[],
  rules: PlanRules,
  currency: string,
  remainingAnnual: Money | null,
): { claimed: string; lines: string[]; gross: string; copay: string; coinsurance: string; capped: string | null } {
  const gross = sum(lines.map((l) => l.total));
  const copay = Money_min(money(rules.copay), gross);
  const afterCopay = gross.minus(copay);
  const coinsurance = roundTo(afterCopay.times(rules.coinsurancePercent).dividedBy(100), currency);
  let payer = afterCopay.minus(coinsurance);
  let capped: string | null = null;
  if (rules.perClaimLimit !== null && payer.greaterThan(rules.perClaimLimit)) {
    payer = money(rules.perClaimLimit);
    capped = 'per_claim_limit';
  }
  if (remainingAnnual !== null && payer.greaterThan(remainingAnnual)) {
    payer = remainingAnnual.isNegative() ? money(0) : remainingAnnual;
    capped = 'annual_limit';
  }
  const total = roundTo(payer, currency);
  const parts = allocate(
    total,
    lines.map((l) => l.total),
    currency,
  );
  return {
    claimed: moneyText(total, currency),
    lines: parts.map((p) => moneyText(p, currency)),
    gross: moneyText(gross, currency),
    copay: moneyText(copay, currency),
    coinsurance: moneyText(coinsurance, currency),
    capped,
  };
}

function Money_min(a: Money, b: Money): Money {
  return a.lessThan(b) ? a : b;
}

/** Whether the plan covers a line: its kind is covered and its code is not excluded. */
export const covers = (rules: PlanRules, line: { kind: string; code: string }): boolean =>
  (rules.coveredKinds as readonly string[]).includes(line.kind) && !rules.excludedCodes.includes(line.code);
