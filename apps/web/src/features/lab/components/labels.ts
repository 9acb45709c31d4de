// Names shown in the UI language: a test's French name where the catalogue has one.
export const isFrench = (language: string | undefined) => !!language?.startsWith('fr');

export function testName(test: { name: string; nameFr?: string | null }, language: string | undefined): string {
  return isFrench(language) && test.nameFr ? test.nameFr : test.name;
}

/** A coded answer's label in the UI language (the code itself when the test does not list it). */
export function answerLabel(
  answers: readonly { code: string; en: string; fr: string }[],
  code: string,
  language: string | undefined,
): string {
  const answer = answers.find((a) => a.code === code);
  if (!answer) return code;
  return isFrench(language) ? answer.fr : answer.en;
}

/** A name with its code after it, unless the name already says it: 'Potassium (K)', 'Full blood count (CBC) with differential'. */
export function withCode(name: string, code: string): string {
  return name.includes(`(${code})`) ? name : `${name} (${code})`;
}

/** A panel's members, the first few: 'WBC, RBC, HGB, HCT, MCV, MCH +13'. */
export function membersText(codes: readonly string[], shown = 6): string {
  return codes.length <= shown ? codes.join(', ') : `${codes.slice(0, shown).join(', ')} +${codes.length - shown}`;
}

/** A result's reference range as people read it: a coded test's normal answers by their labels, else the server's text. */
export function rangeLabel(
  result: { resultType: string; rangeText: string | null; range: { normalCodes?: string[] } | null },
  answers: readonly { code: string; en: string; fr: string }[],
  language: string | undefined,
): string {
  const codes = result.resultType === 'coded' ? result.range?.normalCodes : undefined;
  if (codes?.length) return codes.map((c) => answerLabel(answers, c, language)).join(', ');
  return result.rangeText ?? '—';
}

const SUPERSCRIPT: Record<string, string> = {
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
  '-': '⁻',
};

/**
 * A UCUM unit as people write it: 10*9/L → 10⁹/L, umol/L → µmol/L, [IU]/L → IU/L, {cells}/uL → cells/µL.
 * The UCUM code stays what the API and the catalogue editor use.
 */
export function unitLabel(unit: string | null | undefined): string {
  if (!unit) return '';
  return unit
    .replace(/10\*(-?\d+)/g, (_, p: string) => `10${[...p].map((c) => SUPERSCRIPT[c] ?? c).join('')}`)
    .replace(/(^|[/.\s(])u(?=(g|mol|L|IU|U|kat|m)\b)/g, '$1µ')
    .replace(/\[([^\]]+)\]/g, '$1')
    .replace(/\{([^}]+)\}/g, '$1');
}
