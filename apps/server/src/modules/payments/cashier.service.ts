import { sql } from 'drizzle-orm';
import type { CashierSession, SessionCloseInput, SessionListQuery, SessionOpenInput } from '@sanita/contracts/payments';
import type { Principal } from '../../platform/access.ts';
import { writeAudit, type AuditActor } from '../../platform/audit/audit.ts';
import { denied, runAudited } from '../../platform/audit/audited.ts';
import type { Db, Executor, Tx } from '../../platform/db/database.ts';
import { pgError } from '../../platform/db/queries.ts';
import { Conflict, Forbidden, NotFound } from '../../platform/errors.ts';
import { money, moneyText, roundTo } from '../../platform/money.ts';
import type { EventBus } from '../../platform/realtime/events.ts';
import { billingRoom, InputError } from './payments.shared.ts';

type Method = CashierSession['totals'][number]['method'];

type SessionRow = {
  id: string;
  clinicId: string;
  cashierId: string;
  cashierName: string;
  status: 'open' | 'closed';
  floats: { currency: string; amount: string }[];
  counts: { currency: string; method: string; counted: string; expected: string }[] | null;
  closingNote: string | null;
  openedAt: string | Date;
  closedAt: string | Date | null;
  reopenedBy: string | null;
  reopenedByName: string | null;
  reopenReason: string | null;
  version: number;
};

const SELECT_SESSION = sql`
  SELECT s.id, s.clinic_id AS "clinicId", s.cashier_id AS "cashierId", u.display_name AS "cashierName", s.status,
         s.floats, s.counts, s.closing_note AS "closingNote", s.opened_at AS "openedAt", s.closed_at AS "closedAt",
         s.reopened_by AS "reopenedBy", r.display_name AS "reopenedByName", s.reopen_reason AS "reopenReason", s.version
    FROM cashier_sessions s
    JOIN users u ON u.id = s.cashier_id
    LEFT JOIN users r ON r.id = s.reopened_by`;

const iso = (v: string | Date) => (v instanceof Date ? v : new Date(v)).toISOString();
const key = (currency: string, method: string) => `${currency}|${method}`;

/**
 * Cashier sessions: one open per cashier and clinic, opened with a float per currency (cash), closed
 * with a count per currency and method. Per currency × method: expected = float (cash) + taken −
 * refunded; a count that differs needs the cashier's note. A manager (payments:manage) reopens a
 * closed session with a reason.
 */
export class CashierService {
  constructor(
    private readonly db: Db,
    private readonly events: EventBus,
  ) {}

  /** Floats, payments taken and refunds made in each session, per currency × method. */
  private async views(db: Executor, rows: SessionRow[]): Promise<CashierSession[]> {
    if (!rows.length) return [];
    const ids = `{${rows.map((r) => r.id).join(',')}}`;
    const { rows: taken } = await db.execute<{
      sessionId: string;
      currency: string;
      method: Method;
      amount: string;
      n: number;
    }>(sql`
      SELECT session_id AS "sessionId", currency, method, sum(amount)::text AS amount, count(*)::int AS n
        FROM payments WHERE session_id = ANY(${ids}::uuid[]) GROUP BY 1, 2, 3`);
    const { rows: refunded } = await db.execute<{ sessionId: string; currency: string; method: Method; amount: string }>(sql`
      SELECT r.session_id AS "sessionId", p.currency, p.method, sum(r.amount)::text AS amount
        FROM refunds r JOIN payments p ON p.id = r.payment_id
       WHERE r.session_id = ANY(${ids}::uuid[]) GROUP BY 1, 2, 3`);
    return rows.map((s) => {
      const totals = new Map<string, { currency: string; method: Method; float: string; taken: string; refunded: string }>();
      const at = (currency: string, method: Method) => {
        const k = key(currency, method);
        if (!totals.has(k)) totals.set(k, { currency, method, float: '0', taken: '0', refunded: '0' });
        return totals.get(k)!;
      };
      for (const f of s.floats) at(f.currency, 'cash').float = f.amount;
      for (const t of taken.filter((x) => x.sessionId === s.id)) at(t.currency, t.method).taken = t.amount;
      for (const r of refunded.filter((x) => x.sessionId === s.id)) at(r.currency, r.method).refunded = r.amount;
      const counts = new Map((s.counts ?? []).map((c) => [key(c.currency, c.method), c]));
      return {
        id: s.id,
        clinicId: s.clinicId,
        cashier: { id: s.cashierId, name: s.cashierName },
        status: s.status,
        openedAt: iso(s.openedAt),
        closedAt: s.closedAt ? iso(s.closedAt) : null,
        totals: [...totals.values()]
          .sort((a, b) => a.currency.localeCompare(b.currency) || a.method.localeCompare(b.method))
          .map((t) => {
            const expected = money(t.float).plus(t.taken).minus(t.refunded);
            const c = s.status === 'closed' ? counts.get(key(t.currency, t.method)) : undefined;
            return {
              currency: t.currency,
              method: t.method,
              float: moneyText(t.float, t.currency),
              taken: moneyText(t.taken, t.currency),
              refunded: moneyText(t.refunded, t.currency),
              expected: moneyText(expected, t.currency),
              counted: c ? moneyText(c.counted, t.currency) : null,
              difference: c ? moneyText(money(c.counted).minus(expected), t.currency) : null,
            };
          }),
        closingNote: s.closingNote,
        reopenedBy: s.reopenedBy ? { id: s.reopenedBy, name: s.reopenedByName ?? '' } : null,
        reopenReason: s.reopenReason,
        payments: taken.filter((x) => x.sessionId === s.id).reduce((n, x) => n + x.n, 0),
        version: s.version,
      };
    });
  }

  private async row(db: Executor, id: string, lock = false): Promise<SessionRow | undefined> {
    if (lock) await db.execute(sql`SELECT 1 FROM cashier_sessions WHERE id = ${id} FOR UPDATE`);
    const { rows } = await db.execute<SessionRow>(sql`${SELECT_SESSION} WHERE s.id = ${id}`);
    return rows[0];
  }

  private announce(s: CashierSession): void {
    this.events.publish('cashier.session.changed', { sessionId: s.id, clinicId: s.clinicId, status: s.status }, [
      billingRoom(s.clinicId),
    ]);
  }

  private need(p: Principal, perm: string, action: string, id: string): void {
    if (p.patientId || !p.permissions.has(perm)) throw denied(new Forbidden(), action, { type: 'cashier_session', id });
  }

  /** A session of the active clinic (404 otherwise). */
  private async at(tx: Tx, p: Principal, id: string, action: string, lock = false): Promise<SessionRow> {
    const s = await this.row(tx, id, lock);
    if (!s || s.clinicId !== p.clinicId) throw denied(new NotFound('Session not found'), action, { type: 'cashier_session', id });
    return s;
  }

  /** POST /api/cashier/sessions (payments:collect): 409 SESSION_STATE when one is already open here. */
  async open(p: Principal, actor: AuditActor, input: SessionOpenInput): Promise<CashierSession> {
    const action = 'cashier_session.open';
    const seen = new Set<string>();
    const accepted = await this.db.execute<{ currencies: string[] }>(
      sql`SELECT currencies FROM clinics WHERE id = ${p.clinicId}`,
    );
    const currencies = accepted.rows[0]?.currencies ?? [];
    const floats = input.floats.map((f, i) => {
      if (seen.has(f.currency)) throw new InputError('VALIDATION_FAILED', `floats/${i}/currency`, 'is given twice');
      seen.add(f.currency);
      if (!currencies.includes(f.currency))
        throw new InputError('CURRENCY_NOT_ACCEPTED', `floats/${i}/currency`, `${f.currency} is not accepted at this clinic`);
      return { currency: f.currency, amount: roundTo(f.amount, f.currency).toFixed() };
    });
    const view = await runAudited(this.db, actor, async (tx) => {
      this.need(p, 'payments:collect', action, p.clinicId ?? 'none');
      let id: string;
      try {
        const { rows } = await tx.execute<{ id: string }>(sql`
          INSERT INTO cashier_sessions (clinic_id, cashier_id, floats) VALUES (${p.clinicId}, ${p.userId}, ${JSON.stringify(floats)}::jsonb)
          ON CONFLICT (clinic_id, cashier_id) WHERE status = 'open' DO NOTHING RETURNING id`);
        if (!rows[0])
          throw new Conflict('Your cashier session at this clinic is already open', 'SESSION_STATE', { status: 'open' });
        id = rows[0].id;
      } catch (err) {
        if (pgError(err)?.code === '23505')
          throw new Conflict('Your cashier session at this clinic is already open', 'SESSION_STATE', { status: 'open' });
        throw err;
      }
      await writeAudit(tx, actor, { action, resourceType: 'cashier_session', resourceId: id, details: { floats } });
      return (await this.views(tx, [(await this.row(tx, id))!]))[0]!;
    });
    this.announce(view);
    return view;
  }

  /** GET /api/cashier/sessions/current: my open session at the active clinic, or null. */
  async current(p: Principal): Promise<{ session: CashierSession | null }> {
    if (p.patientId || !(p.permissions.has('payments:read') || p.permissions.has('payments:collect'))) throw new Forbidden();
    const { rows } = await this.db.execute<SessionRow>(
      sql`${SELECT_SESSION} WHERE s.clinic_id = ${p.clinicId} AND s.cashier_id = ${p.userId} AND s.status = 'open'`,
    );
    return { session: (await this.views(this.db, rows))[0] ?? null };
  }

  /** GET /api/cashier/sessions (payments:read): the active clinic's sessions, newest first. */
  async list(p: Principal, q: SessionListQuery): Promise<{ items: CashierSession[] }> {
    if (p.patientId || !p.permissions.has('payments:read')) throw new Forbidden();
    const conds = [sql`s.clinic_id = ${p.clinicId}`];
    const tz = sql`(SELECT timezone FROM clinics WHERE id = ${p.clinicId})`;
    if (q.status) conds.push(sql`s.status = ${q.status}`);
    if (q.from) conds.push(sql`s.opened_at >= (${q.from}::date)::timestamp AT TIME ZONE ${tz}`);
    if (q.to) conds.push(sql`s.opened_at < (${q.to}::date + 1)::timestamp AT TIME ZONE ${tz}`);
    const { rows } = await this.db.execute<SessionRow>(
      sql`${SELECT_SESSION} WHERE ${sql.join(conds, sql` AND `)} ORDER BY s.opened_at DESC LIMIT ${q.limit ?? 50}`,
    );
    return { items: await this.views(this.db, rows) };
  }

  /** GET /api/cashier/sessions/:id (payments:read, or its own cashier). */
  async get(p: Principal, actor: AuditActor, id: string): Promise<CashierSession> {
    const action = 'cashier_session.read';
    return runAudited(this.db, actor, async (tx) => {
      const s = await this.row(tx, id);
      if (p.patientId || !(p.permissions.has('payments:read') || (s && s.cashierId === p.userId)))
        throw denied(new Forbidden(), action, { type: 'cashier_session', id });
      if (!s || s.clinicId !== p.clinicId)
        throw denied(new NotFound('Session not found'), action, { type: 'cashier_session', id });
      return (await this.views(tx, [s]))[0]!;
    });
  }

  /**
   * POST /api/cashier/sessions/:id/close (its cashier, or payments:manage): counts per currency and
   * method; every cash total must be counted (others default to what was expected); a count that
   * differs from what was expected needs a note (400 naming `note`).
   */
  async close(p: Principal, actor: AuditActor, id: string, input: SessionCloseInput): Promise<CashierSession> {
    const action = 'cashier_session.close';
    const view = await runAudited(this.db, actor, async (tx) => {
      this.need(p, 'payments:collect', action, id);
      const s = await this.at(tx, p, id, action, true);
      if (s.cashierId !== p.userId && !p.permissions.has('payments:manage'))
        throw denied(new Forbidden(), action, { type: 'cashier_session', id });
      if (s.status !== 'open') throw new Conflict('This session is closed', 'SESSION_STATE', { status: s.status });
      if (s.version !== input.version)
        throw new Conflict('This session was changed elsewhere', 'STALE_VERSION', { current: s.version });
      const current = (await this.views(tx, [s]))[0]!;
      const given = new Map<string, string>();
      input.counts.forEach((c, i) => {
        const k = key(c.currency, c.method);
        if (given.has(k)) throw new InputError('VALIDATION_FAILED', `counts/${i}`, `counts ${c.currency} ${c.method} twice`);
        given.set(k, roundTo(c.counted, c.currency).toFixed());
      });
      const counts: { currency: string; method: string; counted: string; expected: string }[] = [];
      const missing: string[] = [];
      for (const t of current.totals) {
        const k = key(t.currency, t.method);
        const counted = given.get(k) ?? (t.method === 'cash' ? null : t.expected);
        if (counted === null) missing.push(`${t.currency} cash`);
        else counts.push({ currency: t.currency, method: t.method, counted, expected: t.expected });
        given.delete(k);
      }
      if (missing.length)
        throw new InputError('VALIDATION_FAILED', 'counts', `count the cash of the session: ${missing.join(', ')}`);
      // a count of something the session never held (e.g. cash in a currency with no float and no payment)
      for (const [k, counted] of given) {
        const [currency, method] = k.split('|') as [string, string];
        counts.push({ currency, method, counted, expected: '0' });
      }
      const differs = counts.some((c) => !money(c.counted).equals(c.expected));
      const note = input.note?.trim() || null;
      if (differs && !note)
        throw new InputError('VALIDATION_FAILED', 'note', 'explain the difference between the count and what was expected');
      await tx.execute(sql`
        UPDATE cashier_sessions SET status = 'closed', counts = ${JSON.stringify(counts)}::jsonb, closing_note = ${note},
               closed_at = now(), version = version + 1 WHERE id = ${id}`);
      await writeAudit(tx, actor, {
        action,
        resourceType: 'cashier_session',
        resourceId: id,
        details: { counts, note, differs },
      });
      return (await this.views(tx, [(await this.row(tx, id))!]))[0]!;
    });
    this.announce(view);
    return view;
  }

  /** POST /api/cashier/sessions/:id/reopen (payments:manage): with a reason, audited with the counts it had. */
  async reopen(p: Principal, actor: AuditActor, id: string, input: { reason: string; version: number }): Promise<CashierSession> {
    const action = 'cashier_session.reopen';
    const view = await runAudited(this.db, actor, async (tx) => {
      this.need(p, 'payments:manage', action, id);
      const s = await this.at(tx, p, id, action, true);
      if (s.status !== 'closed') throw new Conflict('This session is open', 'SESSION_STATE', { status: s.status });
      if (s.version !== input.version)
        throw new Conflict('This session was changed elsewhere', 'STALE_VERSION', { current: s.version });
      try {
        await tx.execute(sql`
          UPDATE cashier_sessions SET status = 'open', closed_at = NULL, reopened_by = ${p.userId}, reopened_at = now(),
                 reopen_reason = ${input.reason.trim()}, version = version + 1 WHERE id = ${id}`);
      } catch (err) {
        if (pgError(err)?.code === '23505')
          throw new Conflict('The cashier has another session open at this clinic', 'SESSION_STATE', { status: 'open' });
        throw err;
      }
      await writeAudit(tx, actor, {
        action,
        resourceType: 'cashier_session',
        resourceId: id,
        details: { reason: input.reason.trim(), counts: s.counts, closingNote: s.closingNote, closedAt: s.closedAt },
      });
      return (await this.views(tx, [(await this.row(tx, id))!]))[0]!;
    });
    this.announce(view);
    return view;
  }
}
