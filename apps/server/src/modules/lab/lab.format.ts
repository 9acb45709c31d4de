import { rangeText } from '@sanita/clinical/lab/ranges';
import type { CodedAnswer, ReferenceRange } from '@sanita/contracts/lab';

/** A result's value as people read it: the number with the test's decimals, a coded answer's label, the text. */
export function valueText(
  r: {
    valueNumeric: string | number | null;
    valueCode: string | null;
    valueText: string | null;
    decimals: number;
    answers?: CodedAnswer[];
  },
  language: 'en' | 'fr' = 'en',
): string {
  if (r.valueNumeric !== null && r.valueNumeric !== undefined) return Number(r.valueNumeric).toFixed(r.decimals);
  if (r.valueCode !== null) {
    const a = r.answers?.find((x) => x.code === r.valueCode);
    return a ? a[language] : r.valueCode;
  }
  return r.valueText ?? '';
}

/** The range as text with the test's decimals; a coded test's normal answers by their labels in `language` when given. */
export function rangeOf(
  range: ReferenceRange | null,
  decimals: number,
  labels?: { answers: CodedAnswer[]; language: 'en' | 'fr' },
): string | null {
  if (labels && range && range.low === null && range.high === null && range.normalCodes?.length)
    return range.normalCodes.map((c) => labels.answers.find((a) => a.code === c)?.[labels.language] ?? c).join(', ');
  return rangeText(range, (n) => n.toFixed(decimals));
}
