/**
 * Where a validation issue of PUT /templates belongs: `templates.2.startTime` (or the JSON-pointer
 * spelling `/templates/2/startTime`) → row 2, field startTime; the row itself when no field is named.
 */
export function templateIssue(field: string): { row: number; field: string } | null {
  const match = /^\/?templates[./](\d+)(?:[./](\w+))?/.exec(field);
  if (!match) return null;
  return { row: Number(match[1]), field: match[2] ?? 'weekday' };
}
