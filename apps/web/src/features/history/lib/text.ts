import type { TFunction } from 'i18next';
import { isActiveAllergy, type Allergy, type AllergyList, type Problem } from '@sanita/contracts/history';

/**
 * What an allergy is to, in the reader's language: a common substance by its translated name, unless
 * the clinician named it more precisely (e.g. "Amoxicillin" under penicillins).
 */
export function substanceLabel(a: Pick<Allergy, 'substanceCode' | 'substance'>, t: TFunction): string {
  if (!a.substanceCode) return a.substance;
  const common = t(`history:allergies.substances.${a.substanceCode}`);
  const english = t(`history:allergies.substances.${a.substanceCode}`, { lng: 'en' });
  return a.substance === english || a.substance.toLowerCase() === common.toLowerCase() ? common : `${a.substance} (${common})`;
}

/** The allergies that count (active, not refuted nor entered in error), high criticality first. */
export const activeAllergies = (allergies: readonly Allergy[]): Allergy[] => allergies.filter(isActiveAllergy);

/** The problems that are the patient's current problem list. */
export const activeProblems = (problems: readonly Problem[]): Problem[] => problems.filter((p) => p.status === 'active');

/** A problem as one reads it: its description, and its ICD-10-CM code when coded. */
export const problemLabel = (p: Pick<Problem, 'code' | 'description'>): string =>
  p.code ? `${p.description} (${p.code})` : p.description;

/**
 * The allergies as one line for a note: "Allergies: Penicillins (severe, high criticality); Latex",
 * or that none are known, or that they were never recorded.
 */
export function allergyText(list: AllergyList | undefined, t: TFunction): string {
  const active = activeAllergies(list?.data ?? []);
  if (active.length) {
    const items = active.map((a) => {
      const details = [
        a.severity ? t(`history:allergies.severities.${a.severity}`).toLowerCase() : null,
        a.criticality === 'high' ? t('history:text.highCriticality') : null,
      ].filter(Boolean);
      return details.length ? `${substanceLabel(a, t)} (${details.join(', ')})` : substanceLabel(a, t);
    });
    return t('history:text.allergies', { list: items.join('; ') });
  }
  if (list?.noKnownAllergies) return t('history:text.noKnown');
  if (list?.data.length) return t('history:text.noneActive');
  return t('history:text.notRecorded');
}

/** The active problems as one line for a note: "Active problems: Essential hypertension (I10); …". */
export function problemText(problems: readonly Problem[] | undefined, t: TFunction): string {
  const active = activeProblems(problems ?? []);
  if (!active.length) return t('history:text.noProblems');
  return t('history:text.problems', { list: active.map(problemLabel).join('; ') });
}
