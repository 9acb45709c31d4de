/**
 * Medical record numbers: a clinic prefix, a zero-padded sequence and a Luhn mod-N check character
 * over the alphanumeric alphabet, so that a single mistyped character or an adjacent swap is caught
 * before a search runs.
 */
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const N = ALPHABET.length;

/** Computes the Luhn mod-36 check character of `body` (letters and digits, case-insensitive). */
export function mrnCheckChar(body: string): string {
  const s = body.toUpperCase();
  let factor = 2;
  let sum = 0;
  for (let i = s.length - 1; i >= 0; i--) {
    const code = ALPHABET.indexOf(s[i] as string);
    if (code < 0) throw new RangeError(`invalid MRN character: ${s[i]}`);
    let addend = factor * code;
    factor = factor === 2 ? 1 : 2;
    addend = Math.floor(addend / N) + (addend % N);
    sum += addend;
  }
  return ALPHABET[(N - (sum % N)) % N] as string;
}

/** Builds an MRN such as `KIN-0000123-7` from a clinic prefix and a sequence number. */
export function formatMrn(prefix: string, seq: number): string {
  const body = `${prefix.toUpperCase()}${String(seq).padStart(7, '0')}`;
  return `${prefix.toUpperCase()}-${String(seq).padStart(7, '0')}-${mrnCheckChar(body)}`;
}

/** Normalises user input (case, spaces, dashes) to the canonical `PFX-0000000-C` shape, or null. */
export function normalizeMrn(input: string): string | null {
  const compact = input.toUpperCase().replace(/[\s-]/g, '');
  const m = /^([A-Z]{2,5})(\d{7})([0-9A-Z])$/.exec(compact);
  if (!m) return null;
  return `${m[1]}-${m[2]}-${m[3]}`;
}

/** True when `mrn` has the canonical shape and its check character matches. */
export function isValidMrn(mrn: string): boolean {
  const norm = normalizeMrn(mrn);
  if (!norm) return false;
  const [prefix, seq, check] = norm.split('-') as [string, string, string];
  return mrnCheckChar(prefix + seq) === check;
}
