import * as jose from 'jose';
import type { KeyStore } from './keys.ts';

export const AUDIENCE = 'sanita-api';
const TYP = 'at+jwt';

export interface AccessClaims {
  sub: string;
  sid: string;
}

/** Issues and verifies access tokens: EdDSA JWTs with kid, typ=access, aud, short expiry. */
export class TokenService {
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
      return { sub: payload.sub, sid: payload.sid };
    } catch {
      return null;
    }
  }
}
