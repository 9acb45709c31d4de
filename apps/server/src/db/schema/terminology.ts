import { sql } from 'drizzle-orm';
import { boolean, customType, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/**
 * The ICD-10-CM code set (CDC/NCHS, FY2026: apps/server/reference/icd10cm), loaded by the owner at
 * start-up (modules/terminology/terminology.load.ts), read-only for the serving role. Headers
 * (categories such as E11) are kept, marked not billable, so a chosen header can be named.
 */
export const icd10Codes = pgTable(
  'icd10_codes',
  {
    /** with the dot after the third character, as displayed: 'E11.9' */
    code: text('code').primaryKey(),
    /** without the dot, upper case: 'E119' (code-prefix search) */
    codeKey: text('code_key').notNull(),
    /** CDC's order number: the tabular order */
    orderNo: integer('order_no').notNull(),
    /** valid for claims (a leaf code), not a header */
    billable: boolean('billable').notNull(),
    shortDescription: text('short_description').notNull(),
    description: text('description').notNull(),
    /** the words of both descriptions, lower case (word search, each typed word as a prefix) */
    search: tsvector('search').notNull(),
    /** false for a code a later release dropped (kept: records may name it; not offered any more) */
    active: boolean('active').notNull().default(true),
  },
  (t) => [index('icd10_codes_key').on(sql`${t.codeKey} text_pattern_ops`), index('icd10_codes_search').using('gin', t.search)],
);

/**
 * The distinct words of the ICD-10-CM descriptions (about 20,000): a search that finds nothing is
 * tried again with the words that look like the ones typed (trigram similarity), which is cheap on
 * this vocabulary where a trigram index of every description would take seconds to build.
 */
export const icd10Words = pgTable('icd10_words', { word: text('word').primaryKey() }, (t) => [
  index('icd10_words_trgm').using('gin', sql`${t.word} gin_trgm_ops`),
]);

/** CDC's CVX vaccine codes (CDC/NCIRD: apps/server/reference/cvx), loaded like ICD-10-CM. */
export const cvxCodes = pgTable('cvx_codes', {
  code: text('code').primaryKey(),
  shortDescription: text('short_description').notNull(),
  fullName: text('full_name').notNull(),
  notes: text('notes'),
  /** CDC's status: Active, Inactive, Non-US, Never Active, Pending */
  status: text('status').notNull(),
  /** not a vaccine (e.g. an immune globulin, or 'no vaccine administered') */
  nonvaccine: boolean('nonvaccine').notNull(),
  /** CDC's last update of the row (YYYY/MM/DD as published) */
  updatedOn: text('updated_on'),
});

/** Which release of each reference set is loaded (the loader skips a set already at its version). */
export const terminologyReleases = pgTable('terminology_releases', {
  name: text('name').primaryKey(),
  /** the source file's SHA-256 */
  version: text('version').notNull(),
  rows: integer('rows').notNull(),
  loadedAt: timestamp('loaded_at', { withTimezone: true }).notNull().defaultNow(),
});
