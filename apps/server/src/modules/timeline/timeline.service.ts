import type { TimelineItem, TimelinePage, TimelineQuery } from '@sanita/contracts/timeline';
import type { Principal } from '../../platform/access.ts';
import { writeAudit, type AuditActor } from '../../platform/audit/audit.ts';
import { runAudited } from '../../platform/audit/audited.ts';
import type { Db } from '../../platform/db/database.ts';
import { Invalid } from '../../platform/errors.ts';
import {
  decidePatientAccess,
  patientAtClinic,
  patientRefusal,
  planPatientAccess,
  type PatientAccessRule,
} from '../../platform/patient-access.ts';
import { mergeTimeline, type TimelineEntry, type TimelineSource } from '../../platform/timeline.ts';

/** The timeline is part of the chart: chart:read at the active clinic, for a patient registered there. */
const READ: PatientAccessRule = { permission: 'chart:read' };
const DEFAULT_LIMIT = 30;
/** No active clinic: a clinic id no patient is registered at. */
const NO_CLINIC = '00000000-0000-4000-8000-000000000000';

/** A cursor is the last entry shown: its time and id, opaque to the client. */
const encodeCursor = (e: TimelineEntry) => Buffer.from(`${e.at.toISOString()}|${e.id}`).toString('base64url');
function decodeCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const date = at ? new Date(at) : null;
  if (!date || Number.isNaN(date.getTime()) || !id || !/^[0-9a-f-]{36}$/.test(id))
    throw new Invalid([{ field: 'querystring.cursor', code: 'invalid', message: 'is not a cursor of this timeline' }]);
  return { at: date, id };
}

export class TimelineService {
  constructor(
    private readonly db: Db,
    private readonly sources: () => readonly TimelineSource[],
  ) {}

  /** The kinds the timeline has, in the order the modules declare them. */
  kinds(): string[] {
    return this.sources().map((s) => s.kind);
  }

  /** The sources whose entries this reader may see: those asking for no permission, or one they hold here. */
  private readable(p: Principal): TimelineSource[] {
    return this.sources().filter((s) => !s.permission || p.permissions.has(s.permission));
  }

  /**
   * A page of the patient's timeline, newest first, from every source this reader may see (or the kinds
   * asked for among them); the read is audited with the kinds and ids shown.
   */
  async page(p: Principal, actor: AuditActor, patientId: string, q: TimelineQuery): Promise<TimelinePage> {
    const limit = q.limit ?? DEFAULT_LIMIT;
    const before = q.cursor === undefined ? null : decodeCursor(q.cursor);
    const wanted = q.kinds?.split(',');
    const unknown = wanted?.filter((k) => !this.kinds().includes(k)) ?? [];
    if (unknown.length)
      throw new Invalid([{ field: 'querystring.kinds', code: 'invalid', message: `unknown kinds: ${unknown.join(', ')}` }]);
    const from = q.from ? new Date(q.from) : null;
    const to = q.to ? new Date(q.to) : null;
    if (from && to && from > to)
      throw new Invalid([{ field: 'querystring.to', code: 'invalid', message: 'must not be before from' }]);
    // a kind the reader may not see is no error (the filter is the same for everyone): it has no entries
    const readable = this.readable(p);
    const sources = readable.filter((s) => !wanted || wanted.includes(s.kind));

    return runAudited(this.db, actor, async (tx) => {
      const plan = planPatientAccess(p, patientId, READ);
      // read even when forbidden, so that the refusal's audit row names an existing patient
      const found = await patientAtClinic(tx, patientId, p.clinicId ?? NO_CLINIC);
      let verdict = decidePatientAccess(plan, found.exists ? found : undefined);
      if (verdict === 'ok' && found.status === 'merged') verdict = 'hidden';
      if (verdict !== 'ok') throw patientRefusal(verdict, patientId, found.exists, 'timeline.read');
      // one more than the page, to know whether there is a next one
      const entries = await mergeTimeline(tx, sources, { patientId, before, from, to, limit: limit + 1 });
      const page = entries.slice(0, limit);
      await writeAudit(tx, actor, {
        action: 'timeline.read',
        patientId,
        resourceType: 'patient',
        resourceId: patientId,
        details: { items: page.map((e) => `${e.kind}:${e.id}`) },
      });
      return {
        data: page.map(toItem),
        nextCursor: entries.length > limit ? encodeCursor(page[page.length - 1]!) : null,
        kinds: readable.map((s) => s.kind),
      };
    });
  }
}

const toItem = (e: TimelineEntry): TimelineItem => ({
  kind: e.kind,
  id: e.id,
  at: e.at.toISOString(),
  clinicId: e.clinicId,
  by: e.by,
  data: e.data,
});
