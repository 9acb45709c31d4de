import { hash, verify, type Options } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';
import type { FieldIssue } from '../errors.ts';

const common = new Set((dictionary as { passwords: string[] }).passwords.map((p) => p.toLowerCase()));

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hashed: string, password: string): Promise<boolean>;
  /** spends the same time as a real verification, for unknown accounts */
  dummyVerify(password: string): Promise<void>;
}

/** argon2id with OWASP's minimum parameters by default (19 MiB, t=2, p=1). */
export function createPasswordHasher(memoryKib: number): PasswordHasher {
  // 2 = Argon2id (a const enum in the typings, which isolated modules cannot import)
  const opts: Options = { algorithm: 2, memoryCost: memoryKib, timeCost: 2, parallelism: 1 };
  let dummy: Promise<string> | null = null;
  return {
    hash: (password) => hash(password, opts),
    verify: async (hashed, password) => {
      try {
        return await verify(hashed, password);
      } catch {
        return false;
      }
    },
    dummyVerify: async (password) => {
      dummy ??= hash('sanita-timing-equaliser', opts);
      await verify(await dummy, password).catch(() => false);
    },
  };
}

/** Policy: 8–128 characters, not in the bundled list of common passwords, not the email. */
export function passwordProblems(password: string, field = 'password', email?: string): FieldIssue[] {
  if (password.length < 8) return [{ field, message: 'must be at least 8 characters' }];
  if (password.length > 128) return [{ field, message: 'must be at most 128 characters' }];
  const lower = password.toLowerCase();
  if (common.has(lower) || /^(.)\1+$/.test(password))
    return [{ field, message: 'is too common; choose a password that is not on lists of leaked passwords' }];
  if (email && lower === email.toLowerCase()) return [{ field, message: 'must not be your email address' }];
  return [];
}
