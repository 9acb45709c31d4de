import { describe, expect, it } from 'vitest';

// i18n.ts sets the page's lang attribute: give it the little of a document it touches (tests run in Node)
(globalThis as { document?: unknown }).document ??= { documentElement: {} };
const { ApiError } = await import('../lib/api/errors.ts');
const { errorMessage } = await import('../lib/errors.ts');
const { i18n, registerStrings } = await import('../lib/i18n/i18n.ts');

// Every feature's strings, registered as the router registers them.
const featureStrings = import.meta.glob<{ en: object; fr: object }>('../features/*/i18n.ts', { eager: true });
for (const [path, strings] of Object.entries(featureStrings)) registerStrings(path.split('/')[2]!, strings);

describe('error sentences', () => {
  it('finds a domain’s code in its feature’s strings, whichever feature shows it, in both languages', () => {
    const err = new ApiError(409, 'QUEUE_EMPTY', 'No patient is waiting');
    expect(errorMessage(err, i18n.getFixedT('en', 'patients'))).toBe('Nobody is waiting here.');
    expect(errorMessage(err, i18n.getFixedT('fr', 'scheduling'))).toBe('Personne n’attend ici.');
  });

  it('finds a shared code in the shared strings and never shows the server’s English message', () => {
    const err = new ApiError(403, 'FORBIDDEN', 'You do not have permission to do this');
    expect(errorMessage(err, i18n.getFixedT('fr', 'queue'))).not.toContain('permission to do this');
    expect(errorMessage(err, i18n.getFixedT('fr', 'queue'))).toMatch(/\S/);
  });
});
