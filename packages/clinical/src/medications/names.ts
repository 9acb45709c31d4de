// How drug names are compared: lower case, without accents, punctuation as spaces ("Co-Amoxiclav" and
// "co amoxiclav" are the same words), so that a chart written by hand matches the knowledge.
import { SYNONYMS } from './knowledge.ts';

/** Lower case, accents and punctuation removed, single spaces. */
export function normalizeName(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[’`]/g, "'")
    .replace(/[^a-z0-9']+/g, ' ')
    .trim();
}

const SALTS =
  /\b(hydrochloride|hydrobromide|phosphate|besylate|fumarate|mesylate|maleate|tartrate|citrate|acetate|sodium|potassium)$/;

/**
 * The ingredient keys of a generic name as the formulary writes it ("Amoxicillin + Clavulanic acid",
 * "Codeine phosphate"): synonyms first, then common salts stripped.
 */
export function ingredientKeys(genericName: string): string[] {
  const keys: string[] = [];
  for (const part of genericName.split(/\s\+\s/)) {
    const raw = part
      .toLowerCase()
      .replace(/[’`]/g, "'")
      .replace(/\s+(powder for.*|intravitreal|rectal|transdermal|oral concentrate)$/, '')
      .trim();
    if (!raw) continue;
    const synonym = SYNONYMS[raw];
    if (synonym) {
      keys.push(...synonym.split(' + '));
      continue;
    }
    const stripped = raw.replace(SALTS, '').trim();
    keys.push(SYNONYMS[stripped] ?? (stripped || raw));
  }
  return [...new Set(keys)];
}
