// What the server refused in a dispense, at the line it named. A 400 names each field it refuses
// (`items/0/inventoryItemId`, with a machine code and params); a 409 (OVER_DISPENSE,
// SUBSTITUTION_NOT_ALLOWED, INSUFFICIENT_STOCK) names the line's field in its details. Both are said in
// the user's language from the code, never from the server's English message.
import type { TFunction } from 'i18next';
import { ApiError } from '../../../lib/api/errors.ts';
import { issueMessage, issuesByField } from '../../../lib/validation.ts';

/** The fields of a dispense line the dialog shows an error at; `line` is anything else about the line. */
export type LineField = 'quantity' | 'inventoryItemId' | 'substitutionReason' | 'line';

export interface LineIssues {
  /** per prescription item id, the message at each of its fields */
  byItem: Record<string, Partial<Record<LineField, string>>>;
  /** every issue found its line (false: the error is shown as a whole) */
  placed: boolean;
}

const FIELD = /^\/?items[./](\d+)(?:[./](\w+))?/;

/** A field's own sentence, where the generic one would not say what to do. */
function ownSentence(field: LineField, code: string | undefined, t: TFunction): string | undefined {
  if (field === 'inventoryItemId' && code === 'invalid') return t('dispense.issues.product');
  if (field === 'inventoryItemId' && code === 'required') return t('dispense.issues.productRequired');
  if (field === 'line' && code === 'invalid') return t('dispense.issues.notOnPrescription');
  if (field === 'line' && code === 'uniqueItems') return t('dispense.issues.twice');
  return undefined;
}

/**
 * The server's refusal of a dispense as messages per line: `sent` is the prescription item ids in the
 * order they were sent (the server names a line by that index); `sentence` is the error's own sentence
 * (`errorMessage`), said at the line a 409 names.
 */
export function lineIssues(err: unknown, sent: readonly string[], t: TFunction, sentence: string): LineIssues {
  const byItem: LineIssues['byItem'] = {};
  if (!(err instanceof ApiError)) return { byItem, placed: false };
  const issues = issuesByField(err.fieldIssues);
  if (issues.length === 0) return { byItem, placed: false };
  // a 409 has one sentence for its code; a 400 says each field's issue
  const conflict = err.status === 409;
  let placed = true;
  for (const issue of issues) {
    const m = FIELD.exec(issue.field);
    const itemId = m ? sent[Number(m[1])] : undefined;
    if (!m || !itemId) {
      placed = false;
      continue;
    }
    const name = m[2];
    const field: LineField = name === 'quantity' || name === 'inventoryItemId' || name === 'substitutionReason' ? name : 'line';
    const message = conflict ? sentence : (ownSentence(field, issue.code, t) ?? issueMessage(issue, t));
    const line = (byItem[itemId] ??= {});
    line[field] ??= message;
  }
  return { byItem, placed };
}
