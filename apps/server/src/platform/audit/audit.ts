import { auditLog } from '../../db/schema/audit.ts';
import type { Executor } from '../db/database.ts';

/** Who is acting and from where; built once per request. */
export interface AuditActor {
  userId: string | null;
  role: string | null;
  clinicId: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export interface AuditEntry {
  action: string;
  outcome?: 'success' | 'failure' | 'denied';
  patientId?: string | null;
  resourceType?: string;
  resourceId?: string;
  details?: Record<string, unknown>;
  /** overrides the actor's user id, e.g. a failed login for a known account */
  userId?: string | null;
}

export const systemActor: AuditActor = {
  userId: null,
  role: 'system',
  clinicId: null,
  ip: null,
  userAgent: null,
  requestId: null,
};

/**
 * Writes audit rows with the caller's executor, so that they commit or roll back with the data
 * they describe: no audit, no data.
 */
export async function writeAudit(tx: Executor, actor: AuditActor, ...entries: AuditEntry[]): Promise<void> {
  if (!entries.length) return;
  await tx.insert(auditLog).values(
    entries.map((e) => ({
      actorUserId: e.userId !== undefined ? e.userId : actor.userId,
      actorRole: actor.role,
      clinicId: actor.clinicId,
      patientId: e.patientId ?? null,
      action: e.action,
      resourceType: e.resourceType ?? null,
      resourceId: e.resourceId ?? null,
      outcome: e.outcome ?? 'success',
      ip: actor.ip,
      userAgent: actor.userAgent ? actor.userAgent.slice(0, 300) : null,
      requestId: actor.requestId,
      details: e.details ?? null,
    })),
  );
}
