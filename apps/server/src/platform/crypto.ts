import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Field and key encryption with AES-256-GCM under keys derived (HKDF) from one master key, and
 * keyed hashes (HMAC-SHA256) for looking up encrypted values without decrypting them.
 */
export class Crypto {
  private readonly encKey: Buffer;
  private readonly indexKey: Buffer;

  constructor(masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error('master key must be 32 bytes');
    this.encKey = Buffer.from(crypto.hkdfSync('sha256', masterKey, Buffer.alloc(0), 'sanita:field-encryption:v1', 32));
    this.indexKey = Buffer.from(crypto.hkdfSync('sha256', masterKey, Buffer.alloc(0), 'sanita:blind-index:v1', 32));
  }

  /** Encrypts `plain` to `v1.<iv>.<tag>.<ciphertext>` (base64url parts). `aad` binds it to its owner. */
  encrypt(plain: string, aad = ''): string {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.encKey, iv);
    cipher.setAAD(Buffer.from(aad));
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
  }

  /** Decrypts what `encrypt` produced with the same `aad`; throws if it was altered. */
  decrypt(token: string, aad = ''): string {
    const [v, iv, tag, ct] = token.split('.');
    if (v !== 'v1' || !iv || !tag || ct === undefined) throw new Error('unknown ciphertext format');
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.encKey, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** Deterministic keyed hash for equality search over an encrypted field. */
  blindIndex(value: string, domain: string): string {
    return crypto.createHmac('sha256', this.indexKey).update(`${domain}:${value}`).digest('base64url');
  }
}

/** SHA-256 of a token, hex; tokens are stored only as hashes. */
export function sha256(value: string): string {
  return crypto.createHash('sha256').update(value).digest('hex');
}

/** A URL-safe random token with `bytes` bytes of entropy. */
export function randomToken(bytes = 32): string {
  return crypto.randomBytes(bytes).toString('base64url');
}

/**
 * Returns the master key from `SANITA_MASTER_KEY` (base64 or base64url, 32 bytes) or, for a local
 * install, from `<dataDir>/master.key`, creating it with mode 0600 on first start.
 */
export function loadMasterKey(configured: string | undefined, dataDir: string): Buffer {
  if (configured) {
    const key = Buffer.from(configured, configured.includes('-') || configured.includes('_') ? 'base64url' : 'base64');
    if (key.length !== 32) throw new Error('SANITA_MASTER_KEY must decode to 32 bytes');
    return key;
  }
  const file = path.join(dataDir, 'master.key');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, crypto.randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  }
  return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
}
