import { describe, expect, it } from 'vitest';
import { destinationPhrase, spellCode } from './announcer.ts';

describe('spoken ticket calls', () => {
  it('spells a ticket code one character at a time, without the dash', () => {
    expect(spellCode('A-042')).toBe('A 0 4 2');
    expect(spellCode('LAB-107')).toBe('L A B 1 0 7');
  });

  it('says a bare room number with the word for room, in the display language', () => {
    expect(destinationPhrase('3', 'Consultation 1', 'room')).toBe('room 3');
    expect(destinationPhrase(' 12B ', 'Consultation 1', 'salle')).toBe('salle 12B');
  });

  it('says a named room as written, and the service point when there is no room', () => {
    expect(destinationPhrase('Salle 3', 'Consultation 1', 'salle')).toBe('Salle 3');
    expect(destinationPhrase(null, 'Laboratoire', 'salle')).toBe('Laboratoire');
  });
});
