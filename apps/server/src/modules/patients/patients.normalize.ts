/** Lower case, accents removed, punctuation to spaces, single spaces: "Ngalula-Mbuyi  Éloïse" → "ngalula mbuyi eloise". */
export function normaliseName(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export function digitsOnly(s: string): string {
  return s.replace(/\D+/g, '');
}

/** The part of a phone number that is the same whether typed locally or with a country code. */
export function phoneKey(s: string): string {
  return digitsOnly(s).slice(-9);
}

export function normaliseNationalId(s: string): string {
  return s.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/** Parses YYYY-MM-DD or DD/MM/YYYY (as typed in the DRC and France) into an ISO date, or null. */
export function parseDate(s: string): string | null {
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  let iso: string | null = null;
  if (m) iso = `${m[1]}-${m[2]}-${m[3]}`;
  m = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(s);
  if (m) iso = `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  if (!iso) return null;
  const d = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso ? null : iso;
}
