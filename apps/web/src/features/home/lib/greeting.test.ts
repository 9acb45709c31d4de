import { describe, expect, it } from 'vitest';
import { greetingName } from './greeting.ts';

describe('greetingName', () => {
  it('greets a doctor by title and family name, never by the bare title', () => {
    expect(greetingName('Dr Amani Mukendi')).toBe('Dr Mukendi');
    expect(greetingName('Dr. Jeanne Nkulu')).toBe('Dr. Nkulu');
    expect(greetingName('Pr Kabila')).toBe('Pr Kabila');
  });
  it('greets anyone else by the first name', () => {
    expect(greetingName('Grâce Nsimba')).toBe('Grâce');
    expect(greetingName('  Joseph  ')).toBe('Joseph');
    expect(greetingName('Dr')).toBe('Dr');
  });
});
