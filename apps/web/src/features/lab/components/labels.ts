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
