import { describe, expect, it } from 'vitest';
import { templateIssue } from './fieldPaths.ts';

describe('template field paths from the API', () => {
  it('places a dotted path on its row and field', () => {
    expect(templateIssue('templates.1.endTime')).toEqual({ row: 1, field: 'endTime' });
  });
  it('accepts the JSON-pointer spelling', () => {
    expect(templateIssue('/templates/12/slotMinutes')).toEqual({ row: 12, field: 'slotMinutes' });
  });
  it('puts an issue about a whole row on its first field', () => {
    expect(templateIssue('templates.3')).toEqual({ row: 3, field: 'weekday' });
  });
  it('leaves other fields alone', () => {
    expect(templateIssue('clinicId')).toBeNull();
    expect(templateIssue('templatesX.1')).toBeNull();
  });
});
