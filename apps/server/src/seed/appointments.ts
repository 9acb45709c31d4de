import { and, asc, eq, ne, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Executor } from '../platform/db/database.ts';
import { clinics, users } from '../db/schema/identity.ts';
import { patientClinics, patients } from '../db/schema/patients.ts';
import {
  appointments,
  availabilityExceptions,
  availabilityTemplates,
  practitioners,
  specialties,
  visitTypes,
  waitlistEntries,
} from '../db/schema/scheduling.ts';
import type { AppointmentStatus } from '@sanita/contracts/scheduling/appointments';
import { noShowRisk } from '../modules/scheduling/noshow.ts';
import { clinicScheduling, type ClinicScheduling } from '../modules/scheduling/appointments.repository.ts';
import { insertReminders } from '../modules/scheduling/reminders.repository.ts';
import { remindersDue } from '../modules/scheduling/reminders.service.ts';

/**
 * The demo doctor and nurse have a real day whatever the hour the demo opens: visits done, one
 * patient being seen now, patients checked in and waiting (their tickets: seedQueue), more booked.
 * Their other days follow their weekly hours like everyone's. (Tests that need an empty calendar
 * make their own practitioners: seed/test-practitioners.ts.)
 */
export const REAL_DAY = ['doctor@sanita.test', 'nurse@sanita.test'];
/** today around now, in visits of the practitioner's grid: index 0 is being seen */
const REAL_DAY_PLAN: { at: number; status: AppointmentStatus }[] = [
  { at: -4, status: 'completed' },
  { at: -3, status: 'completed' },
  { at: -2, status: 'no_show' },
  { at: -1, status: 'completed' },
  { at: 0, status: 'in_progress' },
  { at: 1, status: 'checked_in' },
  { at: 2, status: 'checked_in' },
  { at: 3, status: 'booked' },
  { at: 5, status: 'booked' },
  { at: 6, status: 'booked' },
];
/** The first patients of each clinic (by MRN) are the tests' fixtures: they keep a clear diary. */
const FIXTURE_PATIENTS = 5;

type NewAppointment = typeof appointments.$inferInsert;

/**
 * Demo appointments two weeks back and two weeks ahead for the seeded practitioners (after
 * seedScheduling): past ones completed, some missed or cancelled; today's partly checked in;
 * future ones booked, or requested where the practitioner confirms. Built in memory on the slot
 * grid without overlaps (the exclusion constraints would refuse them) and inserted in bulk, plus
 * a few waiting-list entries. Idempotent: nothing is added once appointments exist.
 */
export async function seedAppointments(
  tx: Executor,
  opts: { clinics: { KIN: string; GOM: string }; rand: () => number; portalPatientId: string | null; now?: Date },
): Promise<void> {
  const [{ n } = { n: 0 }] = await tx.select({ n: sql<number>`count(*)::int` }).from(appointments);
  if (n > 0) return;
  const now = opts.now ?? new Date();
  const rand = opts.rand;

  const prs = await tx
    .select({ id: practitioners.id, requiresConfirmation: practitioners.requiresConfirmation, email: users.email })
    .from(practitioners)
    .leftJoin(users, eq(users.id, practitioners.userId))
    .where(eq(practitioners.active, true));
  const templates = await tx.select().from(availabilityTemplates).orderBy(asc(availabilityTemplates.startTime));
  const exceptions = await tx.select().from(availabilityExceptions);
  const vts = await tx.select().from(visitTypes).where(eq(visitTypes.active, true));
  const zones = new Map((await tx.select({ id: clinics.id, tz: clinics.timezone }).from(clinics)).map((c) => [c.id, c.tz]));
  const patientsAt = new Map<string, string[]>();
  for (const clinicId of zones.keys()) {
    const rows = await tx
      .select({ id: patients.id })
      .from(patients)
      .innerJoin(patientClinics, and(eq(patientClinics.patientId, patients.id), eq(patientClinics.clinicId, clinicId)))
      .where(and(eq(patients.status, 'active'), opts.portalPatientId ? ne(patients.id, opts.portalPatientId) : undefined))
      .orderBy(asc(patients.mrn));
    patientsAt.set(
      clinicId,
      rows.slice(FIXTURE_PATIENTS).map((r) => r.id),
    );
  }

  const busy = new Map<string, [number, number][]>();
  const free = (patientId: string, s: number, e: number) => !(busy.get(patientId) ?? []).some(([a, b]) => a < e && s < b);
  const history = new Map<string, { missed: number; total: number }>();
  const out: NewAppointment[] = [];
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;

  for (const pr of prs) {
    const realDay = !!pr.email && REAL_DAY.includes(pr.email);
    for (const t of templates.filter((x) => x.practitionerId === pr.id)) {
      const tz = zones.get(t.clinicId)!;
      const pool = patientsAt.get(t.clinicId) ?? [];
      if (!pool.length) continue;
      const allowed = vts.filter((v) => (t.visitTypeIds.length ? t.visitTypeIds.includes(v.id) : true));
      const today = DateTime.fromJSDate(now, { zone: tz }).startOf('day');
      for (let d = -14; d <= 14; d++) {
        const date = today.plus({ days: d });
        if (date.weekday !== t.weekday || (realDay && d === 0)) continue;
        const at = (hhmm: string) => {
          const [h, m] = hhmm.split(':').map(Number);
          return date.set({ hour: h, minute: m }).toJSDate().getTime();
        };
        const end = at(t.endTime);
        let cursor = at(t.startTime);
        while (cursor < end) {
          const vt = pick(allowed);
          const s = cursor;
          const e = s + vt.durationMinutes * 60_000;
          const blockEnd = e + t.bufferMinutes * 60_000;
          const step = t.slotMinutes * 60_000;
          const blocked = exceptions.some(
            (x) =>
              (x.practitionerId === pr.id || (x.practitionerId === null && x.clinicId === t.clinicId)) &&
              (x.clinicId === null || x.clinicId === t.clinicId) &&
              x.startsAt.getTime() < e &&
              s < x.endsAt.getTime(),
          );
          const patientId = pick(pool);
          if (e > end || blocked || rand() > (d < 0 ? 0.55 : 0.4) || !free(patientId, s, e)) {
            cursor += step;
            continue;
          }
          const past = e <= now.getTime();
          const started = s <= now.getTime();
          let status: AppointmentStatus;
          const r = rand();
          if (past && d < 0) status = r < 0.08 ? 'no_show' : r < 0.16 ? 'cancelled' : 'completed';
          else if (past) status = r < 0.85 ? 'completed' : 'no_show';
          else if (started) status = 'in_progress';
          else if (d === 0) status = r < 0.3 && s - now.getTime() < 2 * 3600_000 ? 'checked_in' : 'booked';
          else status = r < 0.06 ? 'cancelled' : pr.requiresConfirmation && r < 0.4 ? 'requested' : 'booked';
          const h = history.get(patientId) ?? { missed: 0, total: 0 };
          const bookedAt = new Date(Math.min(now.getTime(), s) - Math.floor(rand() * 20 + 1) * 86_400_000);
          const score = noShowRisk({ ...h, startsAt: new Date(s), bookedAt, timezone: tz });
          if (past && status !== 'cancelled') {
            h.total++;
            if (status === 'no_show') h.missed++;
            history.set(patientId, h);
          }
          out.push({
            clinicId: t.clinicId,
            practitionerId: pr.id,
            patientId,
            visitTypeId: vt.id,
            startsAt: new Date(s),
            endsAt: new Date(e),
            blockEndsAt: new Date(blockEnd),
            status,
            source: rand() < 0.25 ? 'portal' : 'staff',
            reason: null,
            cancelReason: status === 'cancelled' ? 'patient asked to cancel' : null,
            cancelledAt: status === 'cancelled' ? bookedAt : null,
            confirmedAt: status === 'requested' ? null : bookedAt,
            // a patient checked in for a later visit arrived before now, not ten minutes before it
            checkedInAt: ['checked_in', 'in_progress', 'completed'].includes(status)
              ? new Date(Math.min(s - 10 * 60_000, now.getTime() - Math.floor(rand() * 20 + 2) * 60_000))
              : null,
            completedAt: status === 'completed' ? new Date(e) : null,
            noShowRisk: score.risk,
            noShowFactors: score.factors,
            createdAt: bookedAt,
          });
          if (status !== 'cancelled') {
            busy.set(patientId, [...(busy.get(patientId) ?? []), [s, e]]);
            cursor = Math.ceil((blockEnd - at(t.startTime)) / step) * step + at(t.startTime);
          } else cursor += step;
        }
      }
    }
  }

  // the demo doctor's and nurse's day around now (outside their hours too: the demo opens at any time)
  for (const pr of prs.filter((x) => x.email && REAL_DAY.includes(x.email))) {
    const t = templates.find((x) => x.practitionerId === pr.id);
    if (!t) continue;
    const tz = zones.get(t.clinicId)!;
    // the last patients of the pool are the walk-ins waiting at triage (seedQueue)
    const pool = (patientsAt.get(t.clinicId) ?? []).slice(0, -12);
    const allowed = vts.filter((v) => (t.visitTypeIds.length ? t.visitTypeIds.includes(v.id) : true));
    if (!pool.length || !allowed.length) continue;
    const longest = Math.max(...allowed.map((v) => v.durationMinutes));
    const step = Math.ceil((longest + t.bufferMinutes) / t.slotMinutes) * t.slotMinutes * 60_000;
    const base = Math.floor(now.getTime() / (t.slotMinutes * 60_000)) * t.slotMinutes * 60_000;
    for (const [i, plan] of REAL_DAY_PLAN.entries()) {
      const vt = allowed[i % allowed.length]!;
      const s = base + plan.at * step;
      const e = s + vt.durationMinutes * 60_000;
      let patientId = pick(pool);
      for (let k = 0; k < 20 && !free(patientId, s - 3600_000, e + 3600_000); k++) patientId = pick(pool);
      const h = history.get(patientId) ?? { missed: 0, total: 0 };
      const bookedAt = new Date(s - Math.floor(rand() * 20 + 1) * 86_400_000);
      const score = noShowRisk({ ...h, startsAt: new Date(s), bookedAt, timezone: tz });
      const status = plan.status;
      const arrived = status === 'checked_in' ? now.getTime() - (25 - 10 * plan.at) * 60_000 : s - 10 * 60_000;
      out.push({
        clinicId: t.clinicId,
        practitionerId: pr.id,
        patientId,
        visitTypeId: vt.id,
        startsAt: new Date(s),
        endsAt: new Date(e),
        blockEndsAt: new Date(e + t.bufferMinutes * 60_000),
        status,
        source: 'staff',
        reason: null,
        cancelReason: null,
        cancelledAt: null,
        confirmedAt: bookedAt,
        checkedInAt: ['checked_in', 'in_progress', 'completed'].includes(status) ? new Date(arrived) : null,
        completedAt: status === 'completed' ? new Date(e) : null,
        noShowRisk: score.risk,
        noShowFactors: score.factors,
        createdAt: bookedAt,
      });
      busy.set(patientId, [...(busy.get(patientId) ?? []), [s, e]]);
    }
  }

  // the portal demo patient has a past visit and an upcoming one to look at
  if (opts.portalPatientId) {
    const kinAppointments = out.filter((a) => a.clinicId === opts.clinics.KIN);
    const pastOne = kinAppointments.find(
      (a) => a.status === 'completed' && a.startsAt < new Date(now.getTime() - 5 * 86_400_000),
    );
    const nextOne = kinAppointments.find(
      (a) =>
        a.status === 'booked' &&
        a.startsAt > new Date(now.getTime() + 4 * 86_400_000) &&
        a.startsAt < new Date(now.getTime() + 9 * 86_400_000),
    );
    if (pastOne) pastOne.patientId = opts.portalPatientId;
    if (nextOne) nextOne.patientId = opts.portalPatientId;
  }

  const inserted: { id: string; clinicId: string; startsAt: Date; status: AppointmentStatus }[] = [];
  for (let i = 0; i < out.length; i += 500)
    inserted.push(
      ...(await tx
        .insert(appointments)
        .values(out.slice(i, i + 500))
        .returning({
          id: appointments.id,
          clinicId: appointments.clinicId,
          startsAt: appointments.startsAt,
          status: appointments.status,
        })),
    );

  // the reminders of upcoming booked visits, as booking writes them; their jobs are queued once the
  // job queue runs (RemindersService.enqueueScheduled, after a first start that seeded)
  const rules = new Map<string, ClinicScheduling>();
  for (const clinicId of zones.keys()) {
    const c = await clinicScheduling(tx, clinicId);
    if (c) rules.set(clinicId, c);
  }
  // only on the channels each patient can be reached by
  const contacts = new Map(
    (await tx.select({ id: patients.id, email: patients.email, phones: patients.phones }).from(patients)).map((p) => [
      p.id,
      { email: !!p.email?.trim(), phone: (p.phones ?? []).some((x) => !!x?.trim()) },
    ]),
  );
  const reminders = inserted.flatMap((a, i) =>
    a.status === 'booked' && rules.has(a.clinicId)
      ? remindersDue(
          a.startsAt,
          rules.get(a.clinicId)!,
          now,
          contacts.get(out[i]!.patientId) ?? { email: false, phone: false },
        ).map((r) => ({ appointmentId: a.id, ...r }))
      : [],
  );
  for (let i = 0; i < reminders.length; i += 500) await insertReminders(tx, reminders.slice(i, i + 500));

  // a short waiting list: patients hoping for an earlier slot this week
  const specialtyId = (code: string) =>
    tx
      .select({ id: specialties.id })
      .from(specialties)
      .where(eq(specialties.code, code))
      .then((r) => r[0]?.id ?? null);
  const byName = async (name: string) =>
    (await tx.select({ id: practitioners.id }).from(practitioners).where(eq(practitioners.displayName, name)).limit(1))[0]?.id ??
    null;
  const consultation = vts.find((v) => v.code === 'consultation') ?? vts[0];
  const earliest = DateTime.fromJSDate(now).toISODate()!;
  const latest = DateTime.fromJSDate(now).plus({ days: 7 }).toISODate()!;
  const wanted: { clinic: string; practitionerId: string | null; specialtyId: string | null }[] = [];
  const { KIN: kin, GOM: gom } = opts.clinics;
  const kabamba = await byName('Dr Joseph Kabamba');
  const kavira = await byName('Dr Esther Kavira');
  const obstetrics = await specialtyId('obstetrics-gynaecology');
  if (kin && kabamba) wanted.push({ clinic: kin, practitionerId: kabamba, specialtyId: null });
  if (kin && obstetrics) wanted.push({ clinic: kin, practitionerId: null, specialtyId: obstetrics });
  if (gom && kavira) wanted.push({ clinic: gom, practitionerId: kavira, specialtyId: null });
  const entries = wanted
    .map((w, i) => {
      const pool = patientsAt.get(w.clinic) ?? [];
      const patientId = pool[pool.length - 1 - i];
      return patientId && consultation
        ? {
            clinicId: w.clinic,
            patientId,
            practitionerId: w.practitionerId,
            specialtyId: w.specialtyId,
            visitTypeId: consultation.id,
            earliest,
            latest,
            status: 'waiting' as const,
            notes: 'would like an earlier appointment',
          }
        : null;
    })
    .filter((e) => e !== null);
  if (entries.length) await tx.insert(waitlistEntries).values(entries);
}
