/**
 * Where a validation issue of PUT /templates belongs: `templates.2.startTime` (or the JSON-pointer
 * spelling `/templates/2/startTime`) → row 2, field startTime; the row itself when no field is named.
 */
export function templateIssue(field: string): { row: number; field: string } | null {
  const [list, index, name] = field.startsWith('/') ? field.slice(1).split('/') : field.split('.');
  const row = Number(index);
  if (list !== 'templates' || !index || !Number.isInteger(row) || row < 0) return null;
  return { row, field: name || 'weekday' };
}
