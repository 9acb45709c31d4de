import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { auditSince, createTestContext, lastAuditId, type Session, type TestContext } from '../../../test/helpers.ts';

let ctx: TestContext;
let admin: Session;
let doctor: Session;
let goma: Session;
let patient: Session;
let receptionist: Session;
const ids = { doctor: '', goma: '', kabamba: '', cardiology: '', consultation: '', vaccination: '' };

interface P {
  id: string;
  displayName: string;
  languages: string[];
  feeAmount: number | null;
  nextFreeSlot: { startsAt: string; clinicId: string } | null;
  specialties: { code: string }[];
  clinicIds: string[];
}

beforeAll(async () => {
  ctx = await createTestContext();
  [admin, doctor, goma, patient, receptionist] = await Promise.all([
    ctx.login('admin@sanita.test'),
    ctx.login('doctor@sanita.test'),
    ctx.login('doctor.goma@sanita.test'),
    ctx.login('patient@sanita.test'),
    ctx.login('receptionist@sanita.test'),
  ]);
  const q = async (text: string, params: unknown[] = []) => (await ctx.sql.query(text, params)).rows[0].id as string;
  ids.doctor = await q('SELECT id FROM practitioners WHERE user_id = $1', [ctx.ids.users['doctor@sanita.test']]);
  ids.goma = await q('SELECT id FROM practitioners WHERE user_id = $1', [ctx.ids.users['doctor.goma@sanita.test']]);
  ids.kabamba = await q(`SELECT id FROM practitioners WHERE display_name = 'Dr Joseph Kabamba'`);
  ids.cardiology = await q(`SELECT id FROM specialties WHERE code = 'cardiology'`);
  ids.consultation = await q(`SELECT id FROM visit_types WHERE code = 'consultation'`);
  ids.vaccination = await q(`SELECT id FROM visit_types WHERE code = 'vaccination'`);
});
afterAll(async () => {
  await ctx.close();
});

const list = async (s: Session, query = '') => {
  const res = await s.req('GET', `/api/practitioners${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().data as P[];
};

describe('finding a practitioner', () => {
  it('a patient lists practitioners with their next free slot within 14 days', async () => {
    const all = await list(patient);
    expect(all.length).toBeGreaterThanOrEqual(8);
    const mukendi = all.find((p) => p.id === ids.doctor)!;
    expect(mukendi).toMatchObject({ displayName: 'Dr Amani Mukendi', feeAmount: 25, clinicIds: [ctx.ids.kin] });
    expect(mukendi.nextFreeSlot?.clinicId).toBe(ctx.ids.kin);
    expect(mukendi.specialties.map((s) => s.code).sort()).toEqual(['general-medicine', 'internal-medicine']);
    const at = DateTime.fromISO(mukendi.nextFreeSlot!.startsAt, { setZone: true });
    expect(at > DateTime.now()).toBe(true);
    expect(at.diffNow('days').days).toBeLessThan(14);
    expect(at.toFormat('ZZ')).toBe('+01:00');
  });

  it('filters by specialty, clinic, language and name (accents ignored)', async () => {
    expect((await list(patient, `?specialtyId=${ids.cardiology}`)).map((p) => p.id)).toEqual([ids.kabamba]);
    const atGoma = await list(patient, `?clinicId=${ctx.ids.gom}`);
    expect(atGoma.map((p) => p.id)).toEqual(expect.arrayContaining([ids.goma, ids.kabamba]));
    expect(atGoma.map((p) => p.id)).not.toContain(ids.doctor);
    // Dr Kabamba works at Goma only on Saturdays: his next Goma slot is a Saturday
    const kabamba = atGoma.find((p) => p.id === ids.kabamba)!;
    expect(kabamba.nextFreeSlot?.clinicId).toBe(ctx.ids.gom);
    expect(DateTime.fromISO(kabamba.nextFreeSlot!.startsAt, { setZone: true }).weekday).toBe(6);
    const swahili = await list(patient, '?language=sw');
    expect(swahili.every((p) => p.languages.includes('sw'))).toBe(true);
    expect(swahili.map((p) => p.id)).toContain(ids.goma);
    expect((await list(patient, '?q=beatrice')).map((p) => p.displayName)).toEqual(['Dr Béatrice Ilunga']);
    expect(await list(patient, '?q=%25')).toEqual([]);
  });

  it('by visit type: only practitioners whose hours accept it, with a slot long enough for it', async () => {
    const vacc = await list(patient, `?visitTypeId=${ids.vaccination}&clinicId=${ctx.ids.kin}`);
    expect(vacc.map((p) => p.displayName)).toContain('Grâce Nsimba');
    const consult = await list(patient, `?visitTypeId=${ids.consultation}&clinicId=${ctx.ids.kin}`);
    expect(consult.map((p) => p.displayName)).not.toContain('Grâce Nsimba');
  });

  it('no free slot in 14 days → nextFreeSlot null', async () => {
    await goma.req('PUT', `/api/practitioners/${ids.goma}/templates`, { clinicId: ctx.ids.gom, templates: [] });
    const p = (await goma.req('GET', `/api/practitioners/${ids.goma}`)).json<P>();
    expect(p.nextFreeSlot).toBeNull();
  });

  it('an unknown id → 404', async () => {
    expect((await patient.req('GET', '/api/practitioners/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });
});

describe('changing practitioners', () => {
  it('an admin adds a practitioner without an account; a receptionist cannot (403)', async () => {
    const body = {
      displayName: 'Dr Ruth Nzuzi',
      languages: ['fr', 'ln'],
      feeAmount: 30,
      feeCurrency: 'USD',
      specialtyIds: [ids.cardiology],
      clinicIds: [ctx.ids.kin],
    };
    expect((await receptionist.req('POST', '/api/practitioners', body)).statusCode).toBe(403);
    const res = await admin.req('POST', '/api/practitioners', body, { 'x-clinic-id': ctx.ids.kin });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ displayName: 'Dr Ruth Nzuzi', userId: null, feeAmount: 30, nextFreeSlot: null });
    expect(res.json().specialties.map((s: { code: string }) => s.code)).toEqual(['cardiology']);
  });

  it('references the schema cannot check → 400 naming the field; a user already a practitioner → 409 naming userId', async () => {
    const n = async () => (await ctx.sql.query('SELECT count(*)::int AS n FROM practitioners')).rows[0].n as number;
    const before = await n();
    const base = { displayName: 'Dr Test', clinicIds: [ctx.ids.kin] };
    const cases: [Record<string, unknown>, string, number][] = [
      [{ specialtyIds: ['00000000-0000-4000-8000-000000000000'] }, 'specialtyIds.0', 400],
      [{ clinicIds: [ctx.ids.kin, '00000000-0000-4000-8000-000000000000'] }, 'clinicIds.1', 400],
      [{ feeAmount: 10 }, 'feeCurrency', 400],
      [{ userId: ctx.ids.users['patient@sanita.test'] }, 'userId', 400],
      [{ userId: ctx.ids.users['doctor@sanita.test'] }, 'userId', 409],
    ];
    for (const [extra, field, status] of cases) {
      const res = await admin.req('POST', '/api/practitioners', { ...base, ...extra });
      expect(res.statusCode, field).toBe(status);
      expect(res.json().error.details, field).toContainEqual(expect.objectContaining({ field }));
    }
    expect(await n()).toBe(before);
  });

  it('a doctor edits their own bio, languages and fee, but not their licence or someone else', async () => {
    const own = await doctor.req('PATCH', `/api/practitioners/${ids.doctor}`, {
      bio: 'Family medicine.',
      languages: ['fr', 'sw'],
      feeAmount: 30,
    });
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json()).toMatchObject({ bio: 'Family medicine.', languages: ['fr', 'sw'], feeAmount: 30, feeCurrency: 'USD' });
    const licence = await doctor.req('PATCH', `/api/practitioners/${ids.doctor}`, { licenceNumber: 'FAKE' });
    expect(licence.statusCode).toBe(403);
    const other = await doctor.req('PATCH', `/api/practitioners/${ids.kabamba}`, { bio: 'Hacked' });
    expect(other.statusCode).toBe(403);
    const { rows } = await ctx.sql.query(
      'SELECT licence_number, (SELECT bio FROM practitioners WHERE id = $2) AS kb FROM practitioners WHERE id = $1',
      [ids.doctor, ids.kabamba],
    );
    expect(rows[0].licence_number).toBe('CNOM-KIN-04512');
    expect(rows[0].kb).not.toBe('Hacked');
  });

  it('an admin acting at Kinshasa cannot change a Goma-only practitioner (404) but can at Goma', async () => {
    const atKin = await admin.req(
      'PATCH',
      `/api/practitioners/${ids.goma}`,
      { requiresConfirmation: true },
      { 'x-clinic-id': ctx.ids.kin },
    );
    expect(atKin.statusCode).toBe(404);
    const atGoma = await admin.req(
      'PATCH',
      `/api/practitioners/${ids.goma}`,
      { requiresConfirmation: true },
      { 'x-clinic-id': ctx.ids.gom },
    );
    expect(atGoma.statusCode).toBe(200);
    expect(atGoma.json().requiresConfirmation).toBe(true);
  });

  it('deactivating hides a practitioner from the list and is audited', async () => {
    const since = await lastAuditId(ctx.sql);
    const res = await admin.req('PATCH', `/api/practitioners/${ids.kabamba}`, { active: false }, { 'x-clinic-id': ctx.ids.kin });
    expect(res.statusCode).toBe(200);
    expect((await list(patient)).map((p) => p.id)).not.toContain(ids.kabamba);
    expect((await list(admin, '?includeInactive=true')).map((p) => p.id)).toContain(ids.kabamba);
    const rows = await auditSince(ctx.sql, since);
    expect(rows).toContainEqual(expect.objectContaining({ action: 'practitioner.update', actor_user_id: admin.userId }));
  });
});
