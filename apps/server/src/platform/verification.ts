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
