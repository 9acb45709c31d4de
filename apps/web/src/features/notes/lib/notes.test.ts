import { describe, expect, it } from 'vitest';
import { diffWords } from './diff.ts';
import { applyExpansion, expansionAt } from './shortcuts.ts';

describe('diffWords', () => {
  it('marks the words added and removed, keeping the rest', () => {
    expect(diffWords('Fever for 3 days', 'Fever for 5 days, chills')).toEqual([
      { kind: 'same', text: 'Fever for ' },
      { kind: 'removed', text: '3' },
      { kind: 'added', text: '5' },
      { kind: 'same', text: ' ' },
      { kind: 'removed', text: 'days' },
      { kind: 'added', text: 'days, chills' },
    ]);
    // a line added after the last word leaves that word alone
    expect(diffWords('Plan: 3 days.', 'Plan: 3 days.\nDiagnoses: B54')).toEqual([
      { kind: 'same', text: 'Plan: 3 days.' },
      { kind: 'added', text: '\nDiagnoses: B54' },
    ]);
    expect(diffWords('', 'new')).toEqual([{ kind: 'added', text: 'new' }]);
    expect(diffWords('same', 'same')).toEqual([{ kind: 'same', text: 'same' }]);
  });
});

describe('text shortcuts', () => {
  const lookup = (name: string) => ({ '.ros': 'No fever.', '.vitals': 'BP 120/80' })[name];
  it('expands a known shortcut before the caret, at the start or after a space', () => {
    const e = expansionAt('Seen today .ros', 15, lookup);
    expect(e).toEqual({ start: 11, end: 15, text: 'No fever.' });
    expect(applyExpansion('Seen today .ros', e!)).toEqual({ value: 'Seen today No fever.', caret: 20 });
    expect(expansionAt('.vitals', 7, lookup)?.text).toBe('BP 120/80');
  });
  it('leaves unknown names, and dots inside words, alone', () => {
    expect(expansionAt('see .unknown', 12, lookup)).toBeNull();
    expect(expansionAt('e.g.ros', 7, lookup)).toBeNull();
    expect(expansionAt('.ros and more', 8, lookup)).toBeNull();
  });
});
