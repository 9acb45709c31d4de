import { sql, type SQL } from 'drizzle-orm';
import type { CvxCode, Icd10Code } from '@sanita/contracts/terminology';
import type { Db, Executor } from '../../platform/db/database.ts';
import * as repo from './terminology.repository.ts';
import { dotted } from './terminology.load.ts';

export const DEFAULT_LIMIT = 20;
const MAX_WORDS = 8;

/** Lower case, without accents ('Diabète' → 'diabete'): the descriptions are ASCII English. */
export const fold = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .trim();

/** 'e11.9', 'E119', ' E11.9 ' → 'E11.9'; null when it cannot be an ICD-10-CM code. */
export function canonicalIcd10(code: string): string | null {
  const key = code.replace(/[\s.]/g, '').toUpperCase();
  return /^[A-Z][0-9A-Z]{2,6}$/.test(key) ? dotted(key) : null;
}

/** The query as a code prefix ('E11', 'e11.9', 'E119', 'QA0' → the key without the dot), or null for words. */
export function codePrefixOf(q: string): string | null {
  const t = q.trim();
  if (!/^[a-z][0-9a-z]{1,2}(\.?[0-9a-z]{0,4})$/i.test(t) || !/[0-9]/.test(t)) return null;
  return t.replace('.', '').toUpperCase();
}

/** Words that say nothing of a diagnosis, dropped ('fracture of femur' is 'fracture femur'). */
const FILLERS = new Set(['a', 'an', 'and', 'by', 'de', 'du', 'for', 'in', 'of', 'on', 'or', 'the', 'to']);

/** The typed words: letters and digits, accents dropped, without fillers, at most eight. */
export function wordsOfQuery(q: string): string[] {
  const words = fold(q)
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  // fillers alone ('of') would list most of the code set: nothing to search
  return words.filter((w) => !FILLERS.has(w)).slice(0, MAX_WORDS);
}

/**
 * A typed word as a lexeme prefix: a plural finds the singular too ('fractures' → 'fracture:*',
 * 'injuries' → 'injur:*'); a number other than the last word, and a single character, must match
 * exactly ('type 2 …' is not 'type 20').
 */
function term(word: string, last: boolean): string {
  // one letter or digit as a prefix would match most of the code set
  if (word.length === 1) return word;
  if (/^[0-9]+$/.test(word)) return last ? `${word}:*` : word;
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}:*`;
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return `${word.slice(0, -1)}:*`;
  return `${word}:*`;
}

/** Every word (any of its alternatives) must be found; the words are [a-z0-9] only, safe in tsquery syntax. */
function tsquery(alternatives: string[][]): SQL {
  const text = alternatives
    .map((alts, i) => `(${alts.map((w) => term(w, i === alternatives.length - 1)).join(' | ')})`)
    .join(' & ');
  return sql`to_tsquery('simple', ${text})`;
}

const toIcd10 = (r: repo.Icd10Row): Icd10Code => ({ code: r.code, description: r.description, billable: r.billable });
const toCvx = (r: repo.CvxRow): CvxCode => ({
  code: r.code,
  shortDescription: r.shortDescription,
  fullName: r.fullName,
  status: r.status,
  nonvaccine: r.nonvaccine,
});

/**
 * The code sets (ICD-10-CM FY2026, CVX) other modules name things with. Not patient data: nothing
 * here is audited. The tables are loaded at start-up (terminology.load.ts) and only read here.
 */
export class TerminologyService {
  constructor(private readonly db: Db) {}

  /**
   * The ICD-10-CM codes among `codes` (any case, with or without the dot), keyed by the code with
   * its dot ('E11.9'); codes that do not exist are absent from the map. Headers are included
   * (billable false): a caller that needs a billable code checks it. A caller inside a transaction
   * passes it as `db`: a second pool connection per request would deadlock the pool under load.
   */
  async findIcd10(codes: string[], db: Executor = this.db): Promise<Map<string, Icd10Code>> {
    const wanted = [...new Set(codes.map(canonicalIcd10).filter((c): c is string => c !== null))];
    const rows = await repo.icd10ByCodes(db, wanted);
    return new Map(rows.map((r) => [r.code, toIcd10(r)]));
  }

  /**
   * Search by code prefix ('E11', 'e11.9', 'E119') or by words in any order ('diabetes type 2',
   * 'fracture fem'), the last word matched as a prefix. Ranked: the exact code, then billable codes,
   * then shorter codes and descriptions. When no code holds every word, the words are tried again
   * with the vocabulary words that look like them (a typo: 'diabetis').
   */
  async searchIcd10(q: string, opts: { limit?: number; billableOnly?: boolean } = {}): Promise<Icd10Code[]> {
    const limit = opts.limit ?? DEFAULT_LIMIT;
    const billableOnly = opts.billableOnly ?? false;
    const found: repo.Icd10Row[] = [];
    const prefix = codePrefixOf(q);
    if (prefix) found.push(...(await repo.icd10ByCodePrefix(this.db, prefix, limit, billableOnly)));
    if (found.length >= limit) return found.map(toIcd10);
    const words = wordsOfQuery(q);
    if (!words.length) return found.map(toIcd10);
    const seen = found.map((r) => r.code);
    let rows = await repo.icd10ByWords(this.db, tsquery(words.map((w) => [w])), limit - found.length, billableOnly, seen);
    if (!rows.length && !found.length) {
      const similar = await repo.similarWords(this.db, words, 3);
      const alternatives = words.map((w, i) => (similar[i]?.length ? [w, ...similar[i]] : [w]));
      if (alternatives.some((a) => a.length > 1))
        rows = await repo.icd10ByWords(this.db, tsquery(alternatives), limit, billableOnly);
    }
    return [...found, ...rows].map(toIcd10);
  }

  /** The CVX codes among `codes` (e.g. '03' or '3' for MMR), keyed by CDC's code; unknown codes are absent (`db` as for findIcd10). */
  async findCvx(codes: string[], db: Executor = this.db): Promise<Map<string, CvxCode>> {
    const wanted = [...new Set(codes.map((c) => c.trim()).filter((c) => /^[0-9]{1,4}$/.test(c)))];
    // CDC writes the codes below 10 with a leading zero ('03'); accept '3' too
    const variants = [...new Set(wanted.flatMap((c) => [c, c.padStart(2, '0')]))];
    const rows = await repo.cvxByCodes(db, variants);
    return new Map(rows.map((r) => [r.code, toCvx(r)]));
  }

  /** CVX search by code or by words of the names, in any order; without a query, the active vaccines. */
  async searchCvx(q: string | undefined, opts: { limit?: number } = {}): Promise<CvxCode[]> {
    const limit = opts.limit ?? DEFAULT_LIMIT;
    const text = (q ?? '').trim();
    const code = /^[0-9]{1,4}$/.test(text) ? text.padStart(2, '0') : null;
    const rows = await repo.searchCvx(this.db, code, wordsOfQuery(text), limit);
    return rows.map(toCvx);
  }
}
