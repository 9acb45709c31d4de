import type pg from 'pg';
import { authenticator } from 'otplib';
import QRCode from 'qrcode';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { writeAudit, type AuditActor } from '../../platform/audit/audit.ts';
import type { Crypto } from '../../platform/crypto.ts';
import { randomToken, sha256 } from '../../platform/crypto.ts';
import { Conflict, Forbidden, Invalid, Unauthorized } from '../../platform/errors.ts';
import type { Mailer } from '../../platform/mail.ts';
import type { PasswordHasher } from '../../platform/auth/passwords.ts';
import { passwordProblems } from '../../platform/auth/passwords.ts';
import type { TokenService } from '../../platform/auth/tokens.ts';
import type { Principal } from '../../platform/access.ts';
import type { RequestOrigin } from '../../platform/auth/plugin.ts';
import * as repo from './auth.repository.ts';
import type { PrincipalCache } from './principal-cache.ts';
import { renderEmail } from './auth.emails.ts';

authenticator.options = { window: 1 };

const GENERIC_LOGIN_FAILURE = 'Invalid email or password, or the account is temporarily locked';

export interface LoginInput {
  email: string;
  password: string;
  totp?: string;
  recoveryCode?: string;
}

export interface IssuedSession {
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  userId: string;
  sessionId: string;
}

/** Creates the patient record of a self-registering patient; provided by the patients module. */
export type PatientRegistrar = (
  tx: Tx,
  actor: AuditActor,
  input: {
    givenName: string;
    familyName: string;
    birthDate: string;
    sex: 'female' | 'male' | 'other' | 'unknown';
    phone?: string;
    email: string;
    clinicId: string;
    preferredLanguage: string;
  },
) => Promise<{ id: string }>;

export interface AuthServiceDeps {
  db: Db;
  pool: pg.Pool;
  config: Config;
  hasher: PasswordHasher;
  tokens: TokenService;
  crypto: Crypto;
  mailer: Mailer;
  log: FastifyBaseLogger;
  /** the patients module (declared in the auth manifest): a self-registering patient gets a record */
  patients: { registerSelf: PatientRegistrar };
  /** authorisation rows of active sessions; whoever changes one drops it here after commit */
  principals: PrincipalCache;
}

export class AuthService {
  constructor(private readonly d: AuthServiceDeps) {}

  // ---------------------------------------------------------------- login, refresh, logout

  async login(input: LoginInput, actor: AuditActor): Promise<IssuedSession> {
    const { db, hasher } = this.d;
    const user = await repo.findUserByEmail(db, input.email.trim());
    if (!user || !user.active || !user.passwordHash) {
      await hasher.dummyVerify(input.password);
      await writeAudit(db, actor, {
        action: 'auth.login',
        outcome: 'failure',
        userId: user?.id ?? null,
        details: { reason: user ? 'inactive' : 'unknown_user', email: input.email.slice(0, 200) },
      });
      throw new Unauthorized(GENERIC_LOGIN_FAILURE, 'INVALID_CREDENTIALS');
    }
    const locked = !!user.lockedUntil && user.lockedUntil > new Date();
    const passwordOk = await hasher.verify(user.passwordHash, input.password);
    if (locked) {
      await writeAudit(db, actor, { action: 'auth.login', outcome: 'denied', userId: user.id, details: { reason: 'locked' } });
      throw new Unauthorized(GENERIC_LOGIN_FAILURE, 'INVALID_CREDENTIALS');
    }
    if (!passwordOk) {
      await this.countFailure(user.id, actor, 'bad_password');
      throw new Unauthorized(GENERIC_LOGIN_FAILURE, 'INVALID_CREDENTIALS');
    }
    if (!user.emailVerifiedAt) {
      await writeAudit(db, actor, {
        action: 'auth.login',
        outcome: 'denied',
        userId: user.id,
        details: { reason: 'email_not_verified' },
      });
      throw new Forbidden('Confirm your email address first: we sent you a link', 'EMAIL_NOT_VERIFIED');
    }
    let mfa = false;
    if (user.totpEnabledAt && user.totpSecretEnc) {
      if (!input.totp && !input.recoveryCode) {
        throw new Unauthorized('Enter the code from your authenticator app', 'MFA_REQUIRED');
      }
      const ok = input.totp
        ? await this.checkTotp(user.id, user.totpSecretEnc, input.totp, user.totpLastStep)
        : await repo.useRecoveryCode(db, user.id, sha256(normaliseRecoveryCode(input.recoveryCode ?? '')));
      if (!ok) {
        await this.countFailure(user.id, actor, input.totp ? 'bad_totp' : 'bad_recovery_code');
        throw new Unauthorized('The code is wrong or was already used', 'INVALID_MFA_CODE');
      }
      if (input.recoveryCode) await writeAudit(db, actor, { action: 'auth.recovery_code_used', userId: user.id });
      mfa = true;
    }
    return db.transaction(async (tx) => {
      await repo.clearFailedLogins(tx, user.id);
      const issued = await this.openSession(tx, user.id, actor, mfa);
      await writeAudit(tx, actor, { action: 'auth.login', userId: user.id, resourceType: 'session', details: { mfa } });
      return issued;
    });
  }

  private async countFailure(userId: string, actor: AuditActor, reason: string): Promise<void> {
    const { config } = this.d;
    await this.d.db.transaction(async (tx) => {
      const { locked } = await repo.recordFailedLogin(tx, userId, config.lockoutThreshold, config.lockoutMinutes);
      await writeAudit(tx, actor, { action: 'auth.login', outcome: 'failure', userId, details: { reason } });
      if (locked)
        await writeAudit(tx, actor, {
          action: 'auth.lockout',
          outcome: 'denied',
          userId,
          details: { minutes: config.lockoutMinutes },
        });
    });
  }

  /** RFC 6238 with one step of clock drift; a code (time step) is accepted once. */
  private async checkTotp(userId: string, secretEnc: string, code: string, lastStep: number | null): Promise<boolean> {
    const secret = this.d.crypto.decrypt(secretEnc, `totp:${userId}`);
    const delta = authenticator.checkDelta(code.replace(/\s/g, ''), secret);
    if (delta === null) return false;
    const step = Math.floor(Date.now() / 30_000) + delta;
    if (lastStep !== null && step <= lastStep) return false;
    await repo.updateUser(this.d.db, userId, { totpLastStep: step });
    return true;
  }

  private async openSession(tx: Tx, userId: string, actor: AuditActor, mfa: boolean): Promise<IssuedSession> {
    const { config, tokens } = this.d;
    const expiresAt = new Date(Date.now() + config.refreshTokenTtlDays * 86_400_000);
    const sessionId = await repo.createSession(tx, {
      userId,
      expiresAt,
      ip: actor.ip,
      userAgent: actor.userAgent?.slice(0, 300) ?? null,
      mfa,
    });
    const refreshToken = randomToken(32);
    await repo.insertRefreshToken(tx, sha256(refreshToken), sessionId, expiresAt);
    const accessToken = await tokens.issue({ sub: userId, sid: sessionId });
    return { accessToken, expiresIn: config.accessTokenTtlSeconds, refreshToken, userId, sessionId };
  }

  /**
   * Rotates a refresh token. A token that was already spent means it was copied: the whole session
   * (every token descended from the same login) is revoked.
   */
  async refresh(refreshToken: string, actor: AuditActor): Promise<IssuedSession> {
    const { db, tokens, config } = this.d;
    const hash = sha256(refreshToken);
    const outcome = await db.transaction(async (tx) => {
      const row = await repo.findRefreshTokenForUpdate(tx, hash);
      if (!row) return { error: 'unknown' as const };
      if (row.usedAt) {
        await repo.revokeSession(tx, row.sessionId, 'refresh_token_reuse');
        await writeAudit(tx, actor, {
          action: 'auth.refresh_reuse',
          outcome: 'denied',
          userId: row.userId,
          resourceType: 'session',
          resourceId: row.sessionId,
        });
        return { error: 'reuse' as const, sessionId: row.sessionId };
      }
      if (row.sessionRevokedAt || row.sessionExpiresAt <= new Date() || row.expiresAt <= new Date())
        return { error: 'expired' as const };
      const user = await repo.findUserById(tx, row.userId);
      if (!user?.active) return { error: 'inactive' as const };
      await repo.markRefreshTokenUsed(tx, hash);
      const next = randomToken(32);
      await repo.insertRefreshToken(tx, sha256(next), row.sessionId, row.sessionExpiresAt);
      await writeAudit(tx, actor, {
        action: 'auth.refresh',
        userId: row.userId,
        resourceType: 'session',
        resourceId: row.sessionId,
      });
      return { refreshToken: next, sessionId: row.sessionId, userId: row.userId };
    });
    if ('error' in outcome) {
      if (outcome.error === 'reuse') this.d.principals.forgetSession(outcome.sessionId);
      throw new Unauthorized('Your session has ended; sign in again', 'SESSION_ENDED');
    }
    const accessToken = await tokens.issue({ sub: outcome.userId, sid: outcome.sessionId });
    return {
      accessToken,
      expiresIn: config.accessTokenTtlSeconds,
      refreshToken: outcome.refreshToken,
      userId: outcome.userId,
      sessionId: outcome.sessionId,
    };
  }

  async logout(refreshToken: string | undefined, principal: Principal | null, actor: AuditActor): Promise<void> {
    const ended = await this.d.db.transaction(async (tx) => {
      let sessionId = principal?.sessionId;
      let userId = principal?.userId ?? null;
      if (!sessionId && refreshToken) {
        const row = await repo.findRefreshTokenForUpdate(tx, sha256(refreshToken));
        sessionId = row?.sessionId;
        userId = row?.userId ?? null;
      }
      if (!sessionId) return null;
      await repo.revokeSession(tx, sessionId, 'logout');
      await writeAudit(tx, actor, { action: 'auth.logout', userId, resourceType: 'session', resourceId: sessionId });
      return sessionId;
    });
    if (ended) this.d.principals.forgetSession(ended);
  }

  // ---------------------------------------------------------------- principal

  /**
   * The principal of a session: its user, their memberships and their roles' current permissions.
   * The row comes from the principal cache, which every change to those drops on every node, so
   * logout, deactivation and role changes apply at once.
   */
  async loadPrincipal(
    sessionId: string,
    userId: string,
    requestedClinic: string | undefined,
    origin?: RequestOrigin,
  ): Promise<Principal | null> {
    const row = await this.d.principals.get(sessionId, userId, async () => {
      const fresh = await repo.loadPrincipalRow(this.d.pool, sessionId, userId);
      if (fresh?.session_stale) {
        repo.touchSession(this.d.db, sessionId).catch((err: unknown) => this.d.log.warn({ err }, 'session touch failed'));
      }
      return fresh;
    });
    if (!row || !row.active || !row.session_ok || row.session_expires_at.getTime() <= Date.now()) return null;
    const clinics = [...new Set(row.memberships.map((m) => m.clinicId))];
    let clinicId = clinics[0] ?? null;
    if (requestedClinic) {
      if (!clinics.includes(requestedClinic)) {
        // a refused switch is an access attempt like any other: audited, with where it came from
        const actor = { userId: row.user_id, role: null, clinicId: null, ip: null, userAgent: null, requestId: null, ...origin };
        await writeAudit(this.d.db, actor, {
          action: 'access.clinic',
          outcome: 'denied',
          resourceType: 'clinic',
          resourceId: requestedClinic.slice(0, 100),
        });
        throw new Forbidden('You are not a member of that clinic', 'CLINIC_FORBIDDEN');
      }
      clinicId = requestedClinic;
    }
    const active = row.memberships.filter((m) => m.clinicId === clinicId);
    return {
      userId: row.user_id,
      sessionId,
      email: row.email,
      displayName: row.display_name,
      locale: row.locale,
      patientId: row.patient_id,
      mfaEnrolled: row.mfa_enrolled,
      clinicId,
      roles: active.map((m) => m.role),
      permissions: new Set(active.flatMap((m) => m.permissions)),
      memberships: row.memberships,
      mfaEnrollmentRequired: !row.mfa_enrolled && row.memberships.some((m) => m.requireMfa),
    };
  }

  // ---------------------------------------------------------------- accounts, for the admin module

  /** The account with this e-mail address (case-insensitive), if any. */
  findUserByEmail(email: string) {
    return repo.findUserByEmail(this.d.db, email);
  }

  /** Creates an account inside the caller's transaction. */
  createUser(tx: Tx, values: Parameters<typeof repo.insertUser>[1]) {
    return repo.insertUser(tx, values);
  }

  /** Changes an account's name, locale, state or lock inside the caller's transaction. */
  updateUser(
    tx: Tx,
    userId: string,
    values: { displayName?: string; locale?: string; active?: boolean; failedLogins?: number; lockedUntil?: Date | null },
  ) {
    return repo.updateUser(tx, userId, values);
  }

  /** Ends every session of a user (e.g. deactivated) inside the caller's transaction. */
  revokeUserSessions(tx: Tx, userId: string, reason: string) {
    return repo.revokeUserSessions(tx, userId, reason);
  }

  /** After another module changed a user's access (or, without a user, a role's): drop the cached principals. */
  forgetPrincipals(userId?: string): void {
    if (userId) this.d.principals.forgetUser(userId);
    else this.d.principals.forgetAll();
  }

  /** Principals held in memory, or -1 while the cache is bypassed (its listener is down). */
  principalCacheSize(): number {
    return this.d.principals.size;
  }

  /** Waits until changes committed elsewhere (another node, plain SQL) have reached this node's principal cache. */
  syncPrincipals(): Promise<void> {
    return this.d.principals.sync();
  }

  // ---------------------------------------------------------------- sessions

  listSessions(p: Principal) {
    return repo.listActiveSessions(this.d.db, p.userId);
  }

  async revokeSession(p: Principal, sessionId: string, actor: AuditActor): Promise<boolean> {
    return this.d.db
      .transaction(async (tx) => {
        const n = await repo.revokeSession(tx, sessionId, 'revoked_by_user', p.userId);
        if (n) await writeAudit(tx, actor, { action: 'auth.session_revoke', resourceType: 'session', resourceId: sessionId });
        return n > 0;
      })
      .finally(() => this.d.principals.forgetSession(sessionId));
  }

  async revokeOtherSessions(p: Principal, actor: AuditActor): Promise<number> {
    return this.d.db
      .transaction(async (tx) => {
        const n = await repo.revokeUserSessions(tx, p.userId, 'revoked_by_user', p.sessionId);
        await writeAudit(tx, actor, { action: 'auth.session_revoke_all', details: { count: n } });
        return n;
      })
      .finally(() => this.d.principals.forgetUser(p.userId));
  }

  // ---------------------------------------------------------------- passwords

  async changePassword(p: Principal, current: string, next: string, actor: AuditActor): Promise<void> {
    const { db, hasher } = this.d;
    const user = await repo.findUserById(db, p.userId);
    if (!user?.passwordHash || !(await hasher.verify(user.passwordHash, current))) {
      await writeAudit(db, actor, {
        action: 'auth.password_change',
        outcome: 'failure',
        details: { reason: 'bad_current_password' },
      });
      throw new Invalid([{ field: 'currentPassword', message: 'is not your current password' }]);
    }
    const problems = passwordProblems(next, 'newPassword', user.email);
    if (problems.length) throw new Invalid(problems);
    const passwordHash = await hasher.hash(next);
    await db.transaction(async (tx) => {
      await repo.updateUser(tx, p.userId, { passwordHash, passwordChangedAt: new Date() });
      const revoked = await repo.revokeUserSessions(tx, p.userId, 'password_changed', p.sessionId);
      await writeAudit(tx, actor, { action: 'auth.password_change', details: { otherSessionsRevoked: revoked } });
    });
    this.d.principals.forgetUser(p.userId);
  }

  /** Always answers the same way; mails a 30-minute single-use link when the account exists. */
  async requestPasswordReset(email: string, actor: AuditActor): Promise<void> {
    const { db } = this.d;
    const user = await repo.findUserByEmail(db, email.trim());
    if (!user?.active) {
      await writeAudit(db, actor, {
        action: 'auth.password_reset_request',
        outcome: 'failure',
        details: { reason: 'unknown_user' },
      });
      return;
    }
    const token = randomToken(32);
    await db.transaction(async (tx) => {
      await repo.createEmailToken(tx, user.id, 'reset', sha256(token), new Date(Date.now() + 30 * 60_000));
      await writeAudit(tx, actor, { action: 'auth.password_reset_request', userId: user.id });
    });
    this.mailLater(
      user.email,
      renderEmail('reset', user.locale, {
        url: `${this.d.config.publicUrl}/reset-password?token=${token}`,
        name: user.displayName,
        minutes: 30,
      }),
    );
  }

  async resetPassword(token: string, password: string, actor: AuditActor): Promise<void> {
    const { db, hasher } = this.d;
    const problems = passwordProblems(password);
    if (problems.length) throw new Invalid(problems);
    const passwordHash = await hasher.hash(password);
    const userId = await db.transaction(async (tx) => {
      const userId = await repo.consumeEmailToken(tx, sha256(token), 'reset');
      if (!userId) throw new Invalid([{ field: 'token', message: 'is invalid, used or expired; ask for a new link' }]);
      await repo.updateUser(tx, userId, {
        passwordHash,
        passwordChangedAt: new Date(),
        failedLogins: 0,
        lockedUntil: null,
        emailVerifiedAt: new Date(),
      });
      await repo.revokeUserSessions(tx, userId, 'password_reset');
      await writeAudit(tx, actor, { action: 'auth.password_reset', userId });
      return userId;
    });
    this.d.principals.forgetUser(userId);
  }

  private mailLater(to: string, msg: { subject: string; text: string }): void {
    // sent after the commit and off the request path, so that timing does not reveal accounts
    setImmediate(() => {
      this.d.mailer
        .send({ to, ...msg })
        .catch((err: unknown) => this.d.log.error({ err: { message: (err as Error).message } }, 'mail delivery failed'));
    });
  }

  // ---------------------------------------------------------------- two-factor

  async startTotpEnrollment(p: Principal, actor: AuditActor): Promise<{ secret: string; otpauthUrl: string; qrDataUrl: string }> {
    if (p.mfaEnrolled) throw new Conflict('Two-factor authentication is already on', 'MFA_ALREADY_ENABLED');
    const secret = authenticator.generateSecret(20);
    await this.d.db.transaction(async (tx) => {
      await repo.updateUser(tx, p.userId, {
        totpSecretEnc: this.d.crypto.encrypt(secret, `totp:${p.userId}`),
        totpEnabledAt: null,
      });
      await writeAudit(tx, actor, { action: 'auth.2fa_setup_started' });
    });
    this.d.principals.forgetUser(p.userId);
    const otpauthUrl = authenticator.keyuri(p.email, 'Sanita', secret);
    const qrDataUrl = await QRCode.toDataURL(otpauthUrl, { margin: 1, width: 220 });
    return { secret, otpauthUrl, qrDataUrl };
  }

  async confirmTotpEnrollment(p: Principal, code: string, actor: AuditActor): Promise<{ recoveryCodes: string[] }> {
    const { db } = this.d;
    const user = await repo.findUserById(db, p.userId);
    if (!user?.totpSecretEnc || user.totpEnabledAt) throw new Conflict('Start the set-up first', 'MFA_NOT_STARTED');
    if (!(await this.checkTotp(user.id, user.totpSecretEnc, code, null))) {
      await writeAudit(db, actor, { action: 'auth.2fa_enable', outcome: 'failure' });
      throw new Invalid([{ field: 'code', message: 'does not match; check the time on your phone and try the next code' }]);
    }
    const codes = Array.from({ length: 10 }, () => newRecoveryCode());
    await db.transaction(async (tx) => {
      await repo.updateUser(tx, p.userId, { totpEnabledAt: new Date() });
      await repo.replaceRecoveryCodes(
        tx,
        p.userId,
        codes.map((c) => sha256(normaliseRecoveryCode(c))),
      );
      await writeAudit(tx, actor, { action: 'auth.2fa_enable' });
    });
    this.d.principals.forgetUser(p.userId);
    return { recoveryCodes: codes };
  }

  async disableTotp(p: Principal, password: string, code: string, actor: AuditActor): Promise<void> {
    const { db, hasher } = this.d;
    const user = await repo.findUserById(db, p.userId);
    if (!user?.totpEnabledAt || !user.totpSecretEnc) throw new Conflict('Two-factor authentication is not on', 'MFA_NOT_ENABLED');
    if (await repo.roleRequiresMfa(db, await repo.membershipRoles(db, p.userId)))
      throw new Forbidden('Your role requires two-factor authentication', 'MFA_REQUIRED_BY_POLICY');
    if (!user.passwordHash || !(await hasher.verify(user.passwordHash, password)))
      throw new Invalid([{ field: 'password', message: 'is not your current password' }]);
    if (!(await this.checkTotp(user.id, user.totpSecretEnc, code, user.totpLastStep)))
      throw new Invalid([{ field: 'code', message: 'is wrong or was already used' }]);
    await db.transaction(async (tx) => {
      await repo.updateUser(tx, p.userId, { totpEnabledAt: null, totpSecretEnc: null, totpLastStep: null });
      await repo.replaceRecoveryCodes(tx, p.userId, []);
      await writeAudit(tx, actor, { action: 'auth.2fa_disable' });
    });
    this.d.principals.forgetUser(p.userId);
  }

  async recoveryCodesLeft(p: Principal): Promise<number> {
    return repo.countUnusedRecoveryCodes(this.d.db, p.userId);
  }

  // ---------------------------------------------------------------- registration and invitations

  /**
   * Patient self-registration. An address that already has an account gets a notice by email
   * instead, and the caller sees the same answer either way.
   */
  async registerPatient(
    input: {
      email: string;
      password: string;
      givenName: string;
      familyName: string;
      birthDate: string;
      sex: 'female' | 'male' | 'other' | 'unknown';
      phone?: string;
      clinicId: string;
      locale: 'en' | 'fr';
    },
    actor: AuditActor,
  ): Promise<void> {
    const { db, hasher, config } = this.d;
    const problems = passwordProblems(input.password, 'password', input.email);
    if (problems.length) throw new Invalid(problems);
    const existing = await repo.findUserByEmail(db, input.email.trim());
    if (existing) {
      await hasher.dummyVerify(input.password);
      await writeAudit(db, actor, {
        action: 'auth.register',
        outcome: 'failure',
        userId: existing.id,
        details: { reason: 'email_taken' },
      });
      this.mailLater(
        existing.email,
        renderEmail('alreadyRegistered', existing.locale, {
          url: `${config.publicUrl}/forgot-password`,
          name: existing.displayName,
        }),
      );
      return;
    }
    const passwordHash = await hasher.hash(input.password);
    const token = randomToken(32);
    const email = input.email.trim();
    const name = `${input.givenName} ${input.familyName}`;
    await db.transaction(async (tx) => {
      const patient = await this.d.patients.registerSelf(tx, actor, { ...input, email, preferredLanguage: input.locale });
      const user = await repo.insertUser(tx, {
        email,
        displayName: name,
        passwordHash,
        locale: input.locale,
        patientId: patient.id,
      });
      await repo.insertMemberships(tx, user.id, [{ clinicId: input.clinicId, roleId: 'patient' }]);
      await repo.createEmailToken(tx, user.id, 'verify', sha256(token), new Date(Date.now() + 3 * 86_400_000));
      await writeAudit(tx, actor, { action: 'auth.register', userId: user.id, patientId: patient.id });
    });
    this.mailLater(email, renderEmail('verify', input.locale, { url: `${config.publicUrl}/verify-email?token=${token}`, name }));
  }

  async verifyEmail(token: string, actor: AuditActor): Promise<void> {
    await this.d.db.transaction(async (tx) => {
      const userId = await repo.consumeEmailToken(tx, sha256(token), 'verify');
      if (!userId) throw new Invalid([{ field: 'token', message: 'is invalid, used or expired' }]);
      await repo.updateUser(tx, userId, { emailVerifiedAt: new Date() });
      await writeAudit(tx, actor, { action: 'auth.email_verified', userId });
    });
  }

  /** Sends a staff invitation for an account created by an administrator. */
  async sendInvitation(tx: Tx, user: { id: string; email: string; displayName: string; locale: string }): Promise<void> {
    const token = randomToken(32);
    await repo.createEmailToken(tx, user.id, 'invite', sha256(token), new Date(Date.now() + 7 * 86_400_000));
    this.mailLater(
      user.email,
      renderEmail('invite', user.locale, {
        url: `${this.d.config.publicUrl}/accept-invitation?token=${token}`,
        name: user.displayName,
      }),
    );
  }

  async acceptInvitation(token: string, password: string, actor: AuditActor): Promise<void> {
    const { db, hasher } = this.d;
    const problems = passwordProblems(password);
    if (problems.length) throw new Invalid(problems);
    const passwordHash = await hasher.hash(password);
    await db.transaction(async (tx) => {
      const userId = await repo.consumeEmailToken(tx, sha256(token), 'invite');
      if (!userId)
        throw new Invalid([
          { field: 'token', message: 'is invalid, used or expired; ask your administrator for a new invitation' },
        ]);
      await repo.updateUser(tx, userId, { passwordHash, passwordChangedAt: new Date(), emailVerifiedAt: new Date() });
      await writeAudit(tx, actor, { action: 'auth.invitation_accepted', userId });
    });
  }
}

function newRecoveryCode(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(10));
  const s = Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
  return `${s.slice(0, 5)}-${s.slice(5)}`;
}

function normaliseRecoveryCode(code: string): string {
  return code.toUpperCase().replace(/[^A-Z0-9]/g, '');
}
