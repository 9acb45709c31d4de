import * as jose from 'jose';
import type { KeyStore } from './keys.ts';

export const AUDIENCE = 'sanita-api';
const TYP = 'at+jwt';

export interface AccessClaims {
  sub: string;
  sid: string;
}

/** How many verified tokens are remembered; one per active session is enough. */
const VERIFIED_MAX = 20_000;

/** Issues and verifies access tokens: EdDSA JWTs with kid, typ=access, aud, short expiry. */
export class TokenService {
  /**
   * Tokens whose signature and claims were already checked, until their expiry: a client sends
   * the same token on every request for its lifetime, and the signature cannot change. The key
   * that signed it is looked up again on each use, so a key that is no longer published stops
   * its tokens at once.
   */
  private readonly verified = new Map<string, { claims: AccessClaims; kid: string; expMs: number }>();

  constructor(
    private readonly keys: KeyStore,
    private readonly issuer: string,
    private readonly ttlSeconds: number,
  ) {}

  async issue(claims: AccessClaims): Promise<string> {
    const { kid, alg, key } = this.keys.signingKey();
    return new jose.SignJWT({ sid: claims.sid, typ: 'access' })
      .setProtectedHeader({ alg, kid, typ: TYP })
      .setSubject(claims.sub)
      .setIssuer(this.issuer)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${this.ttlSeconds}s`)
      .setJti(crypto.randomUUID())
      .sign(key);
  }

  /** Returns the claims of a valid access token, or null for anything else. */
  async verify(token: string): Promise<AccessClaims | null> {
    const known = this.verified.get(token);
    if (known) {
      if (known.expMs > Date.now() && (await this.keys.publicKey(known.kid))) return known.claims;
      this.verified.delete(token);
      return null;
    }
    try {
      const header = jose.decodeProtectedHeader(token);
      // keys come only from our own store: a token naming its own key source is an attack
      if (header.jku || header.jwk || header.x5u || header.x5c || header.crit) return null;
      if (header.alg !== 'EdDSA' || header.typ !== TYP) return null;
      const key = await this.keys.publicKey(header.kid);
      if (!key) return null;
      const { payload } = await jose.jwtVerify(token, key, {
        algorithms: ['EdDSA'],
        audience: AUDIENCE,
        issuer: this.issuer,
        typ: TYP,
        requiredClaims: ['sub', 'sid', 'exp', 'iat'],
      });
      if (payload.typ !== 'access' || typeof payload.sid !== 'string' || typeof payload.sub !== 'string') return null;
      const claims = { sub: payload.sub, sid: payload.sid };
      if (this.verified.size >= VERIFIED_MAX) this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(token, { claims, kid: header.kid!, expMs: payload.exp! * 1000 });
      return claims;
    } catch {
      return null;
    }
  }
}
