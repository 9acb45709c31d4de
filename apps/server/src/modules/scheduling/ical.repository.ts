import { and, asc, eq, gt, gte, inArray, lt } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import { clinics } from '../../db/schema/identity.ts';
import { patients } from '../../db/schema/patients.ts';
import { appointments, practitioners, visitTypes } from '../../db/schema/scheduling.ts';
import { MAX_BLOCK_MS, TIME_HOLDING } from './availability.repository.ts';

export async function practitionerByTokenHash(db: Executor, hash: string) {
  const [row] = await db
    .select({ id: practitioners.id, displayName: practitioners.displayName })
    .from(practitioners)
    .where(eq(practitioners.icalTokenHash, hash))
    .limit(1);
  return row;
}

/** The practitioner's appointments that hold time in [from, to): visit type and MRN, never the name. */
export function feedAppointments(db: Executor, practitionerId: string, from: Date, to: Date) {
  return db
    .select({
      id: appointments.id,
      patientId: appointments.patientId,
      startsAt: appointments.startsAt,
      endsAt: appointments.endsAt,
      status: appointments.status,
      updatedAt: appointments.updatedAt,
      visitType: visitTypes.name,
      mrn: patients.mrn,
      clinicName: clinics.name,
      clinicAddress: clinics.address,
    })
    .from(appointments)
    .innerJoin(visitTypes, eq(visitTypes.id, appointments.visitTypeId))
    .innerJoin(patients, eq(patients.id, appointments.patientId))
    .innerJoin(clinics, eq(clinics.id, appointments.clinicId))
    .where(
      and(
        eq(appointments.practitionerId, practitionerId),
        inArray(appointments.status, [...TIME_HOLDING]),
        lt(appointments.startsAt, to),
        gte(appointments.startsAt, new Date(from.getTime() - MAX_BLOCK_MS)),
        gt(appointments.endsAt, from),
      ),
    )
    .orderBy(asc(appointments.startsAt))
    .limit(5000);
}
