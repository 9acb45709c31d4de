import ical, { ICalEventStatus } from 'ical-generator';
import type { Db } from '../../platform/db/database.ts';
import { writeAudit, type AuditActor } from '../../platform/audit/audit.ts';
import { NotFound } from '../../platform/errors.ts';
import * as repo from './ical.repository.ts';
import { icalTokenHash } from './practitioners.service.ts';

const DAY_MS = 86_400_000;
/** the window a calendar client sees: recent history and the coming half year */
export const FEED_DAYS_BACK = 30;
export const FEED_DAYS_AHEAD = 180;

/**
 * A practitioner's appointments as an iCalendar feed behind a secret URL, for phone and desktop
 * calendars. Events carry the visit type and the MRN, never the patient's name, because calendar
 * apps sync to places the clinic does not control.
 */
export class IcalService {
  constructor(private readonly db: Db) {}

  async feed(token: string, actor: AuditActor, now = new Date()): Promise<string> {
    const practitioner = await repo.practitionerByTokenHash(this.db, icalTokenHash(token));
    if (!practitioner) throw new NotFound('No calendar at this address');
    const from = new Date(now.getTime() - FEED_DAYS_BACK * DAY_MS);
    const to = new Date(now.getTime() + FEED_DAYS_AHEAD * DAY_MS);
    const rows = await this.db.transaction(async (tx) => {
      const found = await repo.feedAppointments(tx, practitioner.id, from, to);
      // the MRNs are patient data: one row records which patients this read exposed
      await writeAudit(
        tx,
        { ...actor, role: 'system' },
        {
          action: 'appointment.ical_feed',
          resourceType: 'practitioner',
          resourceId: practitioner.id,
          details: { appointments: found.length, patientIds: [...new Set(found.map((r) => r.patientId))] },
        },
      );
      return found;
    });
    const cal = ical({
      name: `Sanita — ${practitioner.displayName}`,
      prodId: { company: 'Sanita', product: 'scheduling', language: 'EN' },
      ttl: 15 * 60,
    });
    for (const r of rows) {
      cal.createEvent({
        id: `${r.id}@sanita`,
        start: r.startsAt,
        end: r.endsAt,
        stamp: r.updatedAt,
        summary: `${r.visitType} — ${r.mrn}`,
        location: r.clinicAddress ? `${r.clinicName}, ${r.clinicAddress}` : r.clinicName,
        status: r.status === 'requested' || r.status === 'held' ? ICalEventStatus.TENTATIVE : ICalEventStatus.CONFIRMED,
      });
    }
    return cal.toString();
  }
}
