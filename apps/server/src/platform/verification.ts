import crypto from 'node:crypto';

/**
 * Documents the product prints with a verification code (letters, prescriptions…) are checked by one
 * public route, `GET /api/verify/:code`, which asks each module's source in turn (a manifest's
 * `verify`). A source answers only what anyone holding the code may learn — whether the document is
 * genuine, its kind, when it was issued and by which clinic — never whom it is about.
 */
export interface VerifiedDocument {
  /** genuine; revoked (a letter issued in error); cancelled (a prescription cancelled after signing) */
  status: 'genuine' | 'revoked' | 'cancelled';
  /** what the document is: a letter's kind, `prescription`… (the web names it) */
  kind: string;
  issuedAt: string;
  clinic: string;
}

export interface VerificationSource {
  /** the document holding this code (normalised: 12 upper-case characters, no dashes), or null */
  verify(code: string): Promise<VerifiedDocument | null>;
}

/** Crockford base32: no I, L, O, U, so that a code read aloud or retyped is not mistaken. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A document's verification code: 12 characters, 60 random bits — unguessable, short enough to type from paper. */
export function newVerificationCode(): string {
  return Array.from(crypto.randomBytes(12), (b) => ALPHABET[b & 31]).join('');
}

/** A typed code as stored: dashes removed, upper case, the look-alike letters read as the digits they stand for. */
export const normaliseCode = (code: string) => code.replace(/-/g, '').toUpperCase().replace(/[IL]/g, '1').replace(/O/g, '0');

/** `7KQ4M2XD9PHT` as printed: `7KQ4-M2XD-9PHT`. */
export const printedCode = (code: string) => code.match(/.{1,4}/g)!.join('-');
