import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { DocumentContentType } from '@sanita/contracts/documents';
import type { Crypto } from '../../platform/crypto.ts';

/**
 * Envelope encryption of a document's bytes: a random 256-bit data key per file encrypts them with
 * AES-256-GCM (12-byte random IV, 16-byte tag, the document id as associated data, so a file moved
 * to another row does not decrypt); the data key is wrapped by the platform's field encryption
 * (AES-256-GCM under a key HKDF-derived from the master key, also bound to the document id). The
 * row keeps the wrapped key, the IV and the tag; the file holds the ciphertext only.
 */
export interface Sealed {
  ciphertext: Buffer;
  wrappedKey: string;
  iv: Buffer;
  authTag: Buffer;
}

const aad = (documentId: string) => Buffer.from(`sanita:document:${documentId}`);

export function seal(keys: Crypto, documentId: string, plain: Buffer): Sealed {
  const dataKey = crypto.randomBytes(32);
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', dataKey, iv);
  cipher.setAAD(aad(documentId));
  const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
  const wrappedKey = keys.encrypt(dataKey.toString('base64'), `document-key:${documentId}`);
  dataKey.fill(0);
  return { ciphertext, wrappedKey, iv, authTag: cipher.getAuthTag() };
}

/** The error of a document that cannot be decrypted: a wrong master key, an altered file or row. */
export class UnreadableDocument extends Error {
  constructor(reason: string) {
    super(`document cannot be decrypted: ${reason}`);
  }
}

/** The plaintext, authenticated; throws `UnreadableDocument`, never returns altered or garbled bytes. */
export function open(keys: Crypto, documentId: string, s: Omit<Sealed, 'ciphertext'>, ciphertext: Buffer): Buffer {
  let dataKey: Buffer;
  try {
    dataKey = Buffer.from(keys.decrypt(s.wrappedKey, `document-key:${documentId}`), 'base64');
  } catch {
    throw new UnreadableDocument('the data key does not unwrap (another master key?)');
  }
  try {
    const decipher = crypto.createDecipheriv('aes-256-gcm', dataKey, s.iv);
    decipher.setAAD(aad(documentId));
    decipher.setAuthTag(s.authTag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    throw new UnreadableDocument('the file does not authenticate');
  } finally {
    dataKey.fill(0);
  }
}

export const sha256Hex = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

// ------------------------------------------------------------------ what the bytes are

/**
 * The type of a file from its first bytes (magic numbers), among the three accepted; null for
 * anything else (a renamed executable, a ZIP, an HTML page…), whatever its name or declared type.
 * A PDF must also end like one (`%%EOF` near the end), so that a PDF header glued on another file
 * is not enough.
 */
export function sniff(b: Buffer): DocumentContentType | null {
  if (b.length >= 8 && b.subarray(0, 5).toString('latin1') === '%PDF-') {
    const tail = b.subarray(Math.max(0, b.length - 1024)).toString('latin1');
    return tail.includes('%%EOF') ? 'application/pdf' : null;
  }
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  return null;
}

/**
 * A name fit for a Content-Disposition: the last path segment, without control characters,
 * quotes, backslashes or slashes, at most 150 characters; `document` when nothing is left.
 */
export function cleanFilename(name: string | undefined): string {
  const last = (name ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = last
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f"<>:|?*;]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '')
    .slice(0, 150);
  return cleaned || 'document';
}

// ------------------------------------------------------------------ the files

/** Files under one directory, named by the server (`<2 hex>/<uuid>.bin`), never by the uploader. */
export class DocumentFiles {
  constructor(readonly dir: string) {}

  static keyFor(documentId: string): string {
    if (!/^[0-9a-f-]{36}$/.test(documentId)) throw new Error('not a document id');
    return `${documentId.slice(0, 2)}/${documentId}.bin`;
  }

  private pathOf(key: string): string {
    const full = path.resolve(this.dir, key);
    if (!full.startsWith(path.resolve(this.dir) + path.sep)) throw new Error('storage key outside the documents directory');
    return full;
  }

  /** Writes the file whole or not at all (a temporary file renamed into place), fsynced. */
  async write(key: string, bytes: Buffer): Promise<void> {
    const target = this.pathOf(key);
    await fs.promises.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    const tmp = `${target}.${crypto.randomBytes(6).toString('hex')}.tmp`;
    const fh = await fs.promises.open(tmp, 'wx', 0o600);
    try {
      await fh.writeFile(bytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.promises.rename(tmp, target);
  }

  read(key: string): Promise<Buffer> {
    return fs.promises.readFile(this.pathOf(key));
  }

  exists(key: string): boolean {
    return fs.existsSync(this.pathOf(key));
  }

  async remove(key: string): Promise<void> {
    await fs.promises.rm(this.pathOf(key), { force: true });
  }
}
