import type * as jose from 'jose';
import crypto from 'node:crypto';
import type pg from 'pg';
import type { Crypto } from '../crypto.ts';

const ALG = 'EdDSA';
const ROTATE_AFTER_MS = 30 * 24 * 3600 * 1000;
/** a retired key stays published long enough for every token it signed to expire */
const KEEP_RETIRED_MS = 24 * 3600 * 1000;

interface LoadedKey {
  kid: string;
  publicJwk: jose.JWK;
  publicKey: crypto.KeyObject;
  privateKey: crypto.KeyObject | null;
  createdAt: Date;
  retiredAt: Date | null;
}

/**
 * Ed25519 signing keys, stored in the database (private halves encrypted) so that every API node
 * signs and verifies with the same set. The newest key signs; retired keys verify until their
 * tokens have expired; unknown `kid`s trigger at most one reload per 10 s (another node rotated).
 */
export class KeyStore {
  private keys = new Map<string, LoadedKey>();
  private active: LoadedKey | null = null;
  private lastReload = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly crypto: Crypto,
  ) {}

  /** Loads the keys, creating or rotating the signing key when needed. */
  async init(): Promise<void> {
    await this.reload();
    if (!this.active || Date.now() - this.active.createdAt.getTime() > ROTATE_AFTER_MS) await this.rotate();
  }

  /** Creates a new signing key and retires the previous one. */
  async rotate(): Promise<void> {
    const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
    const publicJwk = publicKey.export({ format: 'jwk' }) as jose.JWK;
    const kid = crypto.randomUUID();
    const privatePem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock(7263003)');
      const fresh = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM signing_keys WHERE retired_at IS NULL AND created_at > now() - $1 * interval '1 millisecond'`,
        [ROTATE_AFTER_MS],
      );
      if (!fresh.rows[0]?.n) {
        await client.query('UPDATE signing_keys SET retired_at = now() WHERE retired_at IS NULL');
        await client.query('INSERT INTO signing_keys (kid, alg, public_jwk, private_jwk_enc) VALUES ($1, $2, $3, $4)', [
          kid,
          ALG,
          { ...publicJwk, kid, alg: ALG, use: 'sig' },
          this.crypto.encrypt(privatePem, `signing-key:${kid}`),
        ]);
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
    await this.reload();
  }

  private async reload(): Promise<void> {
    this.lastReload = Date.now();
    const { rows } = await this.pool.query<{
      kid: string;
      public_jwk: jose.JWK;
      private_jwk_enc: string;
      created_at: Date;
      retired_at: Date | null;
    }>(
      `SELECT kid, public_jwk, private_jwk_enc, created_at, retired_at FROM signing_keys
        WHERE retired_at IS NULL OR retired_at > now() - $1 * interval '1 millisecond' ORDER BY created_at`,
      [KEEP_RETIRED_MS],
    );
    const keys = new Map<string, LoadedKey>();
    let active: LoadedKey | null = null;
    for (const r of rows) {
      const k: LoadedKey = {
        kid: r.kid,
        publicJwk: r.public_jwk,
        publicKey: crypto.createPublicKey({ key: r.public_jwk as crypto.JsonWebKey, format: 'jwk' }),
        privateKey: r.retired_at ? null : crypto.createPrivateKey(this.crypto.decrypt(r.private_jwk_enc, `signing-key:${r.kid}`)),
        createdAt: r.created_at,
        retiredAt: r.retired_at,
      };
      keys.set(k.kid, k);
      if (!k.retiredAt) active = k;
    }
    this.keys = keys;
    this.active = active;
  }

  /** The public keys, as served at /.well-known/jwks.json. */
  jwks(): { keys: jose.JWK[] } {
    return { keys: [...this.keys.values()].map((k) => k.publicJwk) };
  }

  signingKey(): { kid: string; alg: string; key: crypto.KeyObject } {
    if (!this.active?.privateKey) throw new Error('no signing key loaded');
    return { kid: this.active.kid, alg: ALG, key: this.active.privateKey };
  }

  /** The verification key for `kid`, reloading once if another node may have rotated. */
  async publicKey(kid: string | undefined): Promise<crypto.KeyObject | null> {
    if (!kid) return null;
    let k = this.keys.get(kid);
    if (!k && Date.now() - this.lastReload > 10_000) {
      await this.reload();
      k = this.keys.get(kid);
    }
    return k?.publicKey ?? null;
  }

  /** Signs an arbitrary message (audit chain heads) with the active key. */
  sign(message: string): Promise<{ kid: string; signature: string }> {
    const { kid, key } = this.signingKey();
    return Promise.resolve({ kid, signature: crypto.sign(null, Buffer.from(message), key).toString('base64url') });
  }

  async verify(message: string, kid: string, signature: string): Promise<boolean> {
    const key = this.keys.get(kid)?.publicKey ?? (await this.historicKey(kid));
    return !!key && crypto.verify(null, Buffer.from(message), key, Buffer.from(signature, 'base64url'));
  }

  private async historicKey(kid: string): Promise<crypto.KeyObject | null> {
    const { rows } = await this.pool.query<{ public_jwk: jose.JWK }>('SELECT public_jwk FROM signing_keys WHERE kid = $1', [kid]);
    return rows[0] ? crypto.createPublicKey({ key: rows[0].public_jwk as crypto.JsonWebKey, format: 'jwk' }) : null;
  }
}
